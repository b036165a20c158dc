"""The committed manifest matches what the code listens to, with least-privilege scopes."""

from pathlib import Path

import yaml

import bot.slack

MANIFEST = Path(bot.slack.__file__).with_name("manifest.yaml")


def load() -> dict:
    return yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))


def test_manifest_scopes_are_least_privilege() -> None:
    scopes = set(load()["oauth_config"]["scopes"]["bot"])
    required = {
        "app_mentions:read",
        "chat:write",
        "im:history",
        "im:read",
        "im:write",
        "commands",
        "files:read",
        "files:write",  # /changebot insights uploads its chart to the admin's DM
        "assistant:write",
    }
    assert required <= scopes
    assert not scopes & {
        "users:read",
        "channels:manage",
        "chat:write.public",
        "admin",
    }
    assert "user" not in load()["oauth_config"]["scopes"]


def test_manifest_events_commands_and_modes() -> None:
    manifest = load()
    events = set(manifest["settings"]["event_subscriptions"]["bot_events"])
    assert {"app_mention", "message.im", "app_home_opened", "assistant_thread_started"} <= events
    assert {c["command"] for c in manifest["features"]["slash_commands"]} == {
        "/diagnose",
        "/changebot",
    }
    assert manifest["settings"]["socket_mode_enabled"] is True
    assert manifest["settings"]["interactivity"]["is_enabled"] is True
    assert manifest["features"]["app_home"]["home_tab_enabled"] is True
    assert manifest["features"]["app_home"]["messages_tab_enabled"] is True
    assert manifest["features"]["bot_user"]["display_name"] == "changebot"
    assert len(manifest["features"]["assistant_view"]["suggested_prompts"]) <= 4
