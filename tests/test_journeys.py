"""Whole paths as a trust meets them, through the real command: ingest → restart → ask.

Each step is a separate ``changebot`` process on one data dir, as an admin and a colleague would
run them: the admin's documents must survive restarts (also a restart after a bundled note
changed), questions about them must be answered from them and cite them by their own title, and
greetings, situations and uncovered questions must get what a careful colleague would give.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.localdocs import write_local_docs

CHANGEBOT = str(Path(sys.executable).with_name("changebot"))
LOCAL = {
    "virtual-ward-guide.md",
    "falls-pathway.html",
    "discharge-lounge-pilot.pdf",
    "school-nursing-report.pdf",
    "epr-plan.docx",
    "network-bulletin.txt",
    "RE_ FW_ SMR backlog.txt",
}


class Machine:
    """One data dir and the environment every ``changebot`` process on it gets."""

    def __init__(self, data_dir: Path, guidance_dir: Path | None = None) -> None:
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("CHANGEBOT_")}
        self.env["CHANGEBOT_DATA_DIR"] = str(data_dir)
        if guidance_dir is not None:
            self.env["CHANGEBOT_GUIDANCE_DIR"] = str(guidance_dir)

    def run(self, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [CHANGEBOT, *args],
            input=stdin,
            capture_output=True,
            text=True,
            env=self.env,
            timeout=240,
            check=False,
        )

    def respond(self, text: str) -> dict[str, Any]:
        done = self.run("respond", "--json", text)
        assert done.returncode == 0, done.stderr
        reply: dict[str, Any] = json.loads(done.stdout)
        return reply

    def version(self) -> str:
        done = self.run("sources", "--json")
        return str(json.loads(done.stdout)[0]["version"])

    def sources(self) -> dict[str, str]:
        done = self.run("sources", "--json")
        assert done.returncode == 0, done.stderr
        return {d["document"]: d["owner"] for d in json.loads(done.stdout)}


@pytest.fixture(scope="module")
def machine(bundled_services: Any, tmp_path_factory: pytest.TempPathFactory) -> Machine:
    """A fresh data dir (with the fitted-model cache of a warm install), then an admin's ingest."""
    root = tmp_path_factory.mktemp("journey")
    data = root / "data"
    shutil.copytree(bundled_services.settings.data_dir / "cache", data / "cache")
    guidance = root / "guidance"
    shutil.copytree(bundled_services.settings.guidance_dir, guidance)
    box = Machine(data, guidance)
    docs = write_local_docs(root / "trust-guidance")
    ingested = box.run("ingest", str(docs))
    assert ingested.returncode == 0, ingested.stdout + ingested.stderr
    return box


def test_admin_documents_survive_restarts_and_answer(machine: Machine) -> None:
    started = machine.run("start", stdin="who leads the discharge lounge pilot?\n")
    assert started.returncode == 0, started.stderr
    assert "Amara Pretorius" in started.stdout
    assert "Discharge lounge pilot evaluation" in started.stdout  # the PDF's own title
    assert "(local document)" in started.stdout and "(the report)" not in started.stdout
    owners = machine.sources()
    assert LOCAL <= set(owners) and {owners[d] for d in LOCAL} == {"admin"}
    assert any(owner == "bundled" for owner in owners.values())


def test_a_changed_bundled_note_is_refreshed_and_admin_documents_stay(machine: Machine) -> None:
    guidance = Path(machine.env["CHANGEBOT_GUIDANCE_DIR"])
    note = sorted(guidance.glob("*.md"))[0]
    note.write_text(note.read_text(encoding="utf-8") + "\n\nOne more line.\n", encoding="utf-8")
    started = machine.run("start", stdin="how many patients can the virtual ward take?\n")
    assert started.returncode == 0, started.stderr
    assert "40 patients" in started.stdout
    assert LOCAL <= set(machine.sources())
    live = machine.version()
    again = machine.run("start", stdin="")  # nothing changed: no new index version
    assert again.returncode == 0 and machine.version() == live


