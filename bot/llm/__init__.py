"""bot.llm."""
