"""bot.core.llm."""