@pytest.mark.parametrize(
    ("text", "fact", "title"),
    [
        ("when does the new EPR go live?", "14 March 2027", "Electronic patient record"),
        ("How many patients can the virtual ward take?", "40 patients", "virtual ward"),
        ("who runs the community falls pathway", "community therapy service", "falls pathway"),
        ("who's in charge of the virtual ward day to day?", "frailty team", "virtual ward"),
        # what is left out, asked as such, leads with the sentence that says so
        ("which patients aren't eligible for the virtual ward?", "oxygen", "virtual ward"),
        # an ask reported in passing, looked up on its own words
        (
            "the porters on level 3 asking who runs the virtual ward day to day, anyone know",
            "frailty team",
            "virtual ward",
        ),
        # figures in the story are not what is asked about
        (
            "3 of our patients have had letters ready since 0645 and 12 more are due today. "
            "What time does the discharge lounge open?",
            "8am",
            "Discharge lounge",
        ),
        # a fact asked after a story is looked up in the trust's own documents
        (
            "A ward manager rang me this morning, her patients are stuck waiting for transport "
            "again. What time does the discharge lounge open?",
            "8am",
            "Discharge lounge",
        ),
    ],
)
def test_questions_about_local_documents_are_answered_from_them(
    machine: Machine, text: str, fact: str, title: str
) -> None:
    reply = machine.respond(text)
    assert reply["kind"] == "answer" and reply["answer"]["grounded"], reply["text"]
    assert fact.lower() in reply["answer"]["answer"].lower()
    assert any(title.lower() in c["title"].lower() for c in reply["answer"]["citations"])
    assert reply["diagnosis"] is None


def test_who_to_ring_leads_with_the_line_to_ring(machine: Machine) -> None:
    reply = machine.respond("who do I ring about the EPR training? our ward manager is off")
    answer = reply["answer"]["answer"]
    first = answer.split("[1]")[0]
    assert "0113 496 0100" in first, reply["text"]


def test_who_to_ring_finds_the_line_given_just_after_the_topic(machine: Machine) -> None:
    """ "Report it to the telecare desk on …" names no alarm itself: the sentence before does."""
    reply = machine.respond("a falls alarm has stopped working on my visit round. who do I ring?")
    answer = reply["answer"]["answer"]
    assert "0113 496 0222" in answer and "0113 496 0100" not in answer, reply["text"]
    # the sentence that says what "it" is comes first, then the line to ring
    assert answer.index("falls alarm") < answer.index("0113 496 0222"), reply["text"]


def test_the_sentence_going_on_about_the_lead_comes_with_it(machine: Machine) -> None:
    """ "… are not seen by the pathway. They go straight to …": where they go is the answer."""
    reply = machine.respond("suspected hip fracture after a fall - does the falls pathway see it?")
    assert "orthogeriatric" in reply["answer"]["answer"], reply["text"]


def test_before_and_after_is_answered_with_the_move(machine: Machine) -> None:
    """ "what % … before vs after?" asks for two figures of one measure, not a comparison."""
    reply = machine.respond(
        "re the lounge pilot - what % of patients got out by midday before vs after?"
    )
    first = reply["answer"]["answer"].split("[1]")[0]
    assert "18%" in first and "34%" in first, reply["text"]


def test_whether_it_worked_is_answered_with_the_move(machine: Machine) -> None:
    """ "has it made any difference?" is not a comparison: the sentence giving the move leads."""
    reply = machine.respond(
        "has the lounge pilot made any difference to getting people out by midday? before/after "
        "figures if there are any"
    )
    first = reply["answer"]["answer"].split("[1]")[0]
    assert "18%" in first and "34%" in first, reply["text"]


