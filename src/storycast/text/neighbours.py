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
    order: dict[int, list[int]] = defaultdict(list)  # per chain, its turns
    for quote in quotes:
        if not order[quote.chain] or order[quote.chain][-1] != quote.turn:
            order[quote.chain].append(quote.turn)
    place = {turn: here for sequence in order.values() for here, turn in enumerate(sequence)}
    rows = []
    for quote in quotes:
        sequence, here = order[quote.chain], place[quote.turn]
        before, two_before, after, two_after = (
            turns[sequence[there]] if 0 <= there < len(sequence) else {}
            for there in (here - 1, here - 2, here + 1, here + 2)
        )
        rows.append(
            np.array(
                [_row(name, before, two_before, after, two_after) for name in quote.names],
                dtype=np.float64,
            ).reshape(len(quote.names), len(NEIGHBOUR_FEATURES))
        )
    return rows


def _row(
    name: str,
    before: Distribution,
    two_before: Distribution,
    after: Distribution,
    two_after: Distribution,
) -> list[float]:
    """NEIGHBOUR_FEATURES for one candidate."""
    p_before, p_two_before = before.get(name, 0.0), two_before.get(name, 0.0)
    p_after, p_two_after = after.get(name, 0.0), two_after.get(name, 0.0)
    return [
        p_before,
        p_two_before,
        p_after,
        p_two_after,
        p_two_before * (1 - p_before),
        p_two_after * (1 - p_after),
    ]


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
