"""Pure Block Kit builders for tests of change (plan, do, study, act).

A suggested action on a diagnosis card offers "Plan a test"; the modal built here asks what we
will try, with whom, for how long, what we predict, the one measure and the date to look back.
On that date one DM asks "Did it help?"; the answer leads to the "Act" step (adopt, adapt,
abandon). App Home lists the person's tests as open, due and done.

Button values carry ids only (plan id, action id, barrier id, card id), never words. The words
in a plan are the person's own, passed the patient-data screen, and are shown back only to them.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from bot.core.models import SuggestedAction
from bot.slack.render.blocks import (
    Block,
    Rendered,
    actions,
    button,
    context,
    message,
    section,
)
from bot.slack.render.escape import escape_mrkdwn, plain, truncate
from bot.state.plans import MIN_OUTCOMES_SHOWN, Plan
from knowledge.framework import Action, Framework

PLAN_CALLBACK = "plan_modal"
NOTE_CALLBACK = "plan_note"
PLAN_BUTTON = "plan_test"
OUTCOME_BUTTONS = {
    "helped": ("Yes, it helped", "plan_helped", "primary"),
    "not_helped": ("It didn't help", "plan_not_helped", None),
    "not_tried": ("We didn't try it", "plan_not_tried", None),
}
ACT_BUTTONS = {
    "adopt": ("Adopt it", "plan_adopt", "primary"),
    "adapt": ("Adapt and test again", "plan_adapt", None),
    "abandon": ("Abandon it", "plan_abandon", None),
}
SNOOZE_BUTTON = "plan_snooze"
CLOSE_BUTTON = "plan_close"
NOTE_BUTTON = "plan_note"
SNOOZE_DAYS = 7
DAY_S = 86_400.0
DEFAULT_DAYS = 14
DURATIONS = {7: "1 week", 14: "2 weeks", 21: "3 weeks", 28: "4 weeks", 42: "6 weeks"}
DURATIONS |= {56: "8 weeks", 84: "12 weeks"}
MAX_LOOK_AHEAD_DAYS = 366
REMIND_AT = time(9, 0, tzinfo=UTC)
LIMITS = {"what": 500, "with_whom": 200, "prediction": 500, "measure": 300}
FIELD_LABELS = {
    "what": "What we will try",
    "with_whom": "With whom",
    "days": "For how long",
    "prediction": "What we predict",
    "measure": "The one measure we will watch",
    "study_on": "The date to look back",
    "note": "Note",
}
OUTCOME_WORDS = {
    "helped": "it helped",
    "not_helped": "it didn't help",
    "not_tried": "it wasn't tried",
}
ACT_WORDS = {"adopt": "adopted", "adapt": "adapted", "abandon": "abandoned"}
HOME_LIMIT = 5


# -- ids ------------------------------------------------------------------------------------------


def action_key(framework: Framework, action: SuggestedAction) -> str:
    """The framework id of a suggested action: its own, else matched by text within its barrier.

    A card stored before actions carried their id is matched by text; an unknown text (an older
    framework, a test double) gets a stable ``x_`` id from a hash of its words, so its outcomes
    are still counted together without storing the words.
    """
    if action.id:
        return action.id
    try:
        known = framework.barrier(action.barrier).actions
    except KeyError:
        known = ()
    for candidate in known:
        if candidate.text == action.text:
            return candidate.id
    digest = hashlib.sha256(" ".join(action.text.lower().split()).encode()).hexdigest()
    return "x_" + digest[:16]


def framework_action(framework: Framework, action_id: str) -> tuple[str, Action] | None:
    """(barrier id, action) for a framework action id, or None."""
    for barrier in framework.barriers:
        for candidate in barrier.actions:
            if candidate.id == action_id:
                return barrier.id, candidate
    return None


def plan_value(action_id: str, barrier: str, card_id: str) -> str:
    """The "Plan a test" button payload: action id, barrier id, card id."""
    return json.dumps({"a": action_id, "b": barrier, "c": card_id}, separators=(",", ":"))


@dataclass(frozen=True)
class PlanRef:
    """A validated "Plan a test" payload (or modal metadata)."""

    action_id: str
    barrier: str
    card_id: str = ""
    channel: str = ""
    parent: str = ""


def _id(value: object, limit: int = 80) -> str:
    text = str(value or "")
    ok = len(text) <= limit and all(c.isalnum() or c in "_-." for c in text)
    return text if ok else ""


def parse_plan_ref(raw: str, barrier_ids: Sequence[str]) -> PlanRef | None:
    """The payload, checked (ids only, a known barrier); None when malformed or forged."""
    try:
        value = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(value, dict):
        return None
    action_id, barrier = _id(value.get("a")), str(value.get("b") or "")
    if not action_id or barrier not in barrier_ids:
        return None
    return PlanRef(
        action_id,
        barrier,
        _id(value.get("c"), 64),
        _id(value.get("ch"), 32),
        _id(value.get("p"), 64),
    )


def ref_metadata(ref: PlanRef) -> str:
    """The modal's ``private_metadata`` (ids only)."""
    data = {"a": ref.action_id, "b": ref.barrier, "c": ref.card_id, "ch": ref.channel}
    if ref.parent:
        data["p"] = ref.parent
    return json.dumps({k: v for k, v in data.items() if v}, separators=(",", ":"))