def test_a_typed_bulletins_heading_gives_the_date_asked(machine: Machine) -> None:
    """The date is in the heading the bulletin marks with rules, not in the month asked."""
    reply = machine.respond("network study day in may - what date and where is it?")
    first = reply["answer"]["answer"].split("[1]")[0]
    assert "21 MAY 2026" in first, reply["text"]
    assert "Education Centre" in reply["answer"]["answer"], reply["text"]
    assert reply["answer"]["citations"][0]["document"] == "network-bulletin.txt"


def test_who_has_an_action_given_by_initials_that_are_also_an_acronym(machine: Machine) -> None:
    reply = machine.respond("who's sorting out the pre-alert idea with ambulance control?")
    first = reply["answer"]["answer"].split("[1]")[0]
    assert "Paul Achebe (PA)" in first, reply["text"]


def test_who_has_an_action_in_a_typed_action_log(machine: Machine) -> None:
    """The log typed in columns is read row by row, and the row named is the one given."""
    reply = machine.respond("on the network action log who has N26/05")
    first = reply["answer"]["answer"].split("[1]")[0]
    assert "N26/05" in first and "Mira Shah (MS)" in first and "27/03/2026" in first, reply["text"]


def test_an_email_threads_quoted_list_answers_with_its_announcement(machine: Machine) -> None:
    """The reply quoted with ">" is read as text, and the lead ending ":" brings its list."""
    reply = machine.respond("who's covering aisha's mat leave at marden downs and what days")
    text = reply["answer"]["answer"]
    assert "Beth Carne" in text and "Mondays and Thursdays" in text, reply["text"]
    assert reply["answer"]["citations"][0]["title"] == (
        "SMR backlog and pharmacist cover - Marden Downs PCN"
    )
    assert "Subject:" not in text and "confidential information" not in text


def test_a_direct_dial_in_an_email_signature_is_kept_and_given(machine: Machine) -> None:
    reply = machine.respond("need to ring sunil about the pharmacist cover, whats his direct dial")
    assert "01632 960318" in reply["answer"]["answer"], reply["text"]


def test_a_count_asked_with_its_reason_is_answered_not_diagnosed(machine: Machine) -> None:
    reply = machine.respond(
        "owen said the SMR list is huge at lanwith - how many patients is it and why?"
    )
    assert reply["kind"] == "answer", reply["text"]
    assert "128" in reply["answer"]["answer"], reply["text"]


def test_a_day_asked_yes_or_no_is_answered_with_the_days_given(machine: Machine) -> None:
    """The day asked is checked against the opening days, not a word the passage must hold."""
    reply = machine.respond("is the falls booking line open on a sunday evening?")
    assert reply["kind"] == "answer" and reply["answer"]["grounded"], reply["text"]
    assert "Saturday" in reply["answer"]["answer"], reply["text"]


def test_a_slip_in_a_long_word_still_finds_the_document(machine: Machine) -> None:
    reply = machine.respond("whats the number for the thromectomy hotline?")
    assert reply["answer"]["grounded"], reply["text"]
    assert "0113 496 0457" in reply["answer"]["answer"].split("[1]")[0], reply["text"]


def test_a_table_row_answers_under_its_header(machine: Machine) -> None:
    """ "Saturday | 09:00 to 12:30" under "Day | Phone lines", not another service's hours."""
    reply = machine.respond(
        "patient's son says he cant get through to book on a saturday, what time does the "
        "booking line shut on sat?"
    )
    first = reply["answer"]["answer"].split("[1]")[0]
    assert "12:30" in first and "16:00" not in first, reply["text"]


def test_a_word_that_frames_questions_elsewhere_is_a_documents_topic(machine: Machine) -> None:
    """ "claim" frames "what does the report claim?"; a policy on missed breaks is about it."""
    reply = machine.respond(
        "break got binned again last night, 3rd time this month. can i claim for it and is "
        "there a time limit on claiming?"
    )
    assert reply["answer"]["grounded"], reply["text"]
    assert "3 months" in reply["answer"]["answer"], reply["text"]


