"""Loopback HTTP servers that stand in for network services in tests (OpenAI-compatible, ...)."""