# -- dates ----------------------------------------------------------------------------------------


def day_of(at: float) -> date:
    """The UTC calendar day of a timestamp."""
    return datetime.fromtimestamp(at, tz=UTC).date()


def study_time(day: date) -> float:
    """When the reminder for a look-back day goes out: 09:00 UTC that day."""
    return datetime.combine(day, REMIND_AT).timestamp()


def default_study_on(now: float, days: int) -> float:
    """The look-back time when the person leaves the date empty: the end of the test."""
    return study_time(day_of(now) + timedelta(days=days))


def short_date(at: float) -> str:
    """``Tue 16 Dec`` style, for messages."""
    return datetime.fromtimestamp(at, tz=UTC).strftime("%a %-d %b %Y")


# -- the modal -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanDraft:
    """What the modal is prefilled with."""

    ref: PlanRef
    what: str = ""
    with_whom: str = ""
    days: int = DEFAULT_DAYS
    prediction: str = ""
    measure: str = ""
    quotes: tuple[str, ...] = field(default_factory=tuple)
    title: str = "Plan a test of change"


def _plain(value: str, limit: int = 150) -> dict[str, Any]:
    return {"type": "plain_text", "text": plain(value, limit), "emoji": True}


def _text_input(
    block_id: str,
    initial: str,
    *,
    hint: str,
    placeholder: str,
    optional: bool = True,
    multiline: bool = False,
) -> Block:
    element: Block = {
        "type": "plain_text_input",
        "action_id": "value",
        "max_length": LIMITS[block_id],
        "multiline": multiline,
        "placeholder": _plain(placeholder),
    }
    if initial.strip():
        element["initial_value"] = initial.strip()[: LIMITS[block_id]]
    return {
        "type": "input",
        "block_id": block_id,
        "optional": optional,
        "label": _plain(FIELD_LABELS[block_id]),
        "hint": _plain(hint),
        "element": element,
    }


def _duration_option(days: int) -> dict[str, Any]:
    label = DURATIONS.get(days) or f"{days} days"
    return {"text": _plain(label), "value": str(days)}


def plan_modal(draft: PlanDraft, framework: Framework) -> dict[str, Any]:
    """The "Plan a test" modal, prefilled from the action and the card."""
    try:
        barrier = framework.barrier(draft.ref.barrier).label
    except KeyError:
        barrier = draft.ref.barrier
    intro = f"A small test against *{escape_mrkdwn(barrier)}*. Plan it, do it, then look back."
    blocks: list[Block] = [section(intro)]
    if draft.quotes:
        said = " ".join(f"“{escape_mrkdwn(truncate(q, 200))}”" for q in draft.quotes[:2])
        blocks.append(context(f"What you said: {said}"))
    days = draft.days if draft.days > 0 else DEFAULT_DAYS
    options = dict.fromkeys(sorted({*DURATIONS, days}))
    blocks += [
        _text_input(
            "what",
            draft.what,
            hint="One small change you can start this week.",
            placeholder="What will you try?",
            optional=False,
            multiline=True,
        ),
        _text_input(
            "with_whom",
            draft.with_whom,
            hint="A team or role, e.g. “the ward's day shift”. No patient details.",
            placeholder="Which team, ward or group?",
        ),
        {
            "type": "input",
            "block_id": "days",
            "label": _plain(FIELD_LABELS["days"]),
            "element": {
                "type": "static_select",
                "action_id": "value",
                "options": [_duration_option(d) for d in options],
                "initial_option": _duration_option(days),
            },
        },
        _text_input(
            "prediction",
            draft.prediction,
            hint="Writing the prediction down first is what makes it a test.",
            placeholder="What do you expect to happen?",
            multiline=True,
        ),
        _text_input(
            "measure",
            draft.measure,
            hint="Something you can count or see, e.g. “meetings cancelled per week”.",
            placeholder="How will you know?",
        ),
        {
            "type": "input",
            "block_id": "study_on",
            "optional": True,
            "label": _plain(FIELD_LABELS["study_on"]),
            "hint": _plain("Leave it empty to look back when the test ends."),
            "element": {
                "type": "datepicker",
                "action_id": "value",
                "placeholder": _plain("When the test ends"),
            },
        },
        context(
            "changebot will DM you once on that date to ask whether it helped. Only you see "
            "your plan. Please never include patient names, NHS numbers or other identifiers."
        ),
    ]
    return {
        "type": "modal",
        "callback_id": PLAN_CALLBACK,
        "title": _plain(draft.title, 24),
        "submit": _plain("Save plan", 24),
        "close": _plain("Cancel", 24),
        "private_metadata": ref_metadata(draft.ref)[:3000],
        "blocks": blocks,
    }


