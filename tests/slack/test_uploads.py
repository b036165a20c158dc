"""Admin uploads in a DM and re-ingest from Slack: downloads via the Web API only from Slack
hosts (A5), the index really changes, one message is updated with the report, one ingest at a
time (A7), and non-admins are refused and audited."""

import json

from bot.common.audit import read_audit
from tests.servers.slack_api import CountingServer, Scripted
from tests.slack.conftest import settle
from tests.slack.harness import message_event

NEW_GUIDE = b"""# Capability for change

Improvement teams need analysts who can turn routine data into run charts that staff trust.
Pair each ward with an analyst for the first three months of a change.
"""


def upload_event(text: str, files: list[dict], user: str = "UADMIN"):
    return message_event(
        text, channel="D9", channel_type="im", user=user, subtype="file_share", files=files
    )


def final_report(stub, timeout: float = 60.0) -> str:
    for _ in range(int(timeout * 10)):
        updates = stub.calls_to("chat.update")
        if (
            updates
            and "finished" in updates[-1].payload["text"]
            or updates
            and "Nothing" in json.dumps(updates[-1].payload)
        ):
            return json.dumps(updates[-1].payload, ensure_ascii=False)
        stub.wait_for("chat.update", len(updates) + 1, timeout=0.1)
    raise AssertionError("no final report")


def test_admin_upload_is_ingested_and_reported(harness, stub, runtime, slack_settings) -> None:
    index = runtime.core.services.index
    before = {d.document for d in index.documents()}
    stub.add_file("F1", "capability notes.md", NEW_GUIDE, user="UADMIN")
    harness.event(
        upload_event("please ingest these", [{"id": "F1", "name": "capability notes.md"}])
    )
    report = final_report(stub)
    after = {d.document for d in index.documents()}
    assert after - before == {"capability notes.md"}
    assert "capability notes.md" in report and "added" in report
    assert len(stub.calls_to("chat.postMessage")) == 1  # one progress message, then updates only
    [download] = stub.calls_to("download")
    assert download.headers["Authorization"] == "Bearer xoxb-test"
    assert [
        r["outcome"] for r in read_audit(slack_settings.data_dir) if r["action"] == "slack.upload"
    ] == ["allowed"]
    assert not any((slack_settings.data_dir / "uploads").glob("*/*"))  # temporary files removed


def test_upload_then_ingest_command(harness, stub, runtime) -> None:
    stub.add_file("F2", "later.md", NEW_GUIDE.replace(b"three", b"four"), user="UADMIN")
    harness.event(upload_event("", [{"id": "F2"}]))
    [ack] = stub.wait_for("chat.postMessage")
    assert "Reply *ingest*" in ack.payload["text"]
    harness.command("/changebot", "ingest", user_id="UADMIN", channel_id="D9")
    [started] = stub.wait_for("response")
    assert started.payload["text"].startswith("Started")
    assert "later.md" in final_report(stub)


def test_ssrf_file_url_is_never_fetched(harness, stub, runtime) -> None:
    """A5: files.info points the download at another (internal) host."""
    with CountingServer() as bad:
        stub.add_file("F3", "evil.md", b"# x", user="UADMIN", url=f"{bad.url}/internal/secrets.md")
        stub.add_file(
            "F4", "metadata.md", b"# x", user="UADMIN", url="http://169.254.169.254/latest/"
        )
        harness.event(upload_event("ingest", [{"id": "F3"}, {"id": "F4"}]))
        report = final_report(stub)
        assert bad.hits == 0 and stub.calls_to("download") == []
    assert "not a Slack file address" in report and "Nothing was ingested" in report


def test_files_of_others_and_unsupported_types_are_refused(harness, stub, runtime) -> None:
    stub.add_file("F5", "someone-elses.md", b"# x", user="U2")
    stub.add_file("F6", "malware.exe", b"MZ", user="UADMIN")
    harness.event(upload_event("ingest", [{"id": "F5"}, {"id": "F6"}]))
    report = final_report(stub)
    assert (
        "not uploaded by you" in report
        and "reads PDF" in report
        and stub.calls_to("download") == []
    )


