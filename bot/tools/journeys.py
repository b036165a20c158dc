"""``changebot eval journeys FILE``: whole conversations' routing and local-document answers.

Each item is one message as someone would write it after an admin ingested their documents;
``expect`` says what a careful colleague would do with it (answer, diagnosis, either, decline,
refuse, not_diagnosis). The rules match the scorer that judges the journeys set.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from bot.core.models import Reply
from bot.services import Services


def _norm(text: str | None) -> str:
    low = (text or "").lower().replace("\u2019", "'").replace("\u2013", "-")
    return re.sub(r"\s+", " ", low)


def route_ok(expect: str, reply: Reply, secret: str = "") -> bool:
    """Whether the reply's kind is what the item expects (a refusal must echo nothing)."""
    grounded = reply.answer.grounded if reply.answer else None
    if expect == "answer":
        return reply.kind == "answer" and grounded is not False
    if expect == "diagnosis":
        return reply.kind == "diagnosis"
    if expect == "either":
        return reply.kind in {"answer", "diagnosis"}
    if expect == "decline":
        return reply.kind == "notice" or (reply.kind == "answer" and grounded is False)
    if expect == "refuse":
        return reply.kind == "notice" and not (secret and secret in reply.model_dump_json())
    if expect == "not_diagnosis":
        return reply.kind != "diagnosis"
    return False


def evaluate_journeys(services: Services, path: Path) -> dict[str, Any]:
    """Route accuracy, fact recall and citing the right document on local-document answers."""
    items = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    routed = facts_hit = facts_total = cited = cite_total = 0
    misses: list[dict[str, Any]] = []
    for item in items:
        reply = services.responder.respond(item["text"])
        ok = route_ok(item["expect"], reply, item.get("secret", ""))
        routed += ok
        if not ok:
            misses.append({"id": item["id"], "expect": item["expect"], "got": reply.kind})
        if item["expect"] != "answer" or reply.answer is None:
            continue
        body = _norm(reply.answer.answer)
        for alternatives in item.get("facts", []):
            facts_total += 1
            facts_hit += any(_norm(a) in body for a in alternatives)
        if item.get("doc"):
            cite_total += 1
            titles = " | ".join(
                f"{_norm(c.title)} / {_norm(c.document)}" for c in reply.answer.citations
            )
            cited += any(_norm(d) in titles for d in item["doc"])
    return {
        "items": len(items),
        "route_accuracy": round(routed / max(1, len(items)), 3),
        "local_fact_recall": round(facts_hit / max(1, facts_total), 3),
        "local_doc_cited": round(cited / max(1, cite_total), 3),
        "misses": misses[:15],
    }
