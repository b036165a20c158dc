"""Tests of change (the "Plan" of Plan-Do-Study-Act) and what people said about them afterwards.

A plan is the one thing in the shared store that keeps words and a Slack user id: it is the
person's own test of change, shown back to them in App Home, and the study-date reminder has to
reach them. So every free-text field passes the patient-data screen (``bot.common.privacy``)
before it is saved, and a plan is pruned ``CHANGEBOT_RETENTION_DAYS`` after it ends.

When someone says whether a test helped, a second, anonymous row is written to
``changebot_action_outcomes``: the action id, the barrier id, the outcome and the week, and
nothing else (no user, no plan id, no text). That table is what "tried by 14 teams here; 9 said
it helped" is counted from. The plan keeps the id of its row, so a changed answer updates the
count instead of adding to it; the link goes when the plan is pruned.

Reminders: ``claim_due`` marks due plans as reminded in one conditional ``UPDATE … RETURNING``
(on PostgreSQL over rows locked with ``FOR UPDATE SKIP LOCKED``; SQLite has one writer at a
time), so however many replicas sweep at once, each due plan is returned to exactly one of them,
once per study date (a snooze clears the mark for its new date).
"""

from __future__ import annotations

import time
import uuid
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, Field, model_validator
from sqlalchemy import and_, delete, func, or_, select, update

from bot.common.errors import ChangebotError
from bot.common.privacy import screen
from bot.state.insights import week_bucket
from bot.state.schema import action_outcomes, plans

if TYPE_CHECKING:
    from bot.state.store import SharedStore

__all__ = [
    "MIN_OUTCOMES_SHOWN",
    "Act",
    "Outcome",
    "Plan",
    "PlanNotFound",
    "PlanRefused",
    "PlanStatus",
    "PlanStore",
    "prune_plans",
]

PlanStatus = Literal["open", "done", "closed"]
Outcome = Literal["helped", "not_helped", "not_tried"]
Act = Literal["adopt", "adapt", "abandon"]

DAY_S = 86_400.0
MIN_OUTCOMES_SHOWN = 5  # the card shows "tried by N; M said it helped" only from this many
TERMINAL_TEAM = "local"  # the terminal chat's plans: it reminds of them itself, Slack must not
TEXT_MAX = 3000  # Slack's own limit for a plain-text input
# the free-text fields, with the words the person saw in the modal (for the refusal message)
SCREENED_FIELDS = {
    "what": "What we will try",
    "with_whom": "With whom",
    "prediction": "What we predict",
    "measure": "The measure we will watch",
    "note": "Note",
}
_COLUMNS = [
    "id", "team_id", "user_id", "action_id", "barrier", "what", "with_whom", "days",
    "prediction", "measure", "created_at", "study_on", "status", "reminded_at",
    "snoozed_until", "outcome", "note", "act",
]  # fmt: skip


class Plan(BaseModel):
    """A test of change: what will be tried, with whom, for how long, and how it went.

    ``id`` and ``created_at`` default to a new id and now; ``study_on`` (the day to look back,
    epoch seconds) defaults to ``created_at + days``. Free-text fields are screened by
    ``PlanStore.save`` and ``record_outcome``.
    """

    id: str = Field(default_factory=lambda: uuid.uuid4().hex, min_length=1, max_length=32)
    team_id: str = Field(min_length=1, max_length=32)
    user_id: str = Field(min_length=1, max_length=32)  # the Slack user to remind (their own plan)
    action_id: str = Field(min_length=1, max_length=100)
    barrier: str = Field(min_length=1, max_length=50)
    what: str = Field(min_length=1, max_length=TEXT_MAX)
    with_whom: str = Field("", max_length=TEXT_MAX)
    days: int = Field(14, ge=1, le=366)
    prediction: str = Field("", max_length=TEXT_MAX)
    measure: str = Field("", max_length=TEXT_MAX)
    created_at: float = Field(default_factory=time.time)
    study_on: float = 0.0  # 0 (or omitted): created_at + days
    status: PlanStatus = "open"
    reminded_at: float | None = None
    snoozed_until: float | None = None
    outcome: Outcome | None = None
    note: str = Field("", max_length=TEXT_MAX)
    act: Act | None = None

    @model_validator(mode="before")
    @classmethod
    def _default_study_on(cls, data: Any) -> Any:
        if isinstance(data, dict) and not data.get("study_on"):
            data = dict(data)
            created = data.get("created_at")
            if created is None:
                created = data["created_at"] = time.time()
            data["study_on"] = float(created) + int(data.get("days") or 14) * DAY_S
        return data

    @property
    def remind_at(self) -> float:
        """When the "Did it help?" reminder is due: the snooze date, else the study date."""
        return self.snoozed_until if self.snoozed_until is not None else self.study_on

    def due(self, now: float) -> bool:
        """True while the plan is open and its reminder time has come."""
        return self.status == "open" and self.remind_at <= now


