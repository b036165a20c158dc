"""bot.slack.delivery."""