def test_what_is_excluded_is_answered_with_the_list_announced(machine: Machine) -> None:
    """ "The pathway does not accept:" and its bullets say what is excluded, read together."""
    reply = machine.respond("what's excluded from the falls pathway? need a list for the wall")
    answer = reply["answer"]["answer"]
    for excluded in ("hip fracture", "already in hospital", "anticoagulants"):
        assert excluded in answer, reply["text"]


def test_a_word_bullet_list_is_read_with_its_announcement(machine: Machine) -> None:
    reply = machine.respond("what would stop the EPR go-live? is it a training % thing")
    answer = reply["answer"]["answer"]
    assert "80%" in answer and "migration test" in answer, reply["text"]


def test_an_acronym_the_document_only_spells_out_is_read_as_its_phrase(machine: Machine) -> None:
    """ "the CES" is the document's "Community Equipment Service"."""
    reply = machine.respond("how long does the CES take to deliver a hoist? pt going home tmrw")
    assert reply["answer"]["grounded"], reply["text"]
    assert "48 hours" in reply["answer"]["answer"].split("[1]")[0], reply["text"]


def test_a_case_then_its_ask_with_an_acronym_is_answered_not_diagnosed(machine: Machine) -> None:
    """ "if I ring … at 3am who picks up": the case, then the ask; "the IPU" is the document's
    "inpatient unit" (a word that spells two letters, in lower case)."""
    reply = machine.respond(
        "if I ring the virtual ward hub at 3am who actually picks up - a doctor, or someone on "
        "the IPU?"
    )
    assert reply["kind"] == "answer" and reply["answer"]["grounded"], reply["text"]
    assert "nurse in charge" in reply["answer"]["answer"], reply["text"]


def test_staff_words_the_document_writes_formally_are_read_as_its_words(machine: Machine) -> None:
    """ "rock up for bloods" is the document's venepuncture "walk-in session"; "DNA" is its
    "did not attend", which it never shortens."""
    reply = machine.respond("can pts just rock up for bloods, what times")
    assert reply["kind"] == "answer" and reply["answer"]["grounded"], reply["text"]
    assert "07:30" in reply["answer"]["answer"].split("[1]")[0], reply["text"]
    reply = machine.respond("what happens to pts who DNA their visits")
    assert reply["kind"] == "answer" and reply["answer"]["grounded"], reply["text"]
    assert "two booked home visits" in reply["answer"]["answer"], reply["text"]


def test_a_case_then_its_ask_without_a_question_mark_is_answered(machine: Machine) -> None:
    reply = machine.respond("virtual ward hub - once it shuts at night who answers the calls")
    assert reply["kind"] == "answer" and reply["answer"]["grounded"], reply["text"]
    assert "nurse in charge" in reply["answer"]["answer"], reply["text"]


def test_a_short_plural_in_the_document_answers_the_singular(machine: Machine) -> None:
    """The stemmer keeps "ECPs" whole; "can an ECP refer …" is still about it."""
    reply = machine.respond("can an ECP refer someone to the falls pathway?")
    assert reply["kind"] == "answer", reply["text"]
    assert "ECPs" in reply["answer"]["answer"], reply["text"]


@pytest.mark.parametrize(
    "text",
    [
        "when does the new EPR go live? and how many patients can the virtual ward take?",
        "how many patients can the virtual ward take and when does the new EPR go live? ta",
    ],
)
def test_each_ask_of_a_two_part_question_is_answered(machine: Machine, text: str) -> None:
    reply = machine.respond(text)
    answer = reply["answer"]["answer"]
    assert "14 March 2027" in answer and "40 patients" in answer, reply["text"]
    # each part is answered from the trust's documents, never eked out with the notes
    assert all(c["document"] in LOCAL for c in reply["answer"]["citations"]), reply["text"]


def test_an_owner_given_as_a_label_answers_who_owns_it(machine: Machine) -> None:
    reply = machine.respond("who owns the EPR programme and when does it go live?")
    answer = reply["answer"]["answer"]
    assert "Nia Roberts" in answer and "14 March 2027" in answer, reply["text"]


