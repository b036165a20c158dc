"""The whole-message model and how its scores blend with the clause reading."""

from __future__ import annotations

from bot.core.diagnosis.findings import barrier_scores, find_barriers
from bot.core.diagnosis.message_model import MessageModel
from bot.core.diagnosis.params import Calibration
from bot.core.diagnosis.reading import Reading
from knowledge.exemplars import TrainingSituation

TRAIN = [
    TrainingSituation(text=t, barriers=(b,))
    for t, b in [
        ("we never have time, the ward is short every shift", "headspace"),
        ("rota gaps mean nobody can be released for the project", "headspace"),
        ("we are firefighting all week with no protected time", "headspace"),
        ("nobody here knows how to run a test of change", "capability"),
        ("we have no analyst and no QI training at all", "capability"),
        ("the team were never taught improvement methods", "capability"),
    ]
]


def test_message_model_learns_from_labelled_situations(embedder) -> None:
    model = MessageModel(embedder, TRAIN)
    text = "short staffed every night so there is no time for the project"
    probs = model.predict(text, embedder.embed([text])[0])
    assert probs["headspace"] > probs["capability"]
    assert set(probs) == {"recognition", "motivation", "headspace", "capability"}


def test_message_weight_blends_and_zero_keeps_the_clause_reading() -> None:
    reading = Reading(
        barriers={"recognition": 0.2, "motivation": 0.6, "headspace": 0.5, "capability": 0.1},
        factors={},
        message={"recognition": 0.0, "motivation": 0.0, "headspace": 1.0, "capability": 0.0},
    )
    assert barrier_scores(reading, Calibration(message_weight=0.0)) == reading.barriers
    blended = barrier_scores(reading, Calibration(message_weight=0.5))
    assert blended["headspace"] == 0.75 and blended["motivation"] == 0.3
    first = find_barriers(reading, Calibration(message_weight=0.5, position_weight=0.0))[0]
    assert first.id == "headspace"