class PlanRefused(ChangebotError):
    """A field of the plan looks like it holds patient-identifiable data; nothing was saved."""

    def __init__(self, field: str, kinds: tuple[str, ...] = ()) -> None:
        self.field = field
        self.kinds = kinds
        label = SCREENED_FIELDS.get(field, "the plan's fields taken together")
        where = f'the "{label}" field' if field in SCREENED_FIELDS else label
        super().__init__(
            f"changebot did not save this plan because {where} seems to contain "
            "patient-identifiable details. Please describe it again without names, NHS "
            "numbers, dates of birth, hospital numbers, addresses or contact details."
        )


class PlanNotFound(ChangebotError):
    """No plan has this id (it was pruned, or never saved)."""

    default_message = "That test of change is no longer kept, so nothing was changed."


def screen_plan_text(values: dict[str, str]) -> None:
    """Raise ``PlanRefused`` naming the first field that fails the screen (never its text)."""
    for field in SCREENED_FIELDS:
        text = values.get(field) or ""
        if text:
            result = screen(text)
            if result.sensitive:
                raise PlanRefused(field, result.kinds)
    together = "\n\n".join(values.get(field) or "" for field in SCREENED_FIELDS)
    result = screen(together)  # context in one field can make a number in another identifying
    if result.sensitive:
        raise PlanRefused("together", result.kinds)


def _plan(row: Any) -> Plan:
    return Plan.model_validate({name: row._mapping[name] for name in _COLUMNS})


