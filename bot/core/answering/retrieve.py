"""Hybrid retrieval: dense (MiniLM over Chroma) + lexical (BM25), fused by reciprocal rank.

The framework is used to widen the lexical query: a question phrased as "no time to think" is
close to the headspace barrier's everyday signs, so "headspace" joins the lexical query.
"""

from __future__ import annotations

import logging
import re
import threading
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from bot.common.privacy import screen
from bot.core.answering.acronyms import spelled_out
from bot.core.answering.bm25 import BM25
from bot.core.answering.qualifiers import asked_qualifiers
from bot.core.answering.relevance import (
    ASKS_RECOMMENDED,
    RECOMMENDS_OPTION,
    asks_about_sources,
    document_bonus,
    is_meta,
    lexical_hints,
    sentence_scores,
)
from bot.core.answering.sentences_cache import SentenceCache
from bot.core.answering.shorthand import spell_out
from bot.core.answering.spelling import corrected
from bot.core.answering.staff_words import in_index_words
from bot.core.answering.table_lookup import table_header
from bot.core.answering.topics import (
    asked_part,
    topical_terms,
    weighted_share,
    without_purpose,
)
from bot.core.models import Passage
from bot.core.wording import STOPWORDS, terms
from knowledge.embeddings import Embedder, Vectors
from knowledge.framework import Framework
from knowledge.index import Chunk, KnowledgeIndex, to_passage

logger = logging.getLogger(__name__)

RRF_K = 60
CONCEPT_FLOOR = 0.5
CANDIDATES = 16
HEADING_WEIGHT = 0.15
TITLE_BONUS = 0.15  # a trust's document whose title the question names, in staff's lower case
# a trust's sentence naming the month or quarter a figure is asked for, beside what is asked
# ("Occupancy in September: 76%"), not in passing ("published in June")
QUALIFIER_BONUS = 0.15
RECOMMENDED_BONUS = 0.15  # a trust's passage naming the option its paper recommends, when asked
_TITLE_WORD = re.compile(r"[a-z0-9]+")


def names_title(query: str, title: str) -> bool:
    """Whether ``query`` names the document's title, or a run of it ("release to respond").

    Staff name a programme in lower case, and its name may be common words ("Make Ready",
    "Release to Respond") that the question's topical terms would drop. A run of three words,
    or two that are not stopwords, is a name.
    """
    asked = _TITLE_WORD.findall(query.lower())
    titled = " " + " ".join(_TITLE_WORD.findall(title.lower())) + " "
    for size in (3, 2):
        for i in range(len(asked) - size + 1):
            run = asked[i : i + size]
            if size == 2 and any(w in STOPWORDS or len(w) < 3 for w in run):
                continue
            if size == 3 and (run[0] in STOPWORDS or run[-1] in STOPWORDS):
                continue
            if f" {' '.join(run)} " in titled:
                return True
    return False


WARM_CHUNKS = 5_000  # sentences of a few thousand chunks fit the sentence cache


@dataclass
class Retrieval:
    """Passages for a query plus the signals the grounding gate needs."""

    passages: list[Passage]
    dense_top: float
    query_vector: Vectors = field(default_factory=lambda: np.zeros(0, np.float32))
    idf: dict[str, float] = field(default_factory=dict)
    fused: dict[str, float] = field(default_factory=dict)
    unknown_terms: list[str] = field(default_factory=list)
    query_terms: list[str] = field(default_factory=list)
    concepts: list[str] = field(default_factory=list)
    query: str = ""


