"""bot.core.diagnosis."""
