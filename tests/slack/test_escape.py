import pytest

from bot.slack.render.escape import escape_mrkdwn, is_allowed_link, plain, truncate


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("a & b", "a &amp; b"),
        ("<!channel> hi", "&lt;!channel&gt; hi"),
        ("<!here|here>", "&lt;!here|here&gt;"),
        ("<!everyone>", "&lt;!everyone&gt;"),
        ("<@U123> and <#C1>", "&lt;@U123&gt; and &lt;#C1&gt;"),
        ("<!subteam^S1>", "&lt;!subteam^S1&gt;"),
        ("@here now", "@\u200bhere now"),
        ("@Channel", "@\u200bChannel"),
        ("<script>x</script>", "&lt;script&gt;x&lt;/script&gt;"),
        ("email@here.com", "email@here.com"),
    ],
)
def test_escape_neutralises_markup(raw: str, expected: str) -> None:
    assert escape_mrkdwn(raw) == expected


def test_link_markup_becomes_literal_and_defanged() -> None:
    out = escape_mrkdwn("<http://evil.example|NHS guidance>")
    assert "<" not in out and ">" not in out
    assert "evil[.]example" in out and "hxxp://" in out


def test_allowed_links_stay_clickable() -> None:
    url = "https://www.health.org.uk/publications/constructive-comfort"
    assert escape_mrkdwn(f"See {url}") == f"See {url}"
    assert is_allowed_link("https://www.england.nhs.uk/x")
    assert not is_allowed_link("http://www.nhs.uk/x")  # not https
    assert not is_allowed_link("https://nhs.uk.evil.example/")
    assert not is_allowed_link("https://evilnhs.uk/")


def test_bare_hostile_url_is_defanged() -> None:
    assert (
        escape_mrkdwn("go to https://attacker.example/?q=secret")
        == "go to hxxps://attacker[.]example/?q=secret"
    )


def test_truncate_never_splits_entities() -> None:
    text = escape_mrkdwn("x" * 8 + "&")  # 'xxxxxxxx&amp;'
    out = truncate(text, 11)
    assert out.endswith("…") and "&am" not in out
    assert truncate("short", 10) == "short"
    assert len(truncate("y" * 5000, 3000)) == 3000


def test_plain_collapses_whitespace_and_trims() -> None:
    assert plain("a \n  b", 10) == "a b"
    assert plain("z" * 200, 150).endswith("…")