class Retriever:
    """Finds the passages that answer a question, with their sources."""

    def __init__(self, index: KnowledgeIndex, embedder: Embedder, framework: Framework) -> None:
        self._index = index
        self._embedder = embedder
        self._lock = threading.Lock()
        # live version, its chunks, their BM25 index, and which chunks are an admin's own
        self._lexical: tuple[str, list[Chunk], BM25, npt.NDArray[np.bool_]] | None = None
        self.sentences = SentenceCache(embedder)
        names, texts = [], []
        for barrier in framework.barriers:
            for sign in barrier.signs:
                names.append(f"{barrier.id} {barrier.label}")
                texts.append(sign.text)
        for factor in framework.factors:
            for sign in factor.warning_signs:
                names.append(factor.label)
                texts.append(sign.text)
        self._concept_names = names
        self._concept_vectors = embedder.embed(texts) if texts else np.zeros((0, 1), np.float32)

    def embed(self, texts: list[str]) -> Vectors:
        """Vectors of ``texts`` from the retriever's embedding model (the framework's items)."""
        return self._embedder.embed(texts)

    def query_vector(self, text: str) -> Vectors:
        """The text's vector, so callers that classify it first embed it only once."""
        vector: Vectors = self._embedder.embed([text])[0]
        return vector

    def _lexical_state(self) -> tuple[list[Chunk], BM25, npt.NDArray[np.bool_]]:
        """The live chunks, their BM25 index and which are an admin's own, rebuilt per version."""
        live = self._index.live_name() or ""
        with self._lock:
            if self._lexical is None or self._lexical[0] != live:
                chunks = self._index.chunks()
                self._lexical = (
                    live,
                    chunks,
                    BM25([f"{c.title} {c.section} {c.text}" for c in chunks]),
                    np.array([c.owner == "admin" for c in chunks], dtype=np.bool_),
                )
            return self._lexical[1], self._lexical[2], self._lexical[3]

    def _lexical_index(self) -> tuple[list[Chunk], BM25]:
        chunks, bm25, _admin = self._lexical_state()
        return chunks, bm25

    def warm(self, limit: int = WARM_CHUNKS, stop: threading.Event | None = None) -> int:
        """Embed the sentences of the live version's chunks before the first questions need them.

        A passage's sentences are embedded the first time a question retrieves it (about 150 ms
        per cold question); doing it for the whole guidance at start takes a few seconds.
        """
        chunks, _bm25 = self._lexical_index()
        passages = [
            Passage(chunk_id=c.chunk_id, text=c.text, title=c.title, document=c.document)
            for c in chunks[:limit]
        ]
        done = 0
        for start in range(0, len(passages), 32):
            if stop is not None and stop.is_set():
                break
            self.sentences.get(passages[start : start + 32])
            done += len(passages[start : start + 32])
        return done

    def concepts_for(self, vector: Vectors) -> list[str]:
        """Framework labels whose everyday signs sit close to the query."""
        if not len(self._concept_vectors):
            return []
        sims = self._concept_vectors @ vector
        best = np.argsort(-sims)[:3]
        return list(dict.fromkeys(self._concept_names[i] for i in best if sims[i] >= CONCEPT_FLOOR))

    def candidates(
        self, query: str, n: int = CANDIDATES, vector: Vectors | None = None
    ) -> Retrieval:
        """Dense and BM25 rankings fused by reciprocal rank: retrieval without the rerank."""
        if vector is None:
            vector = self._embedder.embed([query])[0]
        dense = self._index.search_vector(vector, k=max(n, 20))
        chunks, bm25 = self._lexical_index()
        # "As a QI lead, how do I …": the everyday signs are matched on what is asked
        asked = asked_part(query)
        concepts = self.concepts_for(vector if asked == query else self.query_vector(asked))
        lexical = bm25.top(" ".join([query, *concepts, *lexical_hints(query)]), max(n, 20))
        fused: dict[str, float] = {}
        by_id: dict[str, Passage] = {}
        for rank, passage in enumerate(dense):
            fused[passage.chunk_id] = fused.get(passage.chunk_id, 0.0) + 1 / (RRF_K + rank)
            by_id[passage.chunk_id] = passage
        for rank, (i, _score) in enumerate(lexical):
            chunk = chunks[i]
            fused[chunk.chunk_id] = fused.get(chunk.chunk_id, 0.0) + 1 / (RRF_K + rank)
            by_id.setdefault(chunk.chunk_id, to_passage(chunk, 0.0))
        order = sorted(fused, key=lambda cid: -fused[cid])[:n]
        query_terms = list(dict.fromkeys(terms(query)))
        return Retrieval(
            passages=[by_id[c] for c in order],
            query_vector=vector,
            idf=bm25.idf,
            fused={c: fused[c] for c in order},
            dense_top=dense[0].score if dense else 0.0,
            unknown_terms=[t for t in query_terms if not bm25.knows(t)],
            query_terms=query_terms,
            concepts=concepts,
            query=query,
        )

    def search(self, query: str, k: int = 5, vector: Vectors | None = None) -> Retrieval:
        """The ``k`` best passages: fused candidates reranked by their best sentence.

        Shorthand is spelt out first ("HF", "orgs"); the result's ``query`` is that wording.
        """
        spelled = spell_out(query)
        # never let dropping filler join an identifier's parts ("943 lol 476 5919")
        if spelled != query and not screen(spelled).sensitive:
            query, vector = spelled, None
        # "bloods", "the mri dna rate": staff's words in the words the trust's documents use
        # (the alternative must be a word of the trust's own documents, the admin's chunks)
        _chunks, bm25, admin = self._lexical_state()
        # "thromectomy": a slip in a long word no dictionary knows, put right in the index's word
        righted = corrected(query, bm25.knows, lambda term: bm25.occurs_in(term, admin))
        if righted != query:
            query, vector = righted, None
        worded = in_index_words(query, bm25.knows, lambda term: bm25.occurs_in(term, admin))
        if worded != query:
            query, vector = worded, None
        found = self.candidates(query, vector=vector)
        expanded = _acronyms_spelled_out(query, found)
        if expanded != query:  # "an OOA placement": the trust's "Out of Area" placement
            query, found = expanded, self.candidates(expanded)
        found.passages = self._rerank(query, found)[:k]
        return found

    def _rerank(self, query: str, found: Retrieval) -> list[Passage]:
        """Order by the best-matching sentence, with the fused rank as a tie-breaker.

        A passage that contains one sentence answering the question beats one that is merely
        about the same topic throughout. Sentences about the notes themselves ("the notes draw
        on …") do not count unless the question is about sources.
        """
        scored = []
        shortlist = found.passages
        about_sources = asks_about_sources(query)
        # the asker's role ("as a QI lead") and what the answer is for are not what is asked
        asked = asked_part(without_purpose(query))
        topical = topical_terms(query)
        rarest = max(found.idf.values(), default=1.0)
        qualifiers = asked_qualifiers(asked)
        recommended = ASKS_RECOMMENDED.search(asked) is not None
        # what the figure is of: the asked terms that name no quarter, month or year
        about = {t for t in topical if not any(q.named_in(t) for q in qualifiers)}
        for passage, (sents, vecs) in zip(shortlist, self.sentences.get(shortlist), strict=True):
            scores = sentence_scores(asked, found.query_vector, sents, vecs, found.idf)
            # a sentence about the notes themselves answers only questions about sources
            usable = [
                sc for sc, s in zip(scores, sents, strict=True) if about_sources or not is_meta(s)
            ]
            best = float(max(usable)) if usable else 0.0
            bonus = document_bonus(query, passage.origin or passage.title)
            # a heading naming what is asked ("Dealing with … change fatigue") marks the passage
            heading = set(terms(f"{passage.title} {passage.section}"))
            bonus += HEADING_WEIGHT * weighted_share(topical, heading, found.idf, rarest)
            if passage.owner == "admin" and names_title(query, passage.title):
                bonus += TITLE_BONUS  # "who's the boss of release to respond?": that document
            if (
                qualifiers
                and passage.owner == "admin"
                and any(
                    # a table's row names what its figures are in its header ("Jan 2026 | 2,007"
                    # under "Month | Appointments used")
                    all(q.named_in(s) for q in qualifiers)
                    and about & (set(terms(s)) | table_header(sents, i))
                    for i, s in enumerate(sents)
                )
            ):
                bonus += QUALIFIER_BONUS
            if (
                recommended
                and passage.owner == "admin"
                and (
                    any(RECOMMENDS_OPTION.search(s) for s in sents)
                    or "recommendation" in passage.section.lower()
                )
            ):
                bonus += RECOMMENDED_BONUS  # "which model is preferred?": "We recommend Option B"
            scored.append((best + bonus + 5 * found.fused[passage.chunk_id], passage))
        scored.sort(key=lambda item: -item[0])
        return [passage for _score, passage in scored]


# chat words, and "vs" ("ipu occupancy q3 vs q2?"), are never a document's acronym
_CHAT_WORDS = frozenset({"hi", "hey", "hiya", "ta", "ok", "lol", "thx", "pls", "plz", "vs"})


def _acronyms_spelled_out(query: str, found: Retrieval) -> str:
    """``query`` with each acronym the index never uses replaced by a trust document's phrase."""
    texts = [f"{p.title}. {p.section}. {p.text}" for p in found.passages if p.owner == "admin"]
    if not texts:
        return query
    for term in found.unknown_terms:
        if term in _CHAT_WORDS:
            continue  # "hi, on duty today - …" greets; it is not "High Intensity"
        phrase = spelled_out(term, texts)
        if phrase is not None:
            query = re.sub(rf"\b{re.escape(term)}s?\b", phrase, query, flags=re.IGNORECASE)
    return query
