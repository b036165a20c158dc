"""A question that asks two things at once, answered one ask at a time.

"who wrote the 'transformational change in nhs providers' supplement, and how many pages is it"
searched whole finds the passages about its authors, and the page count, judged against those,
is not there: the whole question was declined though the guidance answers both halves. Each ask
is searched and judged on its own here, with what the first one names put in place of the second
one's "it", and the answers are joined, their citations numbered afresh. Only a message declined
whole is split (``Responder``), and it is answered only when every ask is.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from bot.core.answering.extractive import MAX_WORDS, REPORT_LEAD
from bot.core.answering.question_form import message_parts
from bot.core.answering.topics import topical_terms
from bot.core.models import Answer, Citation
from bot.core.wording import word_count

MIN_ASK_WORDS = 3  # "and where" is no ask of its own
MAX_ASKS = 3
MAX_WORDS_BEFORE_NAMED = 5  # "how many studies did the scan look at": the document asked of
_PREPOSITIONS = frozenset({"of", "in", "on", "from", "about", "into", "at", "for", "to", "by"})
# what opens an ask, after "and", "also" or a hedge ("also roughly how many pages is it")
_LEAD = r"(?:(?:and|also|plus|then|roughly|approximately|approx|just)\s+)*"
_OPENER = (
    r"(?:who|whose|whom|when|where|wheres|where's|which|how|what|whats|what's|why|is|are|was|"
    r"were|does|do|did|has|have)\b"
)
# where a sentence's second ask begins: "…, and how many pages is it", "… and when did it come
# out" (a bare comma is not enough: "how much money, in £, did they say …")
_JOIN = re.compile(
    rf"(?:\s*,\s*|\s+)(?:and also|and|also|plus|\+|&)\s+(?={_LEAD}{_OPENER})", re.IGNORECASE
)
# an ask put directly, not one reported inside another ("… and how GP practices should work
# together", "… and what it meant for culture"): its verb comes straight after what it asks
_AUX = r"(?:is|are|was|were|do|does|did|can|could|should|would|will|has|have|had)\b"
_ASKS = re.compile(
    rf"^{_LEAD}(?:(?:is|are|was|were|does|do|did|has|have)\s"
    rf"|(?:who|whom)\s+\w+|whose\s+\w+\s+{_AUX}|(?:whats|what's|wheres|where's)\s"
    rf"|how\s+(?:many|much|long|often|far|recent|old|big|soon|quickly|{_AUX})"
    rf"|(?:what|which)\s+(?:[\w'-]+\s+){{0,2}}?{_AUX}"
    rf"|(?:when|where|why)\s+{_AUX})",
    re.IGNORECASE,
)
_LEADING = re.compile(rf"^{_LEAD}", re.IGNORECASE)
_LEANS_BACK = re.compile(r"(?:It|Its|They|Their|This|These|That|Those|Such)\b")
_SPACED_DASH = re.compile(r"\s+[-\u2013\u2014]+\s+")
# "it", "that": the second ask's subject, named in the first ("they" may be plural: not read)
_POINTS_BACK = re.compile(r"\b(?:it|its|that one|that)\b", re.IGNORECASE)
# a document as askers name it: "the 'transformational change in nhs providers' supplement", "the
# mckinsey supplement", "the barriers evidence scan", "constructive comfort"
_DOCUMENT = re.compile(
    r"(?:\b(?:the|that|this)\s+)?(?:(?<!\w)['‘\"“][^'’\"”]{3,80}['’\"”]\s*)?"
    r"(?:\b(?:mckinsey|hf|health foundation|barriers?|provider transformation|evidence|"
    r"hf's|main)\s+)*"
    r"\b(?:supplement|evidence scan|scan|report|constructive comfort|cc)\b"
    r"|(?<!\w)['‘\"“][^'’\"”]{3,80}['’\"”](?!\w)",
    re.IGNORECASE,
)
_MARKER = re.compile(r"\[(\d+)\]")
_SENTENCE_END = re.compile(r"(?<=\])\s+(?=\S)")
LEAD_SENTENCES = 2  # of each ask's answer: the one that answers it leads


def separate_asks(text: str) -> list[str]:
    """The message's asks, each made to stand alone; empty unless it asks two or three things.

    Each ask keeps the scene told before the first ("there was a study in the scan about a
    sustainability tool… how many orgs was it and whose tool was it?"), and a later ask's "it"
    becomes the document the first one names.
    """
    chunks = [
        chunk.strip(" :;-\u2013\u2014")  # ": what does …" after "Two questions" was dropped
        for part in message_parts(text)
        # "Re the workshops that fed into the report - who took part in them?": the scene, then
        # the ask after a spaced dash
        for piece in _SPACED_DASH.split(part)
        for chunk in _JOIN.split(piece)
        if chunk and chunk.strip(" :;-\u2013\u2014")
    ]
    first = next((i for i, c in enumerate(chunks) if _ASKS.match(c)), None)
    if first is None:
        return []
    scene = " ".join(chunks[:first])
    asked = [i for i, c in enumerate(chunks) if _ASKS.match(c)]
    asks = [chunks[i] for i in asked]
    if not 2 <= len(asks) <= MAX_ASKS or asked[-1] - first != len(asks) - 1:
        return []  # a sentence that only tells, between the asks: not a list of asks
    if any(len(_LEADING.sub("", a).split()) < MIN_ASK_WORDS for a in asks):
        return []
    named = _named_first(scene, asks[0])
    # "there was a study in the scan about … how many orgs was it and whose tool was it?": each
    # ask is put with the scene its "it" points into
    told = bool(scene) and bool(_POINTS_BACK.search(asks[0]))
    standalone = [asks[0]]
    for ask in asks[1:]:
        ask = _LEADING.sub("", ask)
        if _POINTS_BACK.search(ask) and not told:
            if named is None or _DOCUMENT.search(ask):
                # "and how does it show up?", "… Q initiative, and how does the report tie
                # into it?": what "it" is cannot be said here
                return []
            ask = _POINTS_BACK.sub(named.group(0).strip(), ask, count=1)
        if not topical_terms(ask):
            return []
        standalone.append(ask)
    return [f"{scene} {ask}".strip() for ask in standalone]


def _named_first(scene: str, ask: str) -> re.Match[str] | None:
    """The document the first ask is about, which a later ask's "it" stands for.

    "who wrote the mckinsey supplement", "is the scan …", or a scene that only names it; not
    one named late ("who chaired the panel that fed into the report": "it" is the panel).
    """
    found = _DOCUMENT.search(ask)
    before = ask[: found.start()].split() if found is not None else []
    if (
        found is not None
        and len(before) <= MAX_WORDS_BEFORE_NAMED
        # "which chapter of the supplement …, and what page does it start on": the chapter
        and not (before and before[-1].lower() in _PREPOSITIONS)
    ):
        return found
    return _DOCUMENT.fullmatch(scene.strip(" -:,"))


def joined_answer(parts: list[Answer]) -> Answer | None:
    """The answers to each ask in turn, their citations renumbered; None unless all are answered.

    A message with one ask the guidance does not answer stays declined whole: "what did the long
    term plan say about QI, and does it build on constructive comfort?" is not answered by what
    changebot can say about the second half alone.
    """
    if not parts or not all(answer.grounded for answer in parts):
        return None
    texts: list[str] = []
    citations: list[Citation] = []
    numbers: dict[str, int] = {}
    said: set[str] = set()
    for answer in parts:
        renumber = _renumbering({c.n: c for c in answer.citations}, numbers, citations)
        lead = [s for s in _lead(answer.answer) if _plain(s) not in said]
        said.update(_plain(s) for s in lead)
        if lead:
            texts.append(_MARKER.sub(renumber, " ".join(lead)))
    return parts[0].model_copy(update={"answer": "\n\n".join(texts), "citations": citations})


def _lead(text: str) -> list[str]:
    """An answer's first paragraph, to its first two sentences (a list is kept whole)."""
    first = text.split("\n\n", 1)[0].strip()
    if "\n" in first:
        return [first]
    return _SENTENCE_END.split(first)[:LEAD_SENTENCES]


def _plain(sentence: str) -> str:
    return _MARKER.sub("", sentence).removeprefix(REPORT_LEAD).strip()


def with_each_asks_lead(whole: Answer, later: list[Answer]) -> Answer:
    """``whole`` with the lead sentence of each ask's own answer (``later``), when it lacks it.

    "is the scan a systematic review? and how many NHS studies did it analyse?" answered whole
    leads with the 73 studies and never says what the scan is. Each ask's answer alone leads
    with what answers it; that sentence goes after the whole answer's first, and the
    whole answer's last sentences give way to keep within ``MAX_WORDS``. Only the guidance's
    own sentences are joined this way (a later lead of ours or an unanswered ask adds nothing).
    """
    paragraphs = whole.answer.split("\n\n")
    if not whole.grounded or not paragraphs[0].startswith(REPORT_LEAD):
        return whole
    own = _SENTENCE_END.split(paragraphs[0].removeprefix(REPORT_LEAD).strip())
    said = {_plain(s) for part in paragraphs for s in _SENTENCE_END.split(part)}
    citations = {c.n: c for c in whole.citations}
    added: list[str] = []
    for answer in later:
        if not answer.grounded or not answer.answer.startswith(REPORT_LEAD):
            continue
        lead = first_sentence(answer.answer)
        if _plain(lead) in said or _LEANS_BACK.match(lead):
            continue  # said already, or "It covers …": a sentence that needs the one before it
        said.add(_plain(lead))
        offset = max([*citations, 0]) + 100 * (len(added) + 1)  # kept apart until renumbered
        for cited in answer.citations:
            citations[offset + cited.n] = cited
        added.append(_shifted(lead, offset))
    if not added:
        return whole
    sentences = [own[0], *added, *own[1:]]
    rest = paragraphs[1:]
    while len(sentences) > 1 + len(added) and (
        word_count(" ".join([REPORT_LEAD, *sentences, *rest])) > MAX_WORDS
    ):
        sentences.pop()
    text = "\n\n".join([f"{REPORT_LEAD} {' '.join(sentences)}", *rest])
    return _renumbered(whole, text, citations)


def _shifted(text: str, offset: int) -> str:
    """``text`` with each citation marker's number raised by ``offset``."""
    return _MARKER.sub(lambda m: f"[{offset + int(m.group(1))}]", text)


def first_sentence(text: str) -> str:
    """An answer's first sentence, without the lead-in ("The guidance says:")."""
    first = text.split("\n\n", 1)[0].removeprefix(REPORT_LEAD).strip()
    return _SENTENCE_END.split(first)[0]


def _renumbered(whole: Answer, text: str, citations: dict[int, Citation]) -> Answer:
    """``text`` with its markers numbered 1, 2, … in order of first use, and those citations."""
    kept: list[Citation] = []
    renumber = _renumbering(citations, {}, kept)
    return whole.model_copy(update={"answer": _MARKER.sub(renumber, text), "citations": kept})


def _renumbering(
    by_n: dict[int, Citation], numbers: dict[str, int], kept: list[Citation]
) -> Callable[[re.Match[str]], str]:
    """A marker replacer: each cited passage numbered once, in order of first use.

    ``numbers`` (passage id to its new number) and ``kept`` (the renumbered citations) are
    shared, so several answers joined into one number their sources as one list.
    """

    def renumber(match: re.Match[str]) -> str:
        cited = by_n.get(int(match.group(1)))
        if cited is None:
            return match.group(0)
        if cited.chunk_id not in numbers:
            numbers[cited.chunk_id] = len(numbers) + 1
            kept.append(cited.model_copy(update={"n": numbers[cited.chunk_id]}))
        return f"[{numbers[cited.chunk_id]}]"

    return renumber
