"""Pure Block Kit builders for answers, notices and feedback (no Slack calls, no I/O).

Why pure: every message changebot posts is built here from core values, so tests can check the
exact JSON (tests/slack/golden/) and the limits (50 blocks, 3,000 characters per section, fallback
``text`` always present) without Slack. Text we did not write is escaped with ``escape_mrkdwn``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Literal

from bot.common.errors import ChangebotError
from bot.core.models import Answer, Citation
from bot.slack.render.escape import escape_mrkdwn, plain, truncate

Block = dict[str, Any]
FeedbackKind = Literal["answer", "diagnosis"]

MAX_BLOCKS = 50
MAX_SECTION_CHARS = 3000
MAX_FALLBACK_CHARS = 3000
MAX_ANSWER_SECTIONS = 6
GENERIC_FAILURE = (
    "Sorry, something went wrong on changebot's side. Nothing was changed; please try again."
)
NO_FEEDBACK_SCOPES = ("patient_data", "injection")
PROVENANCE_LABELS = {
    "source": "from the guidance",
    "interpretation": "changebot's reading of the guidance",
    "suggestion": "changebot's suggestion",
}


@dataclass(frozen=True)
class Rendered:
    """A message ready to post: fallback ``text`` (notifications, screen readers) plus blocks."""

    text: str
    blocks: list[Block] = field(default_factory=list)


def section(mrkdwn: str, *, block_id: str | None = None) -> Block:
    """A mrkdwn section, cut to Slack's 3,000-character limit (callers escape the text)."""
    block: Block = {
        "type": "section",
        "text": {"type": "mrkdwn", "text": truncate(mrkdwn, MAX_SECTION_CHARS)},
    }
    if block_id:
        block["block_id"] = block_id
    return block


def context(*mrkdwn: str) -> Block:
    """Small grey text, up to 10 elements as Slack allows."""
    elements = [{"type": "mrkdwn", "text": truncate(t, MAX_SECTION_CHARS)} for t in mrkdwn[:10]]
    return {"type": "context", "elements": elements}


def header(text: str) -> Block:
    """A header block (plain text, 150 characters at most)."""
    return {"type": "header", "text": {"type": "plain_text", "text": plain(text, 150)}}


def divider() -> Block:
    """A horizontal rule."""
    return {"type": "divider"}


def button(text: str, action_id: str, value: str, style: str | None = None) -> Block:
    """A button element; ``value`` carries ids only, never message text."""
    element: Block = {
        "type": "button",
        "text": {"type": "plain_text", "text": plain(text, 75), "emoji": True},
        "action_id": action_id,
        "value": value[:2000],
    }
    if style:
        element["style"] = style
    return element


def actions(block_id: str, *elements: Block) -> Block:
    """An actions block holding buttons."""
    return {"type": "actions", "block_id": block_id, "elements": list(elements)[:25]}


def fit_blocks(blocks: list[Block]) -> list[Block]:
    """Keep a message within 50 blocks, saying so when something had to be left out."""
    if len(blocks) <= MAX_BLOCKS:
        return blocks
    return [*blocks[: MAX_BLOCKS - 1], context("_Shortened to fit Slack's message limits._")]


def message(text: str, blocks: list[Block]) -> Rendered:
    """Wrap blocks with a fallback text that is escaped, short and never empty."""
    fallback = truncate(" ".join(text.split()), MAX_FALLBACK_CHARS) or "changebot"
    return Rendered(text=fallback, blocks=fit_blocks(blocks))


def feedback_value(kind: FeedbackKind, ref: str, label: str = "") -> str:
    """The button payload: what was rated (kind, opaque id, top barrier id), no text."""
    return json.dumps({"k": kind, "id": ref, "l": label}, separators=(",", ":"))


def feedback_block(kind: FeedbackKind, ref: str, label: str = "") -> Block:
    """👍 / 👎 buttons; 👎 opens an optional reason (see views/feedback_reason)."""
    value = feedback_value(kind, ref, label)
    return actions(
        f"feedback_{kind}",
        button("👍 Helpful", "feedback_up", value),
        button("👎 Not helpful", "feedback_down", value),
    )


def citation_line(citation: Citation) -> str:
    """``[n] Title, section, p. N (from the guidance)``, escaped."""
    parts = [citation.title or citation.document]
    if citation.section:
        parts.append(citation.section)
    if citation.page:
        parts.append(f"p. {citation.page}")
    label = PROVENANCE_LABELS.get(citation.provenance, citation.provenance)
    return f"[{citation.n}] " + escape_mrkdwn(", ".join(parts)) + f" _({label})_"


def split_text(
    text: str, size: int = MAX_SECTION_CHARS - 50, limit: int = MAX_ANSWER_SECTIONS
) -> list[str]:
    """Split long text at paragraph or line breaks into at most ``limit`` section-sized parts."""
    parts: list[str] = []
    rest = text.strip()
    while rest and len(parts) < limit:
        if len(rest) <= size:
            parts.append(rest)
            rest = ""
            break
        cut = max(rest.rfind("\n", 0, size), rest.rfind(". ", 0, size) + 1)
        cut = cut if cut > size // 2 else size
        parts.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest and parts:
        parts[-1] = truncate(parts[-1] + " " + rest, size)
    return parts


def answer_message(answer: Answer, ref: str) -> Rendered:
    """An answer with its citations, provenance, any note, and feedback buttons."""
    body = escape_mrkdwn(answer.answer)
    blocks = [section(part) for part in split_text(body)] or [section("_(no answer text)_")]
    if answer.citations:
        lines = [citation_line(c) for c in answer.citations[:10]]
        blocks.append(context("*Sources*\n" + "\n".join(lines)))
    footer = (
        "Answered offline from the indexed guidance."
        if answer.mode == "offline"
        else ("Written by the language model from the cited passages; check the sources.")
    )
    if answer.note:
        footer += " " + escape_mrkdwn(answer.note)
    blocks.append(context(footer))
    if answer.scope not in NO_FEEDBACK_SCOPES:
        blocks.append(feedback_block("answer", ref))
    return message(body, blocks)


def notice_message(text: str) -> Rendered:
    """A plain one-section message for refusals, busy replies and failures (our own words)."""
    return message(text, [section(text)])


def error_message(error: BaseException) -> Rendered:
    """Any failure in plain words: ``user_message`` for ours, a generic line otherwise."""
    if isinstance(error, ChangebotError):
        return notice_message(escape_mrkdwn(error.user_message))
    return notice_message(GENERIC_FAILURE)
