"""Quality measures on labelled files: situations (diagnosis) and questions (answers).

The files are read only here, to measure; nothing in the product is fitted to them.
"""

from __future__ import annotations

import json
import statistics
import time
from collections import Counter
from pathlib import Path
from typing import Any

from bot.core.answering.extractive import MAX_WORDS
from bot.services import Services
from knowledge.framework import BARRIER_IDS


def _read(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def _prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3)}


def _micro(pairs: list[tuple[set[str], set[str]]]) -> float:
    tp = sum(len(g & p) for g, p in pairs)
    fp = sum(len(p - g) for g, p in pairs)
    fn = sum(len(g - p) for g, p in pairs)
    return _prf(tp, fp, fn)["f1"]


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


def evaluate_situations(services: Services, path: Path) -> dict[str, Any]:
    """Barrier per-label P/R/F1 and macro-F1, primary accuracy, factor/approach micro-F1, scope."""
    items = _read(path)
    rows, latencies = [], []
    for item in items:
        start = time.perf_counter()
        d = services.diagnoser.diagnose(item["text"])
        latencies.append((time.perf_counter() - start) * 1000)
        rows.append((item, d))
    scope_ok = sum((i.get("kind") or "in_scope") == d.scope for i, d in rows)
    in_scope = [(i, d) for i, d in rows if not i.get("kind")]
    per_label = {}
    for b in BARRIER_IDS:
        tp = sum(b in i["barriers"] and b in {x.id for x in d.barriers} for i, d in in_scope)
        fp = sum(b not in i["barriers"] and b in {x.id for x in d.barriers} for i, d in in_scope)
        fn = sum(b in i["barriers"] and b not in {x.id for x in d.barriers} for i, d in in_scope)
        per_label[b] = _prf(tp, fp, fn)
    confusion: Counter[str] = Counter()
    misses = []
    for i, d in in_scope:
        gold = i["barriers"][0] if i["barriers"] else "-"
        pred = d.barriers[0].id if d.barriers else "-"
        confusion[f"{gold}->{pred}"] += 1
        wrong = set(i["barriers"]) ^ {x.id for x in d.barriers}
        if wrong or gold != pred:
            misses.append(
                {
                    "id": i["id"],
                    "gold": i["barriers"],
                    "pred": [x.id for x in d.barriers],
                    "errors": len(wrong) + (gold != pred),
                }
            )
    return {
        "items": len(items),
        "barriers": per_label,
        "barrier_macro_f1": round(statistics.mean(v["f1"] for v in per_label.values()), 3),
        "primary_accuracy": round(
            sum(bool(d.barriers) and d.barriers[0].id == i["barriers"][0] for i, d in in_scope)
            / max(1, len(in_scope)),
            3,
        ),
        "factor_micro_f1": _micro(
            [(set(i["factors"]), {f.id for f in d.factors}) for i, d in in_scope]
        ),
        "approach_micro_f1": _micro(
            [(set(i["approaches"]), {a.id for a in d.approaches}) for i, d in in_scope]
        ),
        "scope_accuracy": round(scope_ok / max(1, len(rows)), 3),
        # how many diagnoses the language model actually shaped (the rest are offline, by
        # choice or by fallback); always 0 without OPENAI_* settings
        "llm_mode_items": sum(d.mode == "llm" for _, d in rows),
        "scope_errors": [
            {"id": i["id"], "gold": i.get("kind") or "in_scope", "pred": d.scope}
            for i, d in rows
            if (i.get("kind") or "in_scope") != d.scope
        ],
        "primary_confusion": dict(sorted(confusion.items())),
        "worst_misses": sorted(misses, key=lambda m: -m["errors"])[:8],
        "latency_ms": {
            "p50": round(_percentile(latencies, 0.5), 1),
            "p95": round(_percentile(latencies, 0.95), 1),
        },
    }


def _covers(text: str, alternatives: list[str]) -> bool:
    low = text.lower()
    return any(a.lower() in low for a in alternatives)


def evaluate_questions(services: Services, path: Path) -> dict[str, Any]:
    """Retrieval recall@5, answer fact recall, citation share, declines and latency."""
    items = _read(path)
    facts_total = facts_hit = retrieved_hit = 0
    cited = answerable = declined = not_covered = llm_mode = 0
    latencies, longest, misses = [], 0, []
    for item in items:
        start = time.perf_counter()
        answer = services.responder.respond(item["question"], mode="answer").as_answer()
        latencies.append((time.perf_counter() - start) * 1000)
        llm_mode += answer.mode == "llm"
        if item["kind"] == "not_covered":
            not_covered += 1
            declined += not answer.grounded
            continue
        answerable += 1
        cited += bool(answer.citations)
        body = answer.answer
        longest = max(longest, len(body.split()))
        passages = " ".join(p.text for p in services.retriever.search(item["question"]).passages)
        for alternatives in item["facts"]:
            facts_total += 1
            facts_hit += _covers(body, alternatives)
            retrieved_hit += _covers(passages, alternatives)
            if not _covers(body, alternatives):
                misses.append({"id": item["id"], "missing": alternatives})
    return {
        "items": len(items),
        "fact_recall": round(facts_hit / max(1, facts_total), 3),
        "retrieval_recall_at_5": round(retrieved_hit / max(1, facts_total), 3),
        "cited_share": round(cited / max(1, answerable), 3),
        "not_covered_declined": round(declined / max(1, not_covered), 3),
        "longest_answer_words": longest,
        "word_limit": MAX_WORDS,
        "llm_mode_items": llm_mode,  # answers the language model wrote (0 offline)
        "latency_ms": {
            "p50": round(_percentile(latencies, 0.5), 1),
            "p95": round(_percentile(latencies, 0.95), 1),
        },
        "misses": misses[:10],
    }
