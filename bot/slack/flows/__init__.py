"""bot.slack.flows."""
