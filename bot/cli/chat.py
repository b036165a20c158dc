"""The terminal conversation: the same behaviour as the Slack bot, one line at a time.

Questions are answered; situations are diagnosed; ``/diagnose TEXT``, ``/help`` and
``/sources`` work as in Slack. The conversation so far is the context for follow-ups.

Tests of change (plan, do, study, act) work here too, in the same shared store as Slack
(``services.store``, opened at ``Settings().state_url``). The terminal has no Slack identity, so
its plans belong to the user ``terminal`` in the team ``local``:

- after a diagnosis its suggested actions are numbered, and ``/plan N`` asks for a plan of
  action N one question per line (Enter keeps the default in brackets, so piped input works;
  ``/cancel`` stops);
- ``/plans`` lists them (due, open, done); a chat that starts when one is due says so;
- ``/outcome ID helped|not_helped|not_tried [note]`` records how it went, and
  ``/act ID adopt|adapt|abandon`` the next step (adapt starts a new plan prefilled from it).

Every free-text answer passes the patient-data screen before it is kept; a refusal names the
question, never the words, and asks it again. Plan answers and commands never enter the
conversation history (only questions and situations do, and only when they pass the screen).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from typing import Any, TextIO, cast, get_args

from sqlalchemy.exc import SQLAlchemyError

from bot.cli.follow_through import plan_groups
from bot.cli.render import ACT_WORDS, OUTCOME_WORDS, day_text, plan_text, reply_text
from bot.common.errors import ChangebotError
from bot.common.privacy import screen
from bot.core.models import Diagnosis, Turn
from bot.core.respond import Mode
from bot.services import Services

# The framework id of a suggested action, exactly as the Slack card's "Plan a test" derives it,
# so outcomes from both surfaces are counted together.
from bot.slack.render.plans import action_key
from bot.state.plans import (
    TERMINAL_TEAM,
    Act,
    Outcome,
    Plan,
    PlanRefused,
    PlanStore,
    adapted,
    screen_plan_text,
)

logger = logging.getLogger(__name__)

HELP = """I help people leading change in the NHS, using the Health Foundation's Constructive
comfort framework (four barrier areas, seven success factors, three approach types).
  - Ask a question:      what are the four barriers to change?
  - Diagnose a problem:  /diagnose the team are keen but every workshop gets cancelled
  - Plan a test:         /plan 1   (after a diagnosis: a test of change for its action 1)
  - Your tests:          /plans    (due, open and done)
  - Say how it went:     /outcome ID helped|not_helped|not_tried [note]
  - Decide what next:    /act ID adopt|adapt|abandon
  - See what I know:     /sources
