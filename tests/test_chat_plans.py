"""Tests of change in the terminal chat: ``/plan N`` after a diagnosis, ``/plans``, the due notice,
``/outcome`` and ``/act``, over piped stdin on a fresh data dir with the clock moved, not slept.

The real chat reads the real services (bundled models and guidance); each test has its own store.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import MetaData, select

from bot.cli.chat import HELP, TERMINAL_TEAM, TERMINAL_USER, ChatSession, run_chat
from bot.cli.render import PLAN_HINT
from bot.settings import Settings
from bot.slack.render.plans import action_key
from bot.state.plans import DAY_S, Plan, PlanStore
from bot.state.store import SharedStore

SITUATION = "the team are keen but every improvement meeting gets cancelled because of staffing"
NHS_NUMBER = "943 476 5919"
START = datetime(2025, 3, 3, 10, 30, tzinfo=UTC).timestamp()  # a Monday morning
QUESTIONS = (
    "What will we try?",
    "With whom (a team or role)?",
    "For how long, in days?",
    "What do we predict will happen?",
    "What is the one measure we will watch?",
    "When do we look back (YYYY-MM-DD)?",
)


class Clock:
    """The time the chat sees; tests move it forward instead of sleeping."""

    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, days: float) -> None:
        self.now += days * DAY_S


def state_url(data_dir: Path) -> str:
    return Settings(data_dir=data_dir).state_url


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    path = tmp_path / "data"
    path.mkdir()
    return path


@pytest.fixture
def clock() -> Clock:
    return Clock(START)


@pytest.fixture
def services(bundled_services: Any, data_dir: Path, clock: Clock) -> Iterator[Any]:
    """The bundled models and index over a fresh shared store in a fresh data dir."""
    store = SharedStore(state_url(data_dir), clock=clock)
    yield replace(bundled_services, settings=Settings(data_dir=data_dir), store=store)
    store.close()


def chat(services: Any, clock: Clock, capsys: pytest.CaptureFixture[str], *lines: str) -> str:
    """Pipe ``lines`` into the real chat loop; what it printed."""
    capsys.readouterr()
    stdin = io.StringIO("".join(f"{line}\n" for line in lines))
    run_chat(services, stdin, interactive=False, clock=clock)
    return capsys.readouterr().out


def my_plans(services: Any) -> list[Plan]:
    return PlanStore(services.store).for_user(TERMINAL_TEAM, TERMINAL_USER)


def every_cell(url: str) -> list[str]:
    """Every value in every table of the store, as text."""
    store = SharedStore(url)
    try:
        meta = MetaData()
        meta.reflect(store.engine)
        with store.reading() as conn:
            return [
                str(value)
                for table in meta.sorted_tables
                for row in conn.execute(select(table)).all()
                for value in row
            ]
    finally:
        store.close()


def nine_am(day: date) -> float:
    return datetime(day.year, day.month, day.day, 9, tzinfo=UTC).timestamp()


def test_piped_chat_plans_a_test_then_records_its_outcome_when_due(
    bundled_services: Any, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The real entry point on a fresh data dir: diagnose, /plan 1 (an NHS number in "with whom"
    is refused by name and asked again), /plans; then, 15 days on, the due notice and /outcome."""
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("CHANGEBOT_", "SLACK_", "OPENAI_"))
    }
    env["CHANGEBOT_DATA_DIR"] = str(data_dir)
    answers = [
        f"/diagnose {SITUATION}",
        "/plan 1",
        "",  # what: keep the action
        f"the ward day shift, {NHS_NUMBER}",  # refused
        "the ward's day shift",
        "",  # 14 days
        "fewer cancelled huddles",
        "huddles held per week",
        "",  # look back when the test ends
        "/plans",
    ]
    done = subprocess.run(
        [sys.executable, "-m", "bot", "chat"],
        input="".join(f"{a}\n" for a in answers),
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    out = done.stdout
    assert "  1. " in out and PLAN_HINT in out
    assert 'Your answer to "With whom" seems to contain patient-identifiable details' in out
    assert out.count(QUESTIONS[1]) == 2  # asked again
    assert NHS_NUMBER not in out + done.stderr and "9434765919" not in out + done.stderr
    assert "Saved your test of change" in out
    assert "Your tests of change: 0 due, 1 open, 0 done." in out

    url = state_url(data_dir)
    assert not any(NHS_NUMBER in c or "9434765919" in c for c in every_cell(url))
    assert NHS_NUMBER.encode() not in (data_dir / "state.db").read_bytes()

    clock = Clock(time.time() + 15 * DAY_S)  # two weeks and a day later
    store = SharedStore(url, clock=clock)
    services = replace(bundled_services, settings=Settings(data_dir=data_dir), store=store)
    try:
        [plan] = my_plans(services)
        assert plan.with_whom == "the ward's day shift" and plan.days == 14
        assert plan.prediction == "fewer cancelled huddles"
        assert plan.measure == "huddles held per week"
        short = plan.id[:8]
        assert f"{short}  {plan.what}" in out

        out = chat(
            services, clock, capsys, f"/outcome {short} helped the huddles happened", "/plans"
        )
        assert out.startswith(
            f"1 test of change is due: /outcome {short} helped|not_helped|not_tried [note]\n"
        )
        assert f"Recorded for {short}: it helped." in out
        assert f"/act {short} adopt|adapt|abandon" in out
        assert "Your tests of change: 0 due, 0 open, 1 done." in out
        [plan] = my_plans(services)
        assert (plan.status, plan.outcome, plan.note) == ("done", "helped", "the huddles happened")
        assert PlanStore(store).outcome_counts([plan.action_id])[plan.action_id] == (1, 1)

        out = chat(services, clock, capsys, "/plans")  # no longer due: no notice
        assert out.startswith("Your tests of change: 0 due, 0 open, 1 done.")
    finally:
        store.close()


def test_plan_questions_defaults_dates_and_the_slack_action_id(
    services: Any, clock: Clock, capsys: pytest.CaptureFixture[str]
) -> None:
    out = chat(
        services,
        clock,
        capsys,
        f"/diagnose {SITUATION}",
        "/plan 9",  # no such action
        "/plan 2",
        "Drop two standing reports",
        "",  # with whom: left empty
        "two weeks",  # not a number: asked again
        "21",
        "",
        "",
        "2025-03-01",  # before today: asked again
        "2025-03-20",
        "/plans",
    )
    diagnosis = services.responder.respond(SITUATION, [], mode="diagnose").diagnosis
    n = len(diagnosis.actions)
    assert f"Choose one of the suggested actions: /plan 1 to /plan {n}." in out
    assert "Please give a whole number of days from 1 to 366." in out
    assert "Choose a date after today and within a year." in out
    assert f"{QUESTIONS[0]} [{diagnosis.actions[1].text}]" in out  # prefilled from the action
    assert f"{QUESTIONS[5]} [2025-03-24]" in out  # created + 21 days
    [plan] = my_plans(services)
    assert plan.action_id == action_key(services.framework, diagnosis.actions[1])  # as on Slack
    assert plan.barrier == diagnosis.actions[1].barrier
    assert (plan.what, plan.with_whom, plan.days) == ("Drop two standing reports", "", 21)
    assert plan.created_at == START and plan.study_on == nine_am(date(2025, 3, 20))
    assert (plan.team_id, plan.user_id) == ("local", "terminal")
    assert "Open:" in out and "look back 2025-03-20" in out

    clock.advance(16)  # 19 March: not yet
    assert "due" not in chat(services, clock, capsys).lower()
    clock.advance(1)  # 20 March, 10:30
    assert chat(services, clock, capsys).startswith("1 test of change is due: /outcome ")


def test_plan_answers_never_enter_the_conversation_history(services: Any, clock: Clock) -> None:
    session = ChatSession(services, clock=clock)
    session.handle(f"/diagnose {SITUATION}")
    for line in ("/plan 1", "", "the ward's day shift", "", "", "", ""):
        session.handle(line)
    assert [t.text for t in session.history if t.role == "user"] == [f"/diagnose {SITUATION}"]
    assert not session.asking and len(my_plans(services)) == 1


def seed(services: Any, clock: Clock, **values: Any) -> Plan:
    plan = Plan(
        team_id=TERMINAL_TEAM,
        user_id=TERMINAL_USER,
        action_id="hs_stop_list",
        barrier="headspace",
        what="Agree a stop list",
        with_whom="the ward's day shift",
        days=7,
        prediction="more huddles held",
        measure="huddles per week",
        created_at=clock() - 10 * DAY_S,
        **values,
    )
    return PlanStore(services.store).save(plan)


def test_outcome_note_is_screened_and_adapt_starts_a_prefilled_plan(
    services: Any, clock: Clock, capsys: pytest.CaptureFixture[str]
) -> None:
    old = seed(services, clock)
    short = old.id[:8]
    out = chat(
        services,
        clock,
        capsys,
        f"/outcome {short} not-helped patient {NHS_NUMBER} was missed",
        "",  # record it without a note
        f"/act {short} adapt",
        "",
        "",
        "10",
        "",
        "",
        "",
    )
    assert out.startswith(f"1 test of change is due: /outcome {short} ")
    assert "Your note seems to contain patient-identifiable details" in out
    assert NHS_NUMBER not in out
    assert f"Recorded for {short}: it didn't help." in out
    assert f"{QUESTIONS[1]} [the ward's day shift]" in out  # prefilled from the old plan
    assert f"{QUESTIONS[5]} [{(date(2025, 3, 3) + timedelta(days=10)).isoformat()}]" in out
    new, before = my_plans(services)
    assert (before.id, before.outcome, before.note, before.act) == (
        old.id,
        "not_helped",
        "",
        "adapt",
    )
    assert (new.what, new.with_whom, new.measure, new.days) == (
        old.what,
        old.with_whom,
        old.measure,
        10,
    )
    assert (new.action_id, new.barrier, new.status) == (old.action_id, old.barrier, "open")
    assert not any(NHS_NUMBER in c for c in every_cell(services.store.url))

    out = chat(services, clock, capsys, f"/act {new.id[:8]} adopt", "/act zz adopt", "/plans")
    assert f"{new.id[:8]} adopted." in out
    assert "Give the plan's id as /plans shows it" in out
    assert "Your tests of change: 0 due, 0 open, 2 done." in out


def test_commands_without_a_diagnosis_or_with_unknown_ids(
    services: Any, clock: Clock, capsys: pytest.CaptureFixture[str]
) -> None:
    out = chat(
        services,
        clock,
        capsys,
        "/help",
        "/plans",
        "/plan 1",
        "/outcome abcd1234 helped",
        "/outcome",
        "/act abcd1234 keep",
    )
    assert "/plan 1" in HELP and "/outcome ID helped|not_helped|not_tried [note]" in HELP
    assert "/act ID adopt|adapt|abandon" in HELP and HELP in out
    assert "You have no tests of change yet." in out
    assert "There is no diagnosis to plan from yet." in out
    assert "None of your tests of change has that id" in out
    assert "Type /outcome ID helped|not_helped|not_tried [note]." in out


def test_input_ending_mid_plan_saves_nothing(
    services: Any, clock: Clock, capsys: pytest.CaptureFixture[str]
) -> None:
    out = chat(services, clock, capsys, f"/diagnose {SITUATION}", "/plan 1", "", "/cancel")
    assert "Cancelled: the plan was not saved." in out
    out = chat(services, clock, capsys, f"/diagnose {SITUATION}", "/plan 1", "")
    assert out.rstrip().endswith("nothing was saved.)")
    assert my_plans(services) == []
