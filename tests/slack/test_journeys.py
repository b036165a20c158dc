"""Slack journeys over a trust's own documents: signed events in, Web API calls out, on loopback.

The index holds the two test notes plus an admin's four documents (md, pdf, docx, html); the
same ``respond`` as the terminal decides, and the Slack layer only renders.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest

from tests.localdocs import write_local_docs
from tests.servers.slack_api import BOT_ID, BOT_USER
from tests.slack.conftest import settle
from tests.slack.harness import message_event, next_ts


@pytest.fixture(scope="module")
def trust_services(real_services: Any, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The session's services over a fresh index: the test notes, then an admin's documents."""
    from bot.core.answering.answer import Answerer
    from bot.core.answering.retrieve import Retriever
    from bot.core.respond import Responder
    from ingestion.pipeline import ingest
    from knowledge.index import KnowledgeIndex, make_client

    root = tmp_path_factory.mktemp("slack-trust")
    settings = real_services.settings.model_copy(update={"data_dir": root / "data"})
    index = KnowledgeIndex(make_client(str(settings.index_dir), None), real_services.embedder)
    ingest([settings.guidance_dir], index, settings, mode="replace", owner="bundled")
    ingest([write_local_docs(root / "docs")], index, settings)
    retriever = Retriever(index, real_services.embedder, real_services.framework)
    answerer = Answerer(retriever, real_services.framework)
    return dataclasses.replace(
        real_services,
        settings=settings,
        index=index,
        retriever=retriever,
        answerer=answerer,
        responder=Responder(retriever, answerer, real_services.diagnoser),
    )


@pytest.fixture
def services(trust_services: Any, tmp_path: Path) -> Any:
    from bot.state.store import SharedStore

    return dataclasses.replace(
        trust_services, store=SharedStore(f"sqlite:///{tmp_path / 'state.db'}")
    )


def mention(text: str, **kw: Any) -> dict[str, Any]:
    return message_event(f"<@{BOT_USER}> {text}", kind="app_mention", **kw)


def test_a_mention_about_a_local_document_is_answered_with_its_title(
    harness: Any, stub: Any, runtime: Any
) -> None:
    harness.event(mention("who leads the discharge lounge pilot?"))
    [post] = stub.wait_for("chat.postMessage")
    settle(runtime)
    shown = json.dumps(post.payload["blocks"])
    assert "Amara Pretorius" in shown
    assert "Discharge lounge pilot evaluation" in shown
    assert "Barrier profile" not in shown


def test_a_follow_up_question_after_a_diagnosis_is_answered(
    harness: Any, stub: Any, runtime: Any
) -> None:
    parent = next_ts()
    stub.seed_message("C1", {"ts": parent, "user": "U1", "text": f"<@{BOT_USER}> help"})
    stub.seed_message(
        "C1",
        {
            "ts": next_ts(),
            "thread_ts": parent,
            "bot_id": BOT_ID,
            "user": BOT_USER,
            "text": "Diagnosis: Headspace to make change happen",
        },
    )
    harness.event(message_event("when does the new EPR go live?", thread_ts=parent))
    [post] = stub.wait_for("chat.postMessage")
    settle(runtime)
    shown = json.dumps(post.payload["blocks"])
    assert post.payload["thread_ts"] == parent
    assert "14 March 2027" in shown and "Barrier profile" not in shown


@pytest.mark.parametrize("greeting", ["hi there", "thanks!"])
def test_a_greeting_gets_a_short_reply_and_no_card(
    harness: Any, stub: Any, runtime: Any, greeting: str
) -> None:
    harness.event(message_event(greeting, channel="D7", channel_type="im"))
    [post] = stub.wait_for("chat.postMessage")
    settle(runtime)
    shown = json.dumps(post.payload["blocks"])
    assert "Barrier profile" not in shown and "Sources" not in shown


def test_a_situation_in_a_dm_still_gets_a_card(harness: Any, stub: Any, runtime: Any) -> None:
    text = "our ward team has no time for the new discharge process; every shift is firefighting"
    harness.event(message_event(text, channel="D8", channel_type="im"))
    [post] = stub.wait_for("chat.postMessage")
    settle(runtime)
    assert "Barrier profile" in json.dumps(post.payload["blocks"])


def test_sources_keep_the_owner(trust_services: Any, tmp_path: Path) -> None:
    owners = {d.document: d.owner for d in trust_services.index.documents()}
    assert owners["epr-plan.docx"] == "admin" and owners["headspace.md"] == "bundled"
