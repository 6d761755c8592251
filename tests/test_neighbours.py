"""neighbours.py and the ranker's second reading: what the first reading
said of the turns around a quote, and the second model travelling in the
model file."""

from __future__ import annotations

import json
from dataclasses import replace

import numpy as np

from storycast.text.conversation import Decision
from storycast.text.features import FEATURES, QuoteCandidates
from storycast.text.neighbours import NEIGHBOUR_FEATURES, neighbour_rows
from storycast.text.ranker import SECOND_FEATURES, Ranker, shipped_ranker


def quote(turn: int, names: tuple[str, ...], chain: int = 0) -> QuoteCandidates:
    features = np.zeros((len(names), len(FEATURES)))
    return QuoteCandidates(
        0, turn, names, features, chain, turn, True, Decision(names[0], "turn-taking", 0.5)
    )


def test_a_candidate_is_scored_by_who_the_first_reading_heard_around_it():
    quotes = [quote(0, ("Ivo", "Rhea")), quote(1, ("Ivo", "Rhea")), quote(2, ("Ivo", "Rhea"))]
    first = [{"Ivo": 0.9, "Rhea": 0.1}, {"Ivo": 0.5, "Rhea": 0.5}, {"Ivo": 0.2, "Rhea": 0.8}]
    rows = neighbour_rows(quotes, first)
    middle = dict(zip(NEIGHBOUR_FEATURES, rows[1][0]))  # Ivo in the middle turn
    assert middle["speaks_turn_before"] == 0.9 and middle["speaks_turn_after"] == 0.2
    assert rows[0][1][NEIGHBOUR_FEATURES.index("speaks_two_turns_after")] == 0.8  # Rhea
    assert not rows[0][:, NEIGHBOUR_FEATURES.index("speaks_turn_before")].any()


def test_another_conversation_is_not_a_neighbour():
    quotes = [quote(0, ("Ivo",), chain=0), quote(1, ("Ivo",), chain=1)]
    rows = neighbour_rows(quotes, [{"Ivo": 1.0}, {"Ivo": 1.0}])
    assert not rows[1].any() and not rows[0].any()


def test_the_second_reading_travels_with_the_model():
    ranker = shipped_ranker()
    assert ranker is not None and ranker.second is not None
    changed = replace(ranker, second=np.arange(len(SECOND_FEATURES), dtype=np.float64))
    loaded = Ranker.from_json(json.loads(json.dumps(changed.to_json())))
    assert loaded.second is not None and list(loaded.second) == list(changed.second)
    one_reading = changed.to_json()
    del one_reading["second"], one_reading["second_features"]
    assert Ranker.from_json(one_reading).second is None
