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


def test_main_head_reads_which_barrier_the_writer_puts_first(embedder) -> None:
    """Both barriers show in every message; only the main one differs, and the head learns it."""
    both = [
        TrainingSituation(text=t, barriers=(main, other))
        for t, main, other in [
            ("no time for it and nobody trained, but mostly the rota", "headspace", "capability"),
            ("rota gaps above all, and a few gaps in QI skills", "headspace", "capability"),
            ("shifts are short every week; some skills missing too", "headspace", "capability"),
            ("nobody knows the method, and time is a bit tight", "capability", "headspace"),
            ("no one was ever taught QI, though time is short too", "capability", "headspace"),
            ("skills are the real gap; we are also fairly busy", "capability", "headspace"),
        ]
    ]
    model = MessageModel(embedder, both)
    text = "rota gaps mostly, and some missing skills"
    main = model.predict_main(text, embedder.embed([text])[0])
    assert main["headspace"] > main["capability"]
    assert abs(sum(main.values()) - 1.0) < 1e-5


def test_main_weight_reorders_the_barriers_found_and_never_adds_one() -> None:
    reading = Reading(
        barriers={"recognition": 0.1, "motivation": 0.7, "headspace": 0.6, "capability": 0.1},
        factors={},
        main={"recognition": 0.9, "motivation": 0.05, "headspace": 0.05, "capability": 0.0},
    )
    plain = find_barriers(reading, Calibration(position_weight=0.0, relative_floor=0.5))
    assert [b.id for b in plain] == ["motivation", "headspace"]
    heavy = Calibration(position_weight=0.0, relative_floor=0.5, main_weight=1.0)
    assert [b.id for b in find_barriers(reading, heavy)] == ["motivation", "headspace"]
    reading.main = {"recognition": 0.0, "motivation": 0.1, "headspace": 0.9, "capability": 0.0}
    assert [b.id for b in find_barriers(reading, heavy)] == ["headspace", "motivation"]


def test_among_equal_scores_the_barrier_written_first_leads() -> None:
    reading = Reading(
        barriers={"recognition": 0.1, "motivation": 0.1, "headspace": 0.7, "capability": 0.7},
        factors={},
        first_clause={"headspace": 1.0, "capability": 0.0},
    )
    found = find_barriers(reading, Calibration(position_weight=0.3))
    assert [b.id for b in found] == ["capability", "headspace"]
