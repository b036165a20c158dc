"""The model's answer may add to the offline answer, never lose its lead (make eval-llm's BELOW).

Through the real ``Answerer`` over the bundled index, with the model behind the loopback
OpenAI-compatible stub: a reply that cites a retrieved passage but drops what the offline answer
leads with falls back to the offline answer with a note; a reply that keeps the lead and cites its
document is shown as the model's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.core.answering.answer import LOST_LEAD, Answerer, keeps_offline_lead
from bot.core.models import Answer, Citation
from bot.llm.client import LLMClient
from tests.servers import openai_replies as replies
from tests.servers.openai_server import OpenAIServer

QUESTION = "What do national bodies do when they prod organisations?"


def _model_says(server: OpenAIServer, text: Callable[[list[str]], str]) -> None:
    """Answer every chat request with ``text(passage ids)``, citing the first two passages."""

    def respond(body: dict[str, Any]) -> tuple[int, Any]:
        ids = [pid for pid, _ in replies.PASSAGE.findall(replies.user_text(body))]
        payload = {"answer": text(ids), "cited_ids": ids[:2]}
        return 200, replies.completion("ok", body, payload)

    server.respond_with = respond


def _answerers(services: Any, llm: LLMClient) -> tuple[Answerer, Answerer]:
    offline = Answerer(services.retriever, services.framework)
    return offline, Answerer(services.retriever, services.framework, llm=llm)


def test_a_model_answer_that_drops_the_offline_lead_falls_back_with_a_note(
    bundled_services: Any, openai_server: OpenAIServer, llm: LLMClient
) -> None:
    offline, with_model = _answerers(bundled_services, llm)
    expected = offline.answer(QUESTION)
    _model_says(openai_server, lambda ids: f"Change takes patience and kindness [{ids[0]}].")
    answer = with_model.answer(QUESTION)
    assert openai_server.hits["chat"] == 1  # the model was asked, and its answer judged
    assert answer.mode != "llm" and answer.note == LOST_LEAD
    assert answer.answer == expected.answer


def test_a_model_answer_that_keeps_the_lead_and_its_source_is_shown(
    bundled_services: Any, openai_server: OpenAIServer, llm: LLMClient
) -> None:
    offline, with_model = _answerers(bundled_services, llm)
    lead = offline.answer(QUESTION).answer.split("[1]")[0].strip()
    _model_says(openai_server, lambda ids: f"In short: {lead} [{ids[0]}]")
    answer = with_model.answer(QUESTION)
    assert answer.mode == "llm" and answer.note == ""
    assert lead in answer.answer


def _answer(text: str, *documents: str) -> Answer:
    cites = [
        Citation(n=n, title=doc, document=doc, section="s", page="1", chunk_id=f"{doc}#{n}")
        for n, doc in enumerate(documents, start=1)
    ]
    return Answer(answer=text, citations=cites, grounded=True)


def test_the_lead_must_come_from_the_offline_answers_first_document() -> None:
    offline = _answer("The lounge opened in March 2024 [1]. It has 12 chairs [2].", "a.pdf", "b.md")
    same_words_elsewhere = _answer("The lounge opened in March 2024 [1].", "b.md")
    assert keeps_offline_lead(_answer("It opened in March 2024, the lounge [1].", "a.pdf"), offline)
    assert not keeps_offline_lead(same_words_elsewhere, offline)
    assert not keeps_offline_lead(_answer("It has 12 chairs [1].", "a.pdf"), offline)
    assert keeps_offline_lead(_answer("anything [1].", "x"), _answer(""))  # nothing to keep