class PlanStore:
    """Plans and anonymous outcomes in the shared store (every replica sees the same)."""

    def __init__(self, store: SharedStore) -> None:
        self.store = store

    # -- writing -------------------------------------------------------------------------------
    def save(self, plan: Plan) -> Plan:
        """Screen the free text, then insert the plan (or replace the one with its id)."""
        screen_plan_text(plan.model_dump(include=set(SCREENED_FIELDS)))
        values = plan.model_dump(include=set(_COLUMNS))
        values["updated_at"] = self.store.clock()
        columns = {k: v for k, v in values.items() if k != "id"}
        statement = (
            self.store.insert_or(plans)
            .values(**values)
            .on_conflict_do_update(index_elements=[plans.c.id], set_=columns)
        )
        with self.store.transaction() as conn:
            conn.execute(statement)
        return plan

    def snooze(self, plan_id: str, until: float) -> Plan:
        """Remind again at ``until`` (the reminded mark is cleared).

        An open plan is reminded once more then; a done or closed one keeps its status and is
        never reminded.
        """
        return self._update(plan_id, snoozed_until=float(until), reminded_at=None)

    def record_outcome(self, plan_id: str, outcome: Outcome, note: str = "") -> Plan:
        """The person said how the test went: the plan is done, and the anonymous count updated.

        Saying it again (a second click, another replica) changes the one anonymous row this
        plan already has instead of adding another. An empty ``note`` keeps the note already
        given (a button after the note modal does not wipe it).
        """
        if outcome not in ("helped", "not_helped", "not_tried"):
            raise ValueError(f"unknown outcome {outcome!r}")
        if len(note) > TEXT_MAX:
            raise ValueError("note too long")
        screen_plan_text({"note": note})
        now = self.store.clock()
        new_row = uuid.uuid4().hex
        with self.store.transaction() as conn:
            # a write first: it takes the row lock (PostgreSQL) or the write lock (SQLite)
            linked = conn.execute(
                update(plans)
                .where(plans.c.id == plan_id, plans.c.outcome_row.is_(None))
                .values(outcome_row=new_row)
            ).rowcount
            row = conn.execute(
                update(plans)
                .where(plans.c.id == plan_id)
                .values(
                    status="done",
                    outcome=outcome,
                    updated_at=now,
                    **({"note": note} if note else {}),
                )
                .returning(*plans.c)
            ).first()
            if row is None:
                raise PlanNotFound()
            if linked:
                conn.execute(
                    action_outcomes.insert().values(
                        id=new_row,
                        action_id=row.action_id,
                        barrier=row.barrier,
                        outcome=outcome,
                        week=week_bucket(now),
                    )
                )
            else:
                conn.execute(
                    update(action_outcomes)
                    .where(action_outcomes.c.id == row.outcome_row)
                    .values(outcome=outcome)
                )
        return _plan(row)

    def act(self, plan_id: str, act: Act) -> Plan:
        """Record the next step (adopt, adapt or abandon); an open plan is closed by it.

        For "adapt" the caller opens a new plan prefilled from this one (``adapted``).
        """
        if act not in ("adopt", "adapt", "abandon"):
            raise ValueError(f"unknown act {act!r}")
        plan = self.get(plan_id)
        if plan is None:
            raise PlanNotFound()
        status = "closed" if plan.status == "open" else plan.status
        return self._update(plan_id, act=act, status=status)

    def close(self, plan_id: str) -> Plan:
        """The person closed the plan: no reminder is sent for it any more."""
        return self._update(plan_id, status="closed")

    def _update(self, plan_id: str, **values: Any) -> Plan:
        with self.store.transaction() as conn:
            row = conn.execute(
                update(plans)
                .where(plans.c.id == plan_id)
                .values(updated_at=self.store.clock(), **values)
                .returning(*plans.c)
            ).first()
        if row is None:
            raise PlanNotFound()
        return _plan(row)

    # -- reminders -----------------------------------------------------------------------------
    def claim_due(self, now: float, limit: int = 50, *, skip_team: str | None = None) -> list[Plan]:
        """Mark up to ``limit`` due, not yet reminded open plans as reminded; returns them.

        Each plan is returned once per reminder date across every replica calling at once.
        ``skip_team`` leaves one team's plans alone (Slack skips the terminal's, which the chat
        reminds of itself when it starts).
        """
        remind_at = func.coalesce(plans.c.snoozed_until, plans.c.study_on)
        due = and_(plans.c.status == "open", plans.c.reminded_at.is_(None), remind_at <= now)
        if skip_team is not None:
            due = and_(due, plans.c.team_id != skip_team)
        chosen = select(plans.c.id).where(due).order_by(remind_at, plans.c.id).limit(limit)
        if self.store.backend == "postgresql":
            chosen = chosen.with_for_update(skip_locked=True)
        statement = (
            update(plans)
            .where(plans.c.id.in_(chosen.scalar_subquery()), due)  # re-checked after any wait
            .values(reminded_at=now)
            .returning(*plans.c)
        )
        with self.store.transaction() as conn:
            rows = conn.execute(statement).all()
        return sorted((_plan(r) for r in rows), key=lambda p: (p.remind_at, p.id))

    # -- reading -------------------------------------------------------------------------------
    def get(self, plan_id: str) -> Plan | None:
        """The plan with this id, or None."""
        with self.store.reading() as conn:
            row = conn.execute(select(plans).where(plans.c.id == plan_id)).first()
        return None if row is None else _plan(row)

    def for_user(self, team_id: str, user_id: str) -> list[Plan]:
        """This person's plans, newest first."""
        with self.store.reading() as conn:
            rows = conn.execute(
                select(plans)
                .where(plans.c.team_id == team_id, plans.c.user_id == user_id)
                .order_by(plans.c.created_at.desc(), plans.c.id)
            ).all()
        return [_plan(r) for r in rows]

    def all_plans(self) -> list[Plan]:
        """Every plan kept, newest first (for the CLI)."""
        with self.store.reading() as conn:
            rows = conn.execute(select(plans).order_by(plans.c.created_at.desc(), plans.c.id)).all()
        return [_plan(r) for r in rows]

    def outcome_counts(self, action_ids: list[str]) -> dict[str, tuple[int, int]]:
        """``action_id -> (tried, helped)`` for each id asked, ``(0, 0)`` when none.

        ``tried`` counts "helped" and "didn't help"; "not tried" answers are kept, not counted.
        """
        counts = {action_id: (0, 0) for action_id in action_ids}
        if not action_ids:
            return counts
        with self.store.reading() as conn:
            rows = conn.execute(
                select(action_outcomes.c.action_id, action_outcomes.c.outcome, func.count())
                .where(
                    action_outcomes.c.action_id.in_(list(action_ids)),
                    action_outcomes.c.outcome.in_(["helped", "not_helped"]),
                )
                .group_by(action_outcomes.c.action_id, action_outcomes.c.outcome)
            ).all()
        for action_id, outcome, n in rows:
            tried, helped = counts[action_id]
            counts[action_id] = (tried + int(n), helped + (int(n) if outcome == "helped" else 0))
        return counts


def adapted(plan: Plan, now: float) -> Plan:
    """A new open plan prefilled from ``plan`` (the "adapt" step), starting ``now``."""
    return Plan(
        team_id=plan.team_id,
        user_id=plan.user_id,
        action_id=plan.action_id,
        barrier=plan.barrier,
        what=plan.what,
        with_whom=plan.with_whom,
        days=plan.days,
        prediction=plan.prediction,
        measure=plan.measure,
        created_at=now,
    )


def prune_plans(store: SharedStore, retention_days: int, now: float | None = None) -> int:
    """Delete plans that ended ``retention_days`` ago; returns how many went.

    Ended: done or closed, or still open with a reminder date that long past (never answered).
    """
    cutoff = (store.clock() if now is None else now) - retention_days * DAY_S
    remind_at = func.coalesce(plans.c.snoozed_until, plans.c.study_on)
    ended = or_(plans.c.status != "open", remind_at < cutoff)
    with store.transaction() as conn:
        return int(conn.execute(delete(plans).where(plans.c.updated_at < cutoff, ended)).rowcount)