@pytest.mark.parametrize(
    "text", ["How many patients can the virtual ward take?", "when does the new EPR go live?"]
)
def test_a_local_answer_goes_on_only_with_its_own_document(machine: Machine, text: str) -> None:
    """Another service's sentence beside the lead would read as more about the one asked."""
    reply = machine.respond(text)
    documents = {c["document"] for c in reply["answer"]["citations"]}
    assert len(documents) == 1, reply["text"]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("thanks!", "notice"),
        ("what is the car parking policy for visitors?", "decline"),
        # the trust's own figure is not the national one
        ("what's the national average number of patients on a virtual ward?", "decline"),
        # a quarter the report does not give: not its quarter 2 figure instead
        ("how many new referrals did the castlefield school nurses get back in q1?", "decline"),
        # a clinic the documents never name, at a place they do
        (
            "carer asking what the opening hours are for the podiatry clinic at kingsmead house "
            "- anyone know?",
            "decline",
        ),
        (
            "My consultants don't see any problem with discharge delays and won't come to the "
            "meetings about it.",
            "diagnosis",
        ),
    ],
)
def test_routing_as_a_colleague_would(machine: Machine, text: str, kind: str) -> None:
    reply = machine.respond(text)
    if kind == "decline":
        assert reply["kind"] == "notice" or reply["answer"]["grounded"] is False
    else:
        assert reply["kind"] == kind, reply["text"]


def test_a_question_of_the_trusts_records_no_document_states_is_declined_as_such(
    machine: Machine,
) -> None:
    """Declined on the trust's own documents, the asker is told none of them states it, not
    only what the report covers; and a story before it does not make it a barrier card."""
    reply = machine.respond(
        "we've been chasing this for weeks and nobody will tell us anything. how many "
        "podiatry clinics does kingsmead house run each week?"
    )
    assert reply["kind"] == "answer" and reply["answer"]["grounded"] is False, reply["text"]
    assert "none of your organisation's documents" in reply["text"]


@pytest.mark.parametrize(
    ("text", "secrets"),
    [
        ("Mrs Smith born 03/04/1948 fell on the ward, what barrier is that?", ("1948", "Smith")),
        (
            "Mum of Amelia Thistlethwaite, 22 Larkspur Close, Millbrook, has rung twice about her "
            "letter and is upset. Can you draft me a reply explaining the process?",
            ("Thistlethwaite", "Larkspur"),
        ),
    ],
)
def test_patient_data_is_refused_and_never_echoed(
    machine: Machine, text: str, secrets: tuple[str, ...]
) -> None:
    reply = machine.respond(text)
    assert reply["kind"] == "notice"
    assert not any(secret in json.dumps(reply) for secret in secrets)


def test_an_admin_removes_a_document(machine: Machine) -> None:
    removed = machine.run("remove", "falls-pathway.html")
    assert removed.returncode == 0, removed.stdout + removed.stderr
    assert "falls-pathway.html" not in machine.sources()
    refused = machine.run("remove", "no-such.pdf")
    assert refused.returncode == 1 and "Not in the index" in refused.stderr + refused.stdout
    reply = machine.respond("who runs the community falls pathway")
    assert reply["kind"] == "notice" or reply["answer"]["grounded"] is False


def test_backup_then_restore_on_an_empty_machine_answers_again(
    machine: Machine, tmp_path: Path
) -> None:
    archive = tmp_path / "changebot-backup.tar.gz"
    done = machine.run("backup", str(archive))
    assert done.returncode == 0, done.stderr
    fresh = Machine(tmp_path / "new-data", Path(machine.env["CHANGEBOT_GUIDANCE_DIR"]))
    restored = fresh.run("restore", str(archive))
    assert restored.returncode == 0, restored.stdout + restored.stderr
    assert "epr-plan.docx" in fresh.sources()
    reply = fresh.respond("when does the new EPR go live?")
    assert reply["kind"] == "answer" and "14 March 2027" in reply["answer"]["answer"]
    again = fresh.run("restore", str(archive))  # a data dir is there now: refused
    assert again.returncode == 1 and "--force" in again.stderr + again.stdout


