"""The ranker's input rows: shared weights, a copy per kind of sieve rule,
and the crossed pairs."""

from __future__ import annotations

import numpy as np

from storycast.text.features import FEATURES
from storycast.text.ranker_input import MODEL_FEATURES, by_rule


def test_rows_are_widened_by_rule_group_and_crossed_pairs():
    rows = np.zeros((2, len(FEATURES)))
    rows[0, FEATURES.index("previous_speaker")] = 1.0
    rows[0, FEATURES.index("present")] = 0.5
    rows[1, FEATURES.index("present")] = 0.25
    wide = dict(zip(MODEL_FEATURES, by_rule(rows, "pronoun").T))
    assert wide["present"].tolist() == [0.5, 0.25]
    assert wide["reference|present"].tolist() == [0.5, 0.25]  # the pronoun rule's copy
    assert not wide["turn|present"].any()  # other groups' copies stay empty
    assert wide["previous_speaker*present"].tolist() == [0.5, 0.0]
    assert len(set(MODEL_FEATURES)) == len(MODEL_FEATURES)
