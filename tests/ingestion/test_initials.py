"""Minutes that write people by their initials are indexed with the names."""

import pytest

from ingestion.chunking import make_chunks
from ingestion.initials import defined_initials, with_names
from ingestion.markdown import load_text

pytestmark = pytest.mark.fast

MINUTES = """\
OPERATIONAL LEADERSHIP TEAM - MINUTES

Present:  Lydia Okonjo (LO) Director of Operations - CHAIR
          Priya Venkatesan (PV) Lead Clinical Pharmacist
          Nadia Brierley (NB) Practice Manager, Canal Side
          Mr Tobias Ansell (TA), Consultant Orthopaedic Surgeon
          Dr Amara Eze (AE) GP Partner
          Gareth Pryce (GP) Head of Central Services

4. CANAL SIDE DNAs
   AGREED: Canal Side to pilot two reminder texts. NB to lead the pilot; PV
   to check the wording with the GP partners. TA noted A&E attendances.

NB: the figures above are provisional.

ACTION LOG
Ref     Action                               Owner   Due
11/25-3 Canal Side reminder-text pilot       NB      17/11/2025
"""


def test_a_persons_initials_are_read_from_the_list_of_who_was_there() -> None:
    people = defined_initials(MINUTES)
    assert people["NB"] == "Nadia Brierley"
    assert people["LO"] == "Lydia Okonjo"
    # a title before the name is not part of it; a run of list words before it neither
    assert people["TA"] == "Tobias Ansell"
    assert people["PV"] == "Priya Venkatesan"
    # initials that are also acronyms minutes use for other things are kept when defined, but
    # named only where the person acts (below)
    assert people["GP"] == "Gareth Pryce" and people["AE"] == "Amara Eze"


def test_actions_and_the_log_name_the_person() -> None:
    parsed = with_names(load_text(MINUTES.encode(), "OLT_minutes.txt"))
    text = "\n\n".join(b.text for b in parsed.blocks)
    assert "Nadia Brierley (NB) to lead the pilot" in text
    assert "Priya Venkatesan (PV) to check the wording with the GP partners" in text
    assert "pilot Nadia Brierley (NB) 17/11/2025" in " ".join(text.split())
    # the definitions themselves, a note "NB:" and the other acronyms stay as written
    assert "Nadia Brierley (NB) Practice Manager" in text
    assert "Nadia Brierley (Nadia" not in text
    assert "NB: the figures above are provisional." in text
    assert "GP partners" in text and "A&E" in text


def test_the_chunk_holding_the_action_names_who_owns_it() -> None:
    parsed = with_names(load_text(MINUTES.encode(), "OLT_minutes.txt"))
    chunks = make_chunks(parsed, document="OLT_minutes.txt", doc_hash="cd" * 32)
    assert any("Nadia Brierley (NB) to lead the pilot" in c.text for c in chunks)


def test_a_document_without_defined_initials_is_unchanged() -> None:
    parsed = load_text(b"The QI team meets on Thursdays. NB to follow up.", "note.txt")
    assert with_names(parsed) is parsed


def test_initials_defined_for_two_people_are_left_alone() -> None:
    text = "Present: Sam Black (SB), Sara Brown (SB). SB to report back."
    assert "SB" not in defined_initials(text)


LISTED = """\
BEACON PROGRAMME BOARD - MINUTES

Present:
  Helen Achebe          Chief Operating Officer, SRO (Chair)
  Dr Rajesh Kumar       Chief Clinical Information Officer
  Niamh Brennan         Head of Communications

1. WELCOME
HA welcomed members. Action 26/02-03 (RK - super-user rota) carried forward.

ACTION LOG - AN UPDATE
Action 26/03-01: NB to reissue all go-live comms.
"""


def test_initials_implied_by_the_list_of_who_was_there() -> None:
    assert defined_initials(LISTED) == {
        "HA": "Helen Achebe",
        "RK": "Rajesh Kumar",
        "NB": "Niamh Brennan",
    }
    named = with_names(load_text(LISTED.encode(), "board-minutes.txt"))
    text = "\n\n".join(b.text for b in named.blocks)
    assert "Helen Achebe (HA) welcomed members." in text
    assert "(Rajesh Kumar (RK) - super-user rota)" in text
    assert "Niamh Brennan (NB) to reissue all go-live comms." in text


def test_initials_that_are_also_acronyms_are_named_only_where_the_person_acts() -> None:
    minutes = (
        "Present: Paul Achebe (PA) Clinical Team Manager, Gareth Pryce (GP) Head of Services\n\n"
        "PA proposed a pre-alert at CTA. ACTION 48: PA to confirm with the hub by 31/01.\n"
        "The GP partners and our PA support were thanked. GP will send the rota."
    )
    parsed = with_names(load_text(minutes.encode(), "minutes.txt"))
    text = " ".join("\n\n".join(b.text for b in parsed.blocks).split())
    assert "Paul Achebe (PA) proposed a pre-alert" in text
    assert "Paul Achebe (PA) to confirm with the hub" in text
    assert "Gareth Pryce (GP) will send the rota" in text
    assert "The GP partners and our PA support" in text
