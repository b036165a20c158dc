"""Decide what a message needs: an answer, a diagnosis or a short notice.

A pure function of signals computed once by ``respond``: the scope model's reading, the question's
form, whether the live index (bundled notes and an admin's own documents) actually answers the
question's key terms, and a few wording cues. Kept apart so the rules read like a colleague's
judgement and can be unit-tested without a model:

- a described situation gets a diagnosis, even when it ends in "how do I…?";
- a question about anything the index covers is answered, whatever the scope model thought;
- a short factual question (who, when, how many…) is never diagnosed: it is answered, or declined
  plainly when nothing indexed answers it;
- clinical questions, off-topic questions the index does not cover, greetings and attempts to
  subvert the assistant get a short notice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from bot.core.answering.question_form import (
    SPACED_DASH,
    QuestionForm,
    message_parts,
    worded_as_ask,
)
from bot.core.models import Scope

Route = Literal["answer", "diagnosis", "notice"]

# forms that ask for a fact, not help with one's own situation
FACTUAL_FORMS: frozenset[str] = frozenset(
    {"who", "when", "how_many", "where", "which", "compare", "example", "yes_no", "list", "what"}
)

# forms an admin's own document may answer after a story: facts, how to reach or use a service
# ("how do I get hold of TRiM out of hours?") and why the document says something ("why is the
# risks line red on the highlight report?"); ``respond`` lets only such how-tos and whys through
LOCAL_FORMS: frozenset[str] = FACTUAL_FORMS | {"how_to", "why"}
# asks for one fact of the trust's own records ("who am i meant to escalate to?", "how many
# chairs have we got?"): never a request to read the story, even when no passage states it
RECORD_FORMS: frozenset[str] = frozenset({"who", "how_many", "where"})

_CLINICAL = re.compile(
    r"\b(dose|doses|dosage|dosing|\d+ ?(mg|mcg|ml)|micrograms?|milligrams?|contraindicat\w*|"
    r"side[- ]effects? of|overdose|should (i|we) prescribe|first[- ]line treatment|"
    r"(best|right|recommended|usual) (treatment|antibiotic|drug|medication)|symptoms? (of|for)|"
    r"differential diagnosis|diagnose (a|an|my|this)|how much \w+ (should|can|do|does)\b.*\btake)",
    re.IGNORECASE,
)


def looks_clinical(text: str) -> bool:
    """True for wording that asks for clinical advice (drugs, doses, treatments, diagnoses)."""
    return bool(_CLINICAL.search(text))


# after a factual question, why it is asked: "want to show the trend across the whole year",
# "trying to work out if the rounds are costing us money", "need it for the locality meeting",
# "GP surgery asking me", "thinking of applying"
_WHY_ASKED = re.compile(
    r"^(?:(?:i|we)(?:'m|'re|\s+am|\s+are)?\s+)?(?:just\s+|only\s+)?(?:(?:want|wanted|wanting|need|"
    r"needed|needing|hoping)\s+(?:to\s+(?:show|quote|compare|know|see|check|put|include|"
    r"share|report|cite|use|work out|understand|set up|arrange|invite|book)|it|the|this|that)\b"
    r"|trying to (?:work out|figure out|judge|compare|decide|plan|understand)\b"
    r"|thinking of (?:applying|going|signing)\b"
    r"|writing (?:a|an|the|my|our) (?:\w+ ){0,2}(?:paper|report|bid|case|slide|slides|bulletin|"
    r"update|brief|briefing|summary)\b)|^[\w' -]{0,30}\basking(?:\s+me)?[.!]?$"
    # "my sister manages a practice over there and asked me how many slots they need"
    r"|\basked (?:me|us)\b(?! to (?:lead|run|fix|sort|take))"
    # "can someone confirm before i quote it at exec board": the request, not a story
    r"|^(?:can|could) (?:someone|somebody|anyone|you) (?:please |pls )?(?:confirm|check)\b"
    r"|^sanity check\b",
    re.IGNORECASE,
)
# before a factual question, who wants to know and what they asked: "parents on skylark asking
# if their 3 yr old can come in", "gp on the phone asking for the cspa number"; never "staff keep
# asking why we changed it", which tells how the change is landing, nor "matron asked me whether
# we could pilot it, but the ward is exhausted"
_REPORTED_ASK = re.compile(
    r"^(?:[\w'/&-]+\s+){0,8}?(?:(?:is|are|was|were|been|just|now)\s+)?(?:on the phone\s+)?"
    r"(?:asking|asked|rang asking|wants to know|wanting to know|wondering)\s+(?:me\s+|us\s+)?"
    r"(?:if|whether|when|what|where|who|which|how (?:long|many|much|often|soon)|for|about|can|"
    r"could|do|does|is|are)\b(?![^?]*\b(?:we|us|our|but|though|although|however)\b)[^?]*$",
    re.IGNORECASE,
)
SCENE_WORDS = 12  # "someone on our board said so" sets a scene; a story takes more words
STORY_WORDS = 30  # a message longer than this tells a story whatever its sentences
_PREMISE = re.compile(
    r"^(?:so\s+|apparently\s+|i (?:read|heard|know|think) (?:that\s+)?)?(?:the\s+)?"
    r"(?:health foundation|hf|thf|report|guidance|framework|supplement|evidence scan|scan|"
    r"constructive comfort|cc)(?:'s)?\b(?:\s+[\w'-]+){0,3}?\s+(?:says?|said|talks? about|"
    r"describes?|lists?|mentions?|uses?|names?|sets? out|groups?|sorts?|argues?|found|finds)\b",
    re.IGNORECASE,
)


def _told_then_asked(sentence: str) -> list[str]:
    """A sentence cut at a spaced dash when what comes before it tells rather than asks.

    "health visiting team got a new record system and nobody can make it fit our visits –
    which barrier is that?" is a story and then its question; in "why does HF say so - whats
    the backdrop?" and "research nurse here - what does the scan say …" nothing is told.
    """
    pieces = [p.strip() for p in SPACED_DASH.split(sentence) if p.strip()]
    told = pieces[:-1]
    if len(pieces) < 2 or any(worded_as_ask(p) for p in told):
        return [sentence]
    if sum(len(p.split()) for p in told) < SCENE_WORDS:
        return [sentence]  # "research nurse here - …": who asks, not a story
    return pieces


def describes_circumstances(text: str) -> bool:
    """Several sentences, or a long one: a story about one's own situation, not a lookup.

    A question with a short aside ("…a King's Fund piece? someone on our board said so") is
    still a lookup: the sentences besides the question must tell enough to be a story.
    """
    parts = [piece for part in message_parts(text) for piece in _told_then_asked(part)]
    # "The Health Foundation report says national bodies use three types …. What are they?":
    # what the report says is the premise of the question, not the asker's story
    parts = [p for p in parts if p.endswith("?") or not _PREMISE.match(p)]
    if sum(len(p.split()) for p in parts) > STORY_WORDS:
        return True
    asks = [i for i, p in enumerate(parts) if p.endswith("?")]
    if asks:  # why the fact is wanted, after the question, tells no story
        last = asks[-1]
        parts = parts[: last + 1] + [p for p in parts[last + 1 :] if not _WHY_ASKED.search(p)]
        # nor who asked it, before the question
        parts = [p for p in parts if p.endswith("?") or not _REPORTED_ASK.match(p)]
    sentences = [p for p in parts if len(p.split()) >= 3]
    if len(sentences) < 2:
        return False
    asides = [p for p in parts if not p.endswith("?")]
    return len(asides) == len(parts) or sum(len(p.split()) for p in asides) >= SCENE_WORDS


@dataclass(frozen=True)
class Signals:
    """Everything the decision needs, computed once per message."""

    scope: Scope
    form: QuestionForm | None
    grounded: bool
    story: bool
    clinical: bool = False
    local: bool = False  # an admin's own document answers what the message asks
    records: bool = False  # an admin's own document comes first for the ask, stated or not


def decide(signals: Signals) -> tuple[Route, Scope]:
    """The route for a message and the scope to report with it."""
    s = signals
    if s.scope in {"patient_data", "injection"}:
        return "notice", s.scope
    asks_fact = s.form in FACTUAL_FORMS and not s.story
    if s.clinical and s.form is not None and not s.story:
        return "notice", "out_of_scope"
    if s.scope == "smalltalk":
        return ("answer", "question") if s.form and s.grounded else ("notice", "smalltalk")
    if s.scope == "in_scope":
        # "had a GP ring me about the texts … which patients are left out?": a fact asked after
        # a story is looked up when the trust's own documents hold it
        if asks_fact or (s.local and s.form in LOCAL_FORMS):
            return "answer", "question"
        # "2ww sat untriaged since monday. who am i meant to escalate to?": a fact of the trust's
        # records asked after a story is looked up, and declined if no passage states it
        if s.records and s.form in RECORD_FORMS:
            return "answer", "question"
        return "diagnosis", "in_scope"
    if s.scope == "question":
        return "answer", "question"
    # out of scope by the model's reading: answer only what the index really covers
    if s.form is not None and s.grounded:
        return "answer", "question"
    return "notice", "out_of_scope"
