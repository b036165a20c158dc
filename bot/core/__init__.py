"""The core: answering, diagnosis, retrieval and privacy; knows nothing of Slack."""