def note_modal(plan_id: str, outcome: str) -> dict[str, Any]:
    """The optional short note after an outcome."""
    return {
        "type": "modal",
        "callback_id": NOTE_CALLBACK,
        "title": _plain("Add a note", 24),
        "submit": _plain("Save note", 24),
        "close": _plain("Skip", 24),
        "private_metadata": json.dumps({"p": plan_id, "o": outcome}, separators=(",", ":")),
        "blocks": [
            {
                "type": "input",
                "block_id": "note",
                "label": _plain("What did you learn? (optional)"),
                "hint": _plain("One or two sentences. No patient details."),
                "element": {
                    "type": "plain_text_input",
                    "action_id": "value",
                    "multiline": True,
                    "max_length": 300,
                },
            }
        ],
    }


# -- messages -------------------------------------------------------------------------------------


def _barrier_label(framework: Framework, barrier: str) -> str:
    try:
        return framework.barrier(barrier).label
    except KeyError:
        return barrier


def plan_summary(plan: Plan, framework: Framework) -> str:
    """The plan in a few escaped lines (the person's own words, shown back to them only)."""
    lines = [f"*{escape_mrkdwn(truncate(plan.what, 300))}*"]
    if plan.with_whom:
        lines.append(f"_With:_ {escape_mrkdwn(truncate(plan.with_whom, 200))}")
    if plan.prediction:
        lines.append(f"_We predicted:_ {escape_mrkdwn(truncate(plan.prediction, 300))}")
    if plan.measure:
        lines.append(f"_Measure:_ {escape_mrkdwn(truncate(plan.measure, 200))}")
    lines.append(
        f"_Barrier:_ {escape_mrkdwn(_barrier_label(framework, plan.barrier))} · "
        f"_look back:_ {short_date(plan.study_on)}"
    )
    return "\n".join(lines)


def saved_message(plan: Plan, framework: Framework) -> Rendered:
    """The confirmation after the modal: what was saved and when changebot will ask."""
    head = f"Your test of change is saved. I'll ask how it went on {short_date(plan.study_on)}."
    return message(
        head,
        [
            section(head),
            section(plan_summary(plan, framework)),
            context("It is listed in my App Home under *My tests of change*."),
        ],
    )


def _outcome_row(plan_id: str, block_id: str) -> Block:
    return actions(
        block_id,
        *(button(text, aid, plan_id, style) for text, aid, style in OUTCOME_BUTTONS.values()),
    )


def reminder_message(plan: Plan, framework: Framework) -> Rendered:
    """The one DM on the look-back date: "Did it help?" with outcome, snooze and close."""
    head = "Time to look back at your test of change. Did it help?"
    return message(
        head,
        [
            section(f"*{head}*"),
            section(plan_summary(plan, framework)),
            _outcome_row(plan.id, "plan_outcome"),
            actions(
                "plan_later",
                button(f"Ask me in {SNOOZE_DAYS} days", SNOOZE_BUTTON, plan.id),
                button("Close this plan", CLOSE_BUTTON, plan.id),
            ),
        ],
    )


def outcome_message(plan: Plan, framework: Framework) -> Rendered:
    """After an outcome: thanks, an optional note, and the Act step."""
    said = OUTCOME_WORDS.get(plan.outcome or "", "recorded")
    head = f"Thanks: recorded that {said}. What next?"
    blocks = [section(f"*{head}*"), section(plan_summary(plan, framework))]
    if plan.note:
        blocks.append(context(f"_Your note:_ {escape_mrkdwn(truncate(plan.note, 300))}"))
    blocks += [
        actions(
            "plan_act",
            *(button(text, aid, plan.id, style) for text, aid, style in ACT_BUTTONS.values()),
        ),
        actions(
            "plan_extra",
            button(
                "Add a short note" if not plan.note else "Change the note", NOTE_BUTTON, plan.id
            ),
        ),
        context(
            "*Adopt*: make it the way you work. *Adapt*: change it and test again. "
            "*Abandon*: stop, and try another action. Only counts are shared, never your words."
        ),
    ]
    return message(head, blocks)