def test_a_damaged_or_foreign_archive_changes_nothing(machine: Machine, tmp_path: Path) -> None:
    import tarfile

    bad = tmp_path / "bad.tar.gz"
    bad.write_bytes(b"\x1f\x8b not really gzip")
    evil = tmp_path / "evil.tar.gz"
    payload = tmp_path / "x.txt"
    payload.write_text("x", encoding="utf-8")
    with tarfile.open(evil, "w:gz") as archive:
        archive.add(payload, arcname="changebot-backup.json")
        archive.add(payload, arcname="../escaped.txt")
    target = Machine(tmp_path / "target")
    for archive_path, words in ((bad, "damaged"), (evil, "unsafe")):
        done = target.run("restore", str(archive_path))
        assert done.returncode == 1 and words in done.stderr + done.stdout
    assert not (tmp_path / "target").exists() and not (tmp_path / "escaped.txt").exists()


def test_a_figure_is_read_off_a_pdf_table_by_its_row_and_column(machine: Machine) -> None:
    """The row named and the column asked, from a table drawn without cell borders; and the
    top of a column ("worst" of a did-not-attend rate is its highest), not the all-teams row."""
    reply = machine.respond("how many new referrals did castlefield get? doing some benchmarking")
    assert reply["kind"] == "answer" and reply["answer"]["grounded"], reply["text"]
    lead = reply["answer"]["answer"].split("[1]")[0]
    assert "Castlefield: New referrals (Jul-Sep) 241" in lead, reply["text"]
    reply = machine.respond("for the board paper - which team had the worst did not attend rate?")
    lead = reply["answer"]["answer"].split("[1]")[0]
    assert "Riverside had the highest Did not attend rate: 14.7%" in lead, reply["text"]
    assert "School nursing quarterly report" in reply["text"]


@pytest.mark.parametrize(
    "text",
    [
        "how many patients can the virtual ward take, is it 50?",
        "the virtual ward takes 50 patients isnt it?",
    ],
)
def test_a_figure_put_up_to_be_checked_is_answered_with_the_documents_own(
    machine: Machine, text: str
) -> None:
    """ "is it 50?" checks a figure the document does not give: the real one answers it."""
    reply = machine.respond(text)
    assert reply["kind"] == "answer" and reply["answer"]["grounded"], reply["text"]
    assert "40 patients" in reply["answer"]["answer"].split("[1]")[0], reply["text"]


def test_our_figure_is_the_signers_teams_row_and_an_unknown_team_is_declined(
    machine: Machine,
) -> None:
    """ "castlefield team lead here - how many new referrals did we get?": "we" is Castlefield's
    row; a team no document names is declined, not given another team's or the total's figure."""
    reply = machine.respond("castlefield team lead here - how many new referrals did we get?")
    assert reply["kind"] == "answer" and reply["answer"]["grounded"], reply["text"]
    assert reply["answer"]["answer"].startswith("The guidance says: Castlefield:"), reply["text"]
    assert "241" in reply["answer"]["answer"].split("[1]")[0], reply["text"]
    reply = machine.respond("westbury team lead here - how many new referrals did we get?")
    assert reply["kind"] == "answer" and reply["answer"]["grounded"] is False, reply["text"]


def test_a_figure_in_a_unit_no_document_counts_in_is_declined(machine: Machine) -> None:
    """ "… per mile?": no document counts the virtual ward's patients per mile (it was answered
    with "40 patients at a time")."""
    reply = machine.respond("how many patients does the virtual ward take per mile?")
    assert reply["kind"] == "answer" and reply["answer"]["grounded"] is False, reply["text"]
