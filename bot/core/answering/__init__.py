"""bot.core.answering."""
