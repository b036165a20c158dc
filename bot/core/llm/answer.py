"""Answer a question with the language model, grounded in retrieved passages and cited by id.

Why it is built this way: a model's answer is only as good as its citations, so the model must cite
the retrieved chunk ids, every id is checked against what was retrieved, and unknown ids vanish.
Markers are renumbered ``[1]``, ``[2]`` ... to match ``Answer.citations`` exactly. An answer left
with no valid citation is not shown at all: ``LLMUnavailable`` sends the caller back to the
offline answer (reliability plan J6). Passages go in as labelled, delimited data (J2) and the reply
goes through ``llm_filter.clean`` before anyone sees it.
"""

from __future__ import annotations

import logging
import re
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

import prompts
from bot.common.errors import LLMUnavailable
from bot.core.llm.output_filter import allowed_urls, attribute, clean, delimit, suspicious
from bot.core.models import Answer, Passage, Turn, citation_for
from bot.llm.client import LLMClient

logger = logging.getLogger(__name__)

PROMPT_WORDS = 120
MAX_WORDS = 150
HISTORY_TURNS = 4
HISTORY_CHARS = 600
NO_CITATIONS = (
    "The language model's answer did not cite the guidance, so this reply comes from "
    "changebot's offline method."
)
_GROUP = re.compile(r"(\s?)\[([^\[\]\n]{1,300})\]")
_TOKEN = re.compile(r"^[\w.:#/-]+$")
_SPLIT = re.compile(r"[,;\s]+")


class LLMAnswer(BaseModel):
    """What the model must return: answer text with ``[id]`` markers, and the ids it cites."""

    model_config = ConfigDict(extra="ignore")

    answer: str = Field(min_length=1, max_length=1500)
    cited_ids: list[Annotated[str, Field(max_length=120)]] = Field(
        default_factory=list, max_length=8
    )


def llm_answer(
    question: str, passages: list[Passage], llm: LLMClient, history: list[Turn] | None = None
) -> Answer:
    """The model's answer with checked, renumbered citations; LLMUnavailable if none survive."""
    if not passages:
        raise LLMUnavailable(NO_CITATIONS)
    flagged = [p.chunk_id for p in passages if suspicious(p.text)]
    if flagged:
        logger.warning("security: %d retrieved passage(s) look injected: %s", len(flagged), flagged)
    system = prompts.render("answer", canary=llm.canary, max_words=str(PROMPT_WORDS))
    user = _user_message(question, passages, history or [])
    reply = llm.structured([("system", system), ("user", user)], LLMAnswer)
    known = {p.chunk_id: p for p in passages}
    marked = [i for i in _marker_ids(reply.answer) if i in known]
    cited = marked or [i for i in reply.cited_ids if i in known]
    text, cut = clean(reply.answer, allowed_urls(known[i] for i in cited))
    if cut:
        logger.warning("security: model output filtered: %s", dict(sorted(cut.items())))
    text = _limit_words(text, MAX_WORDS)
    if not any(i in known for i in _marker_ids(text)):  # unmarked, or markers cut with the tail
        text = f"{text} " + "".join(f"[{i}]" for i in dict.fromkeys(cited))
    text, order = _renumber(text, known)
    dropped = len(set(reply.cited_ids) - set(known))
    logger.info("llm answer: %d citation(s), %d unknown id(s) dropped", len(order), dropped)
    if not order or not text.strip(" []0123456789"):
        raise LLMUnavailable(NO_CITATIONS)
    citations = [citation_for(n, known[chunk_id]) for n, chunk_id in enumerate(order, start=1)]
    return Answer(answer=text, citations=citations, mode="llm", grounded=True)


def _user_message(question: str, passages: list[Passage], history: list[Turn]) -> str:
    """Passages, earlier turns and the question as delimited data (never as instructions)."""
    parts = ["<passages>"]
    for p in passages:
        meta = f'id="{attribute(p.chunk_id)}" title="{attribute(p.title)}"'
        if p.section:
            meta += f' section="{attribute(p.section)}"'
        parts.append(f"<passage {meta}>\n{delimit(p.text)}\n</passage>")
    parts.append("</passages>")
    if history:
        parts.append("<history>")
        for turn in history[-HISTORY_TURNS:]:
            text = delimit(turn.text[:HISTORY_CHARS])
            parts.append(f'<turn role="{turn.role}">{text}</turn>')
        parts.append("</history>")
    parts.append(f"<question>{delimit(question)}</question>")
    return "\n".join(parts)


def _marker_ids(text: str) -> list[str]:
    ids: list[str] = []
    for group in _GROUP.finditer(text):
        tokens = [t for t in _SPLIT.split(group.group(2)) if t]
        if tokens and all(_TOKEN.match(t) for t in tokens):
            ids.extend(tokens)
    return ids


def _renumber(text: str, known: dict[str, Passage]) -> tuple[str, list[str]]:
    """Replace ``[id, id]`` groups by ``[n][m]`` in order of first use; drop unknown ids."""
    order: list[str] = []

    def replace(match: re.Match[str]) -> str:
        tokens = [t for t in _SPLIT.split(match.group(2)) if t]
        if not tokens or not all(_TOKEN.match(t) for t in tokens):
            return match.group(0)
        numbers = []
        for token in dict.fromkeys(t for t in tokens if t in known):
            if token not in order:
                order.append(token)
            numbers.append(f"[{order.index(token) + 1}]")
        return match.group(1) + "".join(numbers) if numbers else ""

    return _GROUP.sub(replace, text).strip(), order


def _limit_words(text: str, limit: int) -> str:
    """Whole sentences up to ``limit`` words (markers not counted), so answers stay short."""
    kept: list[str] = []
    words = 0
    for sentence in re.split(r"(?<=[.!?])\s+", text):
        count = len(_GROUP.sub("", sentence).split())
        if words + count > limit:
            if not kept:
                kept.append(" ".join(sentence.split()[:limit]) + " …")
            break
        kept.append(sentence)
        words += count
    return " ".join(kept)
