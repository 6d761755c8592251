"""Second reading: how the first reading decided the turns around a quote.

The ranker's features see the neighbouring turns only through the sieve's
guesses, so one wrong guess misleads every turn after it. After a first
ranking of a whole chapter, each candidate gets, for the turns just before
and after in the same conversation, the first reading's probability that
they speak there; a second model (`Ranker.second`) weighs these beside the
first features (stacking: its training rows come from first readings of
novels the first model was not trained on)."""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from storycast.text.features import QuoteCandidates

NEIGHBOUR_FEATURES = (
    "speaks_turn_before",
    "speaks_two_turns_before",
    "speaks_turn_after",
    "speaks_two_turns_after",
    "answers_two_turns_before",
    "answered_two_turns_after",
)

Distribution = dict[str, float]


def neighbour_rows(quotes: list[QuoteCandidates], first: list[Distribution]) -> list[np.ndarray]:
    """Per quote of one chapter (in order), one row of NEIGHBOUR_FEATURES per
    candidate; `first` holds each quote's first-reading probabilities."""
    turns = _turn_distributions(quotes, first)
    order: dict[int, list[int]] = defaultdict(list)
    for quote in quotes:
        if not order[quote.chain] or order[quote.chain][-1] != quote.turn:
            order[quote.chain].append(quote.turn)
    rows = []
    for quote in quotes:
        sequence = order[quote.chain]
        here = sequence.index(quote.turn)

        def at(offset: int, sequence: list[int] = sequence, here: int = here) -> Distribution:
            there = here + offset
            return turns[sequence[there]] if 0 <= there < len(sequence) else {}

        before, two_before, after, two_after = at(-1), at(-2), at(1), at(2)
        rows.append(
            np.array(
                [
                    [
                        before.get(name, 0.0),
                        two_before.get(name, 0.0),
                        after.get(name, 0.0),
                        two_after.get(name, 0.0),
                        two_before.get(name, 0.0) * (1 - before.get(name, 0.0)),
                        two_after.get(name, 0.0) * (1 - after.get(name, 0.0)),
                    ]
                    for name in quote.names
                ],
                dtype=np.float64,
            ).reshape(len(quote.names), len(NEIGHBOUR_FEATURES))
        )
    return rows


def _turn_distributions(
    quotes: list[QuoteCandidates], first: list[Distribution]
) -> dict[int, Distribution]:
    """Per turn, the mean of its quotes' distributions."""
    summed: dict[int, Distribution] = defaultdict(lambda: defaultdict(float))
    counts: dict[int, int] = defaultdict(int)
    for quote, distribution in zip(quotes, first):
        counts[quote.turn] += 1
        for name, probability in distribution.items():
            summed[quote.turn][name] += probability
    return {
        turn: {name: p / counts[turn] for name, p in names.items()}
        for turn, names in summed.items()
    }