def act_message(plan: Plan, framework: Framework) -> Rendered:
    """The end of a cycle."""
    act = plan.act or ""
    lines = {
        "adopt": "Adopted. Well done: consider how to make it stick, and who else could use it.",
        "adapt": "Adapting it: a new plan is open for you to change and save.",
        "abandon": "Abandoned. That is useful learning too; another action may fit better.",
    }
    head = lines.get(act, "Recorded.")
    return message(head, [section(head), context(plan_summary(plan, framework))])


def snoozed_message(plan: Plan) -> Rendered:
    """After "Ask me later"."""
    until = plan.snoozed_until or plan.study_on
    return Rendered(
        text=f"OK, I'll ask again on {short_date(until)}.",
        blocks=[section(f"OK, I'll ask again on {short_date(until)}.")],
    )


def closed_message(_plan: Plan | None = None) -> Rendered:
    """After "Close this plan"."""
    text = "Closed. I won't ask about this plan again."
    return Rendered(text=text, blocks=[section(text)])


def outcomes_line(counts: tuple[int, int] | None) -> str:
    """The modest line under an action; empty below ``MIN_OUTCOMES_SHOWN`` (5) outcomes."""
    if not counts or counts[0] < MIN_OUTCOMES_SHOWN:
        return ""
    tried, helped = counts
    return f"_Tried by {tried} teams here; {helped} said it helped._"


def plan_button(framework: Framework, action: SuggestedAction, card_id: str) -> Block:
    """The "Plan a test" accessory of one suggested action."""
    value = plan_value(action_key(framework, action), action.barrier, card_id)
    return button("Plan a test", PLAN_BUTTON, value)


def card_action_keys(framework: Framework, suggested: Sequence[SuggestedAction]) -> list[str]:
    """The action ids of a card's suggested actions (for the outcome counts)."""
    return [action_key(framework, a) for a in suggested]


# -- App Home ------------------------------------------------------------------------------------


def group_plans(plans: Sequence[Plan], now: float) -> dict[str, list[Plan]]:
    """Open (running), due (look-back date reached, no outcome yet) and done (outcome or closed)."""
    groups: dict[str, list[Plan]] = {"due": [], "open": [], "done": []}
    for plan in plans:
        if plan.status != "open":
            groups["done"].append(plan)
        elif plan.due(now):
            groups["due"].append(plan)
        else:
            groups["open"].append(plan)
    groups["due"].sort(key=lambda p: p.study_on)
    groups["open"].sort(key=lambda p: p.study_on)
    groups["done"].sort(key=lambda p: -p.created_at)
    return groups


def _home_line(plan: Plan, framework: Framework, now: float) -> str:
    what = escape_mrkdwn(truncate(plan.what, 120))
    barrier = escape_mrkdwn(_barrier_label(framework, plan.barrier))
    if plan.status != "open":
        result = OUTCOME_WORDS.get(plan.outcome or "", "closed")
        act = f", {ACT_WORDS[plan.act]}" if plan.act in ACT_WORDS else ""
        return f"• {what} ({barrier}): {result}{act}"
    if plan.snoozed_until and plan.snoozed_until > now:
        return f"• {what} ({barrier}): asking again {short_date(plan.snoozed_until)}"
    return f"• {what} ({barrier}): look back {short_date(plan.study_on)}"


def plans_home_blocks(
    plans: Sequence[Plan], framework: Framework, now: float, limit: int = HOME_LIMIT
) -> list[Block]:
    """My tests of change: due ones first (with the outcome buttons), then open, then done."""
    blocks: list[Block] = [section("*My tests of change*")]
    if not plans:
        blocks.append(
            context("_None yet. Press *Plan a test* next to a suggested action on a diagnosis._")
        )
        return blocks
    groups = group_plans(plans, now)
    for plan in groups["due"][:limit]:
        blocks.append(section(f"*Due:* {_home_line(plan, framework, now)[2:]}"))
        blocks.append(_outcome_row(plan.id, f"plan_home_{plan.id}"[:255]))
    for name, title in (("open", "Open"), ("done", "Done")):
        shown = groups[name][:limit]
        if shown:
            lines = "\n".join(_home_line(p, framework, now) for p in shown)
            more = len(groups[name]) - len(shown)
            tail = f"\n_…and {more} more._" if more > 0 else ""
            blocks.append(section(f"*{title}*\n{lines}{tail}"))
    counts = ", ".join(f"{len(groups[k])} {k}" for k in ("open", "due", "done"))
    blocks.append(context(f"{counts}. Only you see your plans."))
    return blocks
