"""A story that plainly describes one of the evidence scan's barriers gets its name, unasked.

"we get restructured every time we build momentum" is the scan's 'Culture and stability'; the
answer in chat says so briefly, after the reading. The diagnosis card is left as it was: there
the scan is named only when asked.
"""

from __future__ import annotations

from typing import Any

from tests.core.test_answer import ask


def test_a_plainly_told_scan_barrier_is_named_briefly(services: Any) -> None:
    answer = ask(
        services,
        "service lead. our directorate has been restructured again, the third restructure in two "
        "years, and each time the improvement work stops. what can I do locally?",
    )
    assert answer.answer.startswith("From what you describe"), answer.answer
    assert "'Culture and stability'" in answer.answer
    assert "marked in" not in answer.answer  # told briefly: no phases, no example


def test_a_loose_match_is_not_named(services: Any) -> None:
    answer = ask(
        services,
        "matron here. winter has hit and our protected QI time has gone, every project stalled. "
        "what would help?",
    )
    assert "evidence scan's terms" not in answer.answer


def test_the_card_names_the_scan_only_when_asked(services: Any) -> None:
    reply = services.responder.respond(
        "every time my team gets going on something we get restructured again, three times in "
        "two years now",
        mode="diagnose",
    )
    assert reply.diagnosis is not None
    assert "evidence scan" not in reply.diagnosis.message
