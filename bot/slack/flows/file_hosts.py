"""Which URLs changebot will ever fetch or post to: Slack's own hosts, or the configured API host.

Why: ``url_private_download`` and ``response_url`` arrive inside payloads. A crafted or forwarded
payload could point them at an internal address (SSRF, A5), and the bot token would be sent along.
So a URL is allowed only if it is https on a Slack host, or has exactly the scheme, host and port
of ``CHANGEBOT_SLACK_API_URL`` (GovSlack, and the loopback stub in tests).
"""

from __future__ import annotations

from urllib.parse import urlsplit

SLACK_FILE_HOSTS = ("files.slack.com", "files-edu.slack.com", "files.slack-gov.com")
SLACK_HOOK_HOSTS = ("hooks.slack.com", "hooks.slack-gov.com")


def _origin(url: str) -> tuple[str, str, int] | None:
    try:
        parts = urlsplit(url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        return None
    if parts.username or parts.password or not parts.hostname:
        return None
    return parts.scheme.lower(), parts.hostname.lower(), port


def is_allowed(url: str, api_url: str, slack_hosts: tuple[str, ...]) -> bool:
    """True for ``https://<slack host>/...`` or the configured API origin; False otherwise."""
    origin = _origin(url)
    if origin is None:
        return False
    if origin == _origin(api_url):
        return True
    scheme, host, port = origin
    return scheme == "https" and port == 443 and host in slack_hosts


def is_file_url(url: str, api_url: str) -> bool:
    """May we download this file with the bot token?"""
    return is_allowed(url, api_url, SLACK_FILE_HOSTS)


def is_response_url(url: str, api_url: str) -> bool:
    """May we post to this ``response_url``?"""
    return is_allowed(url, api_url, SLACK_HOOK_HOSTS)
