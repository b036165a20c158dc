"""bot.slack.render."""
