"""sequence.py: a conversation's speakers decided jointly from the ranker's
per-quote probabilities and the turn-taking transitions."""

from __future__ import annotations

import json
from dataclasses import replace

import numpy as np
import pytest

from storycast.model import Cast, Character
from storycast.text.attribute import attribute
from storycast.text.parse import parse
from storycast.text.ranker import Ranker, shipped_ranker
from storycast.text.read import read_text
from storycast.text.sequence import Emission, Transitions, decode

ALTERNATING = Transitions(alternate=3.0, alternate_after_narration=1.0, repeat=-1.0)


def quote(turn: int, chances: dict[str, float], chain: int = 0, tag: bool = False) -> Emission:
    names = tuple(chances)
    log = np.log(np.array([chances[n] for n in names]))
    return Emission(chain, turn, True, names, log, fixed=tag)


def test_without_transitions_each_quote_takes_its_most_probable_candidate():
    emissions = [quote(0, {"Ivo": 0.8, "Rhea": 0.2}), quote(1, {"Ivo": 0.6, "Rhea": 0.4})]
    decided = decode(emissions, Transitions())
    assert [name for name, _ in decided] == ["Ivo", "Ivo"]
    assert decided[1][1] == pytest.approx(0.6)


def test_a_doubtful_turn_answers_the_turn_before_last():
    emissions = [
        quote(0, {"Ivo": 0.99, "Rhea": 0.01}),
        quote(1, {"Rhea": 0.99, "Ivo": 0.01}),
        quote(2, {"Rhea": 0.55, "Ivo": 0.45}),  # a weak guess that Rhea speaks twice
    ]
    assert [name for name, _ in decode(emissions, ALTERNATING)] == ["Ivo", "Rhea", "Ivo"]


def test_a_sure_quote_is_not_overruled_by_the_turn_order():
    emissions = [
        quote(0, {"Ivo": 0.99, "Rhea": 0.01}),
        quote(1, {"Rhea": 0.99, "Ivo": 0.01}),
        quote(2, {"Rhea": 0.999, "Ivo": 0.001}),  # "...," Rhea added
    ]
    assert decode(emissions, ALTERNATING)[2][0] == "Rhea"


def test_an_explicit_tag_holds_and_the_turns_around_it_follow_from_it():
    emissions = [
        quote(0, {"Ivo": 0.99, "Rhea": 0.01}),
        quote(1, {"Rhea": 0.7, "Ivo": 0.3}, tag=True),  # "...," said Rhea
        quote(2, {"Ivo": 0.7, "Rhea": 0.3}, tag=True),  # "...," said Ivo
        quote(3, {"Ivo": 0.5, "Rhea": 0.5}),
    ]
    decided = decode(emissions, ALTERNATING)
    assert [name for name, _ in decided] == ["Ivo", "Rhea", "Ivo", "Rhea"]
    assert decided[1][1] == pytest.approx(0.7)  # an anchor keeps its own probability


def test_quotes_of_one_paragraph_share_a_speaker():
    emissions = [quote(0, {"Ivo": 0.9, "Rhea": 0.1}), quote(0, {"Rhea": 0.6, "Ivo": 0.4})]
    assert [name for name, _ in decode(emissions, Transitions())] == ["Ivo", "Ivo"]


def test_a_new_conversation_does_not_follow_the_old_turn_order():
    emissions = [
        quote(0, {"Ivo": 0.99, "Rhea": 0.01}),
        quote(1, {"Rhea": 0.99, "Ivo": 0.01}),
        quote(2, {"Rhea": 0.55, "Ivo": 0.45}, chain=1),
    ]
    assert decode(emissions, ALTERNATING)[2][0] == "Rhea"


def test_transitions_travel_with_the_model_and_old_models_still_load():
    ranker = shipped_ranker()
    assert ranker is not None
    trained = replace(ranker, transitions=ALTERNATING, anchor_calibration=(2.0, 1.0))
    loaded = Ranker.from_json(json.loads(json.dumps(trained.to_json())))
    assert loaded.transitions == ALTERNATING and loaded.anchor_calibration == (2.0, 1.0)
    assert loaded.calibrate(0.8, anchor=True) != loaded.calibrate(0.8)
    old = trained.to_json()
    del old["transitions"], old["anchor_calibration"]
    assert Ranker.from_json(old).transitions == Transitions()
    assert Ranker.from_json(old).calibrate(0.8, anchor=True) == Ranker.from_json(old).calibrate(0.8)


def test_a_story_is_decided_with_the_conversation_as_a_whole():
    cast = Cast(characters=(Character("Ivo", (), "male"), Character("Rhea", (), "female")))
    story = (
        "The lighthouse keeper's stove had gone out again."
        '\n\n"Pass me the matches," Ivo said.'
        '\n\n"They\'re damp," said Rhea.'
        '\n\n"All of them?"'
        '\n\n"Every box. The roof leaks onto the shelf."'
        '\n\n"Then we burn the logbook."'
    )
    ranker = shipped_ranker()
    assert ranker is not None
    script = attribute(
        parse(read_text(story, "story.txt")), cast, replace(ranker, transitions=ALTERNATING)
    )
    speakers = [s.speaker for c in script.chapters for s in c.segments if s.spoken]
    assert speakers == ["Ivo", "Rhea", "Ivo", "Rhea", "Ivo"]
