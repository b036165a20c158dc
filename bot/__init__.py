"""changebot: a Slack assistant for people who lead change in the NHS."""
