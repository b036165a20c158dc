"""Admin checks use ids only (A1–A3) and URL policy stops SSRF (A5); both audited or logged."""

from pathlib import Path

import pytest

from bot.common.audit import read_audit
from bot.settings import Settings
from bot.slack.flows.file_hosts import is_file_url, is_response_url
from bot.slack.flows.permissions import actor_from_body, authorise, is_admin

API = "http://127.0.0.1:8123/api/"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path, admin_user_ids=["UADMIN"], admin_team_id="T1")


def command(user_id: str, team_id: str = "T1", **extra: str) -> dict[str, str]:
    return {"user_id": user_id, "team_id": team_id, "user_name": "admin", **extra}


@pytest.mark.parametrize(
    ("body", "allowed"),
    [
        (command("UADMIN"), True),
        (command("U2"), False),  # A1
        (command("U2", user_name="UADMIN"), False),  # A2 spoofed name
        (command("UADMIN", team_id="T999"), False),  # A3 foreign team
        ({"user": {"id": "UADMIN", "team_id": "T999"}, "team": {"id": "T1"}}, False),  # mixed teams
        ({"user": {"id": "UADMIN", "team_id": "T1"}, "team": {"id": "T1"}}, True),  # block_actions
        ({"user_id": "UADMIN"}, False),  # no team at all
    ],
)
def test_is_admin_by_ids_only(settings: Settings, body: dict, allowed: bool) -> None:
    assert is_admin(settings, actor_from_body(body), home_team=None) is allowed


def test_home_team_used_when_no_admin_team(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, admin_user_ids=["UADMIN"])
    actor = actor_from_body(command("UADMIN", team_id="THOME"))
    assert is_admin(settings, actor, home_team="THOME")
    assert not is_admin(settings, actor, home_team="TOTHER")
    assert not is_admin(settings, actor, home_team=None)


def test_authorise_audits_refusal_without_text(settings: Settings) -> None:
    body = command("U2", text="ingest please, my NHS number is 943 476 5919")
    assert not authorise(settings, actor_from_body(body), None, "slack.ingest")
    [record] = read_audit(settings.data_dir)
    assert (
        record["outcome"] == "refused" and record["user_id"] == "U2" and record["team_id"] == "T1"
    )
    # the message's words and digits are never kept (the timestamp's digits may be anything)
    kept = str({key: value for key, value in record.items() if not isinstance(value, float)})
    assert "943" not in kept and "please" not in kept
    assert "4765919" not in str(record).replace(" ", "")


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://files.slack.com/files-pri/T1-F1/download/a.pdf", True),
        ("http://files.slack.com/files-pri/a.pdf", False),
        ("https://files.slack.com:8443/a.pdf", False),
        ("https://files.slack.com.evil.example/a.pdf", False),
        ("https://user:pw@files.slack.com/a.pdf", False),
        ("http://127.0.0.1:8123/files/a.pdf", True),  # the configured API origin
        ("http://127.0.0.1:9/files/a.pdf", False),  # same host, other port
        ("http://169.254.169.254/latest/meta-data", False),
        ("file:///etc/passwd", False),
        ("not a url", False),
    ],
)
def test_file_url_policy(url: str, ok: bool) -> None:
    assert is_file_url(url, API) is ok


def test_response_url_policy() -> None:
    assert is_response_url("https://hooks.slack.com/commands/T1/1/x", API)
    assert not is_response_url("https://files.slack.com/commands/T1/1/x", API)
    assert not is_response_url("https://evil.example/commands", API)