Type a line and press Enter; end with Ctrl-D. Never type patient names, NHS numbers or other
identifiers."""

HISTORY_TURNS = 6
TERMINAL_USER = "terminal"
DEFAULT_DAYS = 14
MAX_DAYS = 366
REMIND_AT = clock_time(9, 0, tzinfo=UTC)  # the look-back day's reminder time, as on Slack
SHORT_ID = 8
MIN_ID = 4
LIMITS = {"what": 500, "with_whom": 200, "prediction": 500, "measure": 300, "note": 300}
QUESTIONS = {  # field -> (its name in a refusal, the question)
    "what": ("What we will try", "What will we try?"),
    "with_whom": ("With whom", "With whom (a team or role)?"),
    "days": ("For how long", "For how long, in days?"),
    "prediction": ("What we predict", "What do we predict will happen?"),
    "measure": ("The one measure", "What is the one measure we will watch?"),
    "study_on": ("The look-back date", "When do we look back (YYYY-MM-DD)?"),
}
TEXT_FIELDS = ("what", "with_whom", "prediction", "measure")
OUTCOMES: tuple[str, ...] = get_args(Outcome)
ACTS: tuple[str, ...] = get_args(Act)
OUTCOME_CHOICES = "helped|not_helped|not_tried [note]"
OUTCOME_USAGE = f"/outcome ID {OUTCOME_CHOICES}"
ACT_USAGE = "/act ID adopt|adapt|abandon"
PATIENT_DATA = (
    "seems to contain patient-identifiable details (a name, NHS number, date of birth or "
    "similar), so it was not kept."
)
STORE_DOWN = "Sorry, I couldn't reach the store of tests of change just now. Nothing was changed."


def day_of(at: float) -> date:
    """The UTC calendar day of a timestamp."""
    return datetime.fromtimestamp(at, tz=UTC).date()


def study_time(day: date) -> float:
    """When a look-back day is due: 09:00 UTC that day (the time Slack's reminder goes out)."""
    return datetime.combine(day, REMIND_AT).timestamp()


def short(plan: Plan) -> str:
    """The id people type: the first characters of the plan's id (as ``changebot plans``)."""
    return plan.id[:SHORT_ID]


@dataclass
class PlanForm:
    """A plan being asked for, one question at a time."""

    action_id: str
    barrier: str
    created_at: float
    values: dict[str, Any]
    first: dict[str, Any] = field(default_factory=dict)  # the prefill, to start again from
    step: int = 0

    @property
    def current(self) -> str:
        """The field the next answer is for."""
        return list(QUESTIONS)[self.step]

    def default(self) -> str:
        """The default shown in brackets for the current question ('' when there is none)."""
        if self.current == "days":
            return str(self.values["days"])
        if self.current == "study_on":
            return (day_of(self.created_at) + timedelta(days=self.values["days"])).isoformat()
        return str(self.values[self.current] or "")

    def question(self) -> str:
        """The current question, with its default in brackets."""
        default = self.default()
        hint = f"[{default}]" if default else "(Enter to skip)"
        return f"{QUESTIONS[self.current][1]} {hint}"


@dataclass
class PendingNote:
    """An outcome waiting for its note again, after the first note failed the screen."""

    plan_id: str
    outcome: Outcome


class ChatSession:
    """One terminal conversation: its history, its last diagnosis and any question being asked.

    ``clock`` is the time the session's plans are made and judged due by (tests move it).
    """

    def __init__(
        self,
        services: Services,
        *,
        clock: Callable[[], float] = time.time,
        history: list[Turn] | None = None,
    ) -> None:
        self.services = services
        self.clock = clock
        self.plans = PlanStore(services.store)
        self.history: list[Turn] = list(history or [])
        self.diagnosis: Diagnosis | None = None
        self.form: PlanForm | None = None
        self.pending_note: PendingNote | None = None

    @property
    def asking(self) -> bool:
        """True while the next line answers a question (an empty line then means "default")."""
        return self.form is not None or self.pending_note is not None

    # -- the conversation --------------------------------------------------------------------
    def handle(self, line: str) -> str:
        """The reply to one line of input."""
        text = line.strip()
        if self.form is not None:
            return self._guarded(lambda: self._answer(text))
        if self.pending_note is not None:
            return self._guarded(lambda: self._note_again(text))
        command, _, rest = text.partition(" ")
        rest = rest.strip()
        if text in {"/help", "help"}:
            return HELP
        if text == "/sources":
            docs = self.services.index.documents()
            return "\n".join(
                [f"{len(docs)} documents indexed:"]
                + [f"  - {d.title} ({d.chunks} chunks)" for d in docs]
            )
        if command == "/plan":
            return self._guarded(lambda: self._start_plan(rest))
        if command == "/plans":
            return self._guarded(self._list_plans)
        if command == "/outcome":
            return self._guarded(lambda: self._outcome(rest))
        if command == "/act":
            return self._guarded(lambda: self._act(rest))
        if command == "/diagnose":
            return self._converse(text, rest, "diagnose")
        return self._converse(text, text, "auto")

    def _converse(self, line: str, text: str, mode: Mode) -> str:
        reply = self.services.responder.respond(text, self.history, mode=mode)
        diagnosis = reply.diagnosis
        if diagnosis is not None and diagnosis.scope == "in_scope" and diagnosis.actions:
            self.diagnosis = diagnosis  # what /plan N numbers from
        out = reply_text(reply, self.services.framework, plan_hint=True)
        if not screen(line).sensitive:  # patient data is not kept, even in memory
            self.history = [
                *self.history,
                Turn(role="user", text=line),
                Turn(role="assistant", text=out),
            ][-HISTORY_TURNS:]
        return out

    def _guarded(self, step: Callable[[], str]) -> str:
        """A plan step; a store that cannot be reached is a plain sentence, not a crash."""
        try:
            return step()
        except ChangebotError as exc:
            return exc.user_message
        except SQLAlchemyError as exc:
            logger.warning("plan store unavailable (%s)", type(exc).__name__)
            self.form = self.pending_note = None
            return STORE_DOWN

    def opening(self) -> str:
        """What the chat says first: the tests of change now due, if any."""
        try:
            mine = self.plans.for_user(TERMINAL_TEAM, TERMINAL_USER)
        except (ChangebotError, SQLAlchemyError) as exc:
            logger.warning("plan store unavailable at start (%s)", type(exc).__name__)
            return ""
        now = self.clock()
        due = sorted((p for p in mine if p.due(now)), key=lambda p: p.remind_at)
        if not due:
            return ""
        if len(due) == 1:
            head = f"1 test of change is due: /outcome {short(due[0])} {OUTCOME_CHOICES}"
        else:
            head = f"{len(due)} tests of change are due: {OUTCOME_USAGE}"
        lines = [head]
        for p in due:
            what = " ".join(p.what.split())
            lines.append(f"  {short(p)}  {what} (look back {day_text(p.study_on)})")
        return "\n".join(lines)

    def end(self) -> str:
        """What to say when the input ends in the middle of a question."""
        if self.form is not None:
            return "(Input ended before the plan was finished: nothing was saved.)"
        if self.pending_note is not None:
            return "(Input ended before the note: nothing was recorded.)"
        return ""

    # -- /plan N and its questions -------------------------------------------------------------
    def _start_plan(self, rest: str) -> str:
        if self.diagnosis is None:
            return (
                "There is no diagnosis to plan from yet. Describe what is happening (or use "
                "/diagnose ...); its suggested actions are numbered, then type /plan N."
            )
        actions = self.diagnosis.actions
        if not rest.isdigit() or not 1 <= int(rest) <= len(actions):
            return f"Choose one of the suggested actions: /plan 1 to /plan {len(actions)}."
        n = int(rest)
        action = actions[n - 1]
        framework = self.services.framework
        now = self.clock()
        values = {
            "what": action.text,
            "with_whom": "",
            "days": DEFAULT_DAYS,
            "prediction": "",
            "measure": "",
        }
        self.form = PlanForm(action_key(framework, action), action.barrier, now, values)
        self.form.first = dict(values)
        return "\n".join(
            [
                f"Planning a test of change for action {n} "
                f"(barrier: {self._barrier_label(action.barrier)}).",
                *self._form_intro(),
            ]
        )

    def _adapt_form(self, plan: Plan) -> list[str]:
        fresh = adapted(plan, self.clock())
        values = {
            "what": fresh.what,
            "with_whom": fresh.with_whom,
            "days": fresh.days,
            "prediction": fresh.prediction,
            "measure": fresh.measure,
        }
        self.form = PlanForm(fresh.action_id, fresh.barrier, fresh.created_at, values)
        self.form.first = dict(values)
        return [
            f"A new test of change, prefilled from {short(plan)} "
            f"(barrier: {self._barrier_label(plan.barrier)}): change what you need to.",
            *self._form_intro(),
        ]

    def _form_intro(self) -> list[str]:
        assert self.form is not None
        return [
            "One question at a time: press Enter to keep what is in [brackets], or type /cancel "
            "to stop. Never include patient names, NHS numbers or other identifiers.",
            self.form.question(),
        ]

    def _barrier_label(self, barrier: str) -> str:
        try:
            return self.services.framework.barrier(barrier).label
        except KeyError:
            return barrier

    def _answer(self, text: str) -> str:
        form = self.form
        assert form is not None
        if text == "/cancel":
            self.form = None
            return "Cancelled: the plan was not saved."
        name = form.current
        if name in TEXT_FIELDS:
            value = text or str(form.values[name] or "")
            if name == "what" and not value:
                return f"Say what you will try.\n{form.question()}"
            if len(value) > LIMITS[name]:
                return f"Please keep it under {LIMITS[name]} characters.\n{form.question()}"
            try:
                screen_plan_text({name: value})
            except PlanRefused:
                return f"{self._refused(name)}\n{form.question()}"
            form.values[name] = value
        elif name == "days":
            value = text or str(form.values["days"])
            if not value.isdigit() or not 1 <= int(value) <= MAX_DAYS:
                ask = form.question()
                return f"Please give a whole number of days from 1 to {MAX_DAYS}.\n{ask}"
            form.values["days"] = int(value)
        else:  # the look-back date
            today = day_of(form.created_at)
            try:
                day = date.fromisoformat(text or form.default())
            except ValueError:
                return f"Please give the date as YYYY-MM-DD.\n{form.question()}"
            if not today < day <= today + timedelta(days=MAX_DAYS):
                return f"Choose a date after today and within a year.\n{form.question()}"
            form.values["study_on"] = study_time(day)
        form.step += 1
        if form.step < len(QUESTIONS):
            return form.question()
        return self._save(form)

    def _refused(self, name: str) -> str:
        label = QUESTIONS[name][0]
        return f'Your answer to "{label}" {PATIENT_DATA} Please answer again without them.'

    def _save(self, form: PlanForm) -> str:
        plan = Plan(
            team_id=TERMINAL_TEAM,
            user_id=TERMINAL_USER,
            action_id=form.action_id,
            barrier=form.barrier,
            created_at=form.created_at,
            **form.values,
        )
        try:
            saved = self.plans.save(plan)  # screens every field again, and all of them together
        except PlanRefused as exc:
            if exc.field in TEXT_FIELDS:
                form.step = list(QUESTIONS).index(exc.field)
                return f"{self._refused(exc.field)}\n{form.question()}"
            form.values = dict(form.first)
            form.step = 0
            return (
                "Taken together, these answers seem to contain patient-identifiable details, so "
                "nothing was saved. Let's go through them again.\n" + form.question()
            )
        self.form = None
        return "\n".join(
            [
                f"Saved your test of change {short(saved)}:",
                plan_text(saved, self.services.framework),
                f"On or after {day_text(saved.study_on)}, a chat that starts will remind you; "
                f"then type /outcome {short(saved)} {OUTCOME_CHOICES}. "
                "/plans lists your tests of change.",
            ]
        )

    # -- /plans, /outcome, /act ----------------------------------------------------------------
    def _mine(self) -> list[Plan]:
        return self.plans.for_user(TERMINAL_TEAM, TERMINAL_USER)

    def _find(self, ref: str) -> Plan | str:
        """The plan of mine whose id starts with ``ref``, or what to say instead (never ``ref``)."""
        ref = ref.lower()
        if len(ref) < MIN_ID or not ref.isalnum():
            return f"Give the plan's id as /plans shows it (at least {MIN_ID} characters)."
        found = [p for p in self._mine() if p.id.startswith(ref)]
        if not found:
            return "None of your tests of change has that id; /plans lists them with their ids."
        if len(found) > 1:
            return "More than one of your tests of change starts with that; give more of the id."
        return found[0]

    def _list_plans(self) -> str:
        mine = self._mine()
        if not mine:
            return "You have no tests of change yet. After a diagnosis, type /plan N to plan one."
        groups = plan_groups(mine, self.clock())
        counts = ", ".join(f"{len(group)} {title.lower()}" for title, group in groups)
        lines = [f"Your tests of change: {counts}."]
        hints = {"Due": f"say how it went: {OUTCOME_USAGE}"}
        if any(p.outcome and not p.act for p in groups[2][1]):
            hints["Done"] = f"the next step: {ACT_USAGE}"
        for title, group in groups:
            if group:
                lines.append(f"\n{title} ({hints[title]}):" if title in hints else f"\n{title}:")
                lines.extend(plan_text(p, self.services.framework) for p in group)
        return "\n".join(lines)

    def _outcome(self, rest: str) -> str:
        parts = rest.split(maxsplit=2)
        if len(parts) < 2:
            return f"Type {OUTCOME_USAGE}."
        found = self._find(parts[0])
        if isinstance(found, str):
            return found
        said = parts[1].lower().replace("-", "_")
        if said not in OUTCOMES:
            return f"Say helped, not_helped or not_tried: {OUTCOME_USAGE}."
        return self._record(found.id, cast(Outcome, said), parts[2] if len(parts) > 2 else "")

    def _record(self, plan_id: str, outcome: Outcome, note: str) -> str:
        if len(note) > LIMITS["note"]:
            self.pending_note = PendingNote(plan_id, outcome)
            return (
                f"Please keep the note under {LIMITS['note']} characters. Type it again, or "
                "press Enter to record it without a note (/cancel records nothing):"
            )
        try:
            plan = self.plans.record_outcome(plan_id, outcome, note)
        except PlanRefused:
            self.pending_note = PendingNote(plan_id, outcome)
            return (
                f"Your note {PATIENT_DATA} Nothing was recorded yet. Type the note again without "
                "them, or press Enter to record it without a note (/cancel records nothing):"
            )
        self.pending_note = None
        return "\n".join(
            [
                f"Recorded for {short(plan)}: {OUTCOME_WORDS[outcome]}. Thank you.",
                f"What next? /act {short(plan)} adopt|adapt|abandon",
                "  adopt: make it the way you work; adapt: change it and test again (a new "
                "plan, prefilled from this one); abandon: stop, and try another action.",
            ]
        )

    def _note_again(self, text: str) -> str:
        pending = self.pending_note
        assert pending is not None
        if text == "/cancel":
            self.pending_note = None
            return "Cancelled: nothing was recorded."
        return self._record(pending.plan_id, pending.outcome, text)

    def _act(self, rest: str) -> str:
        parts = rest.split()
        if len(parts) != 2:
            return f"Type {ACT_USAGE}."
        found = self._find(parts[0])
        if isinstance(found, str):
            return found
        act = parts[1].lower()
        if act not in ACTS:
            return f"Say adopt, adapt or abandon: {ACT_USAGE}."
        plan = self.plans.act(found.id, cast(Act, act))
        head = f"{short(plan)} {ACT_WORDS[act]}."
        if act == "adopt":
            return f"{head} Well done: consider how to make it stick, and who else could use it."
        if act == "abandon":
            return f"{head} That is useful learning too; another action may fit better."
        return "\n".join([head, *self._adapt_form(plan)])


def chat_reply(services: Services, line: str, history: list[Turn]) -> str:
    """One reply to one line of input (commands, questions or situations), without a session."""
    return ChatSession(services, history=history).handle(line)


def run_chat(
    services: Services,
    stream: TextIO,
    *,
    interactive: bool,
    clock: Callable[[], float] = time.time,
) -> None:
    """Read lines until EOF, printing one reply per line (empty lines only answer questions)."""
    session = ChatSession(services, clock=clock)
    if interactive:
        print(HELP)  # noqa: T201 - this is the terminal surface
    notice = session.opening()
    if notice:
        print(notice, flush=True)  # noqa: T201
    while True:
        if interactive:
            print("\n> ", end="", flush=True)  # noqa: T201
        line = stream.readline()
        if not line:
            ending = session.end()
            if ending:
                print(ending, flush=True)  # noqa: T201
            break
        if not line.strip() and not session.asking:
            continue
        reply = session.handle(line)
        if reply:
            print(reply, flush=True)  # noqa: T201
