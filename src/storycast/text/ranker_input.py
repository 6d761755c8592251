"""The ranker's input: a quote's feature rows (`features.py`) widened with
one copy of the weights per kind of sieve rule and with the products of a
few features that count differently together."""

from __future__ import annotations

import numpy as np

from storycast.text.features import FEATURES

_RULE_GROUP = {
    "quote-verb-name": "tag",
    "name-verb-quote": "tag",
    "pronoun": "reference",
    "description": "reference",
    "same-paragraph": "paragraph",
    "continued-quote": "paragraph",
    "action-beat": "paragraph",
}
GROUPS = ("tag", "reference", "paragraph", "turn")
"""The sieve's rules by kind: each kind has its own copy of the weights
(beside the shared ones), since a feature matters differently after a
speech tag than in a run of untagged turns."""
_CROSSED = (
    "previous_speaker",
    "speaker_two_back",
    "next_speaker",
    "speaker_two_ahead",
    "addressed_by_previous",
    "addressed_by_next",
    "present",
    "salient",
    "in_conversation",
    "named_before",
    "named_after",
    "gender_agrees",
    "style",
)
"""Features whose pairwise products the model also weighs, since how much
one turn-taking or scene cue counts depends on the others (measured side
by side, each quote ranked alone: +0.003 with the list, +0.002 without)."""
_PAIRS = [(a, b) for n, a in enumerate(_CROSSED) for b in _CROSSED[n + 1 :]]
_PAIR_INDEX = (
    np.array([FEATURES.index(a) for a, _ in _PAIRS]),
    np.array([FEATURES.index(b) for _, b in _PAIRS]),
)
MODEL_FEATURES = (
    *FEATURES,
    *(f"{group}|{name}" for group in GROUPS for name in FEATURES),
    *(f"{a}*{b}" for a, b in _PAIRS),
)


def by_rule(rows: np.ndarray, rule: str) -> np.ndarray:
    """The rows widened to MODEL_FEATURES: shared, then one copy for the
    sieve rule's group (zero elsewhere), then the crossed pairs."""
    group = GROUPS.index(_RULE_GROUP.get(rule, "turn"))
    wide = np.zeros((rows.shape[0], len(MODEL_FEATURES)), dtype=np.float64)
    wide[:, : len(FEATURES)] = rows
    start = len(FEATURES) * (1 + group)
    wide[:, start : start + len(FEATURES)] = rows
    first, second = _PAIR_INDEX
    wide[:, len(FEATURES) * (1 + len(GROUPS)) :] = rows[:, first] * rows[:, second]
    return wide