def test_non_admin_upload_is_refused_and_audited(harness, stub, runtime, slack_settings) -> None:
    stub.add_file("F7", "x.md", NEW_GUIDE, user="U2")
    harness.event(upload_event("ingest", [{"id": "F7"}], user="U2"))
    [reply] = stub.wait_for("chat.postMessage")
    assert "Only changebot admins" in reply.payload["text"]
    settle(runtime)
    assert stub.calls_to("files.info") == [] and not runtime.ingests.running
    assert read_audit(slack_settings.data_dir)[-1]["outcome"] == "refused"


def test_two_admins_ingest_concurrently_one_runs(harness, stub, runtime, slack_settings) -> None:
    """A7: while one admin's ingest runs (its download is slow), a second admin's re-ingest is
    refused in plain words; the first finishes and reports."""
    slack_settings.admin_user_ids.append("UADMIN2")
    stub.script("files.info", Scripted(delay_s=1.5, body={"ok": False, "error": "file_not_found"}))
    runtime.uploads.put("T1:UADMIN", ["F404"])
    harness.command("/changebot", "ingest", user_id="UADMIN", channel_id="D9")
    stub.wait_for("files.info")
    assert runtime.ingests.running
    harness.command("/changebot", "reingest", user_id="UADMIN2")
    texts = sorted(c.payload["text"] for c in stub.wait_for("response", 2))
    assert texts[0].startswith("An ingest is already running") and texts[1].startswith("Started")
    report = final_report(stub)
    assert "could not be downloaded" in report and "Nothing was ingested" in report
    assert len(stub.calls_to("chat.postMessage")) == 1  # only the first run's progress message


def test_admin_reingest_from_home_button_rebuilds_from_the_guidance_folder(
    harness, stub, runtime
) -> None:
    before = {d.document: d.owner for d in runtime.core.documents()}
    uploads = {name for name, owner in before.items() if owner == "admin"} - {
        "headspace.md",
        "motivation.md",
        "links.md",
    }
    harness.action("home_reingest", "reingest", user="UADMIN")
    report = final_report(stub)
    assert "Re-ingest of the guidance folder finished" in report
    after = {d.document: d.owner for d in runtime.core.documents()}
    # the guidance folder's notes are refreshed as bundled; an admin's uploads are kept
    assert {n for n, o in after.items() if o == "bundled"} == {
        "headspace.md",
        "motivation.md",
        "links.md",
    }
    assert uploads <= set(after)


def test_ingest_word_from_a_non_admin_without_files_is_an_ordinary_message(
    harness, stub, runtime, slack_settings
) -> None:
    harness.event(
        message_event(
            "ingest this: we have no time for the new process", channel="D5", channel_type="im"
        )
    )
    [reply] = stub.wait_for("chat.postMessage")
    assert "Only changebot admins" not in reply.payload["text"]
    assert not [r for r in read_audit(slack_settings.data_dir) if r["action"] == "slack.upload"]


def test_same_name_uploads_never_overwrite_each_other(tmp_path) -> None:
    from bot.slack.flows.file_download import safe_name, unique_target

    first = unique_target(tmp_path, "policy.pdf")
    first.write_bytes(b"one")
    second = unique_target(tmp_path, "policy.pdf")
    second.write_bytes(b"two")
    assert (first.name, second.name) == ("policy.pdf", "policy (2).pdf")
    assert first.read_bytes() == b"one"
    assert safe_name("../../etc/passwd") == "passwd"
    assert safe_name("a\x00b\x1b[31m.docx") == "a_b__31m.docx"
    assert safe_name("..") == "upload" and "/" not in safe_name("x/..\\y.md")
