"""bot.slack.server."""
