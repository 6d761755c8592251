"""Train the attribution ranker on PDNC and write the model shipped in the
package (src/storycast/data/attribution_model.json: feature weights, the
conversation chain's transition weights and a calibration, no text from
the corpus).

    python benchmarks/train_attribution.py --pdnc ../shared/data/pdnc-dev

The ranker is a conditional logit over each quote's candidates: it is
fitted (scipy) for the softmax of the candidates' scores that decides at
run time. A second model also sees how the first decided the turns
around each quote (storycast.text.neighbours); its training rows come from
first readings of novels the first model was not trained on (4 folds by
novel inside the training set). A conversation's turns are then decided
jointly (storycast.text.sequence): its few transition weights are chosen
on the training quotes by coordinate search. The winner's marginal
probability is calibrated by Platt scaling fitted on the training quotes."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import numpy as np
from scipy.optimize import minimize
from sklearn.linear_model import LogisticRegression

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pdnc import ROOT, Quote, Reading, novels, read_novel  # noqa: E402
from storycast.text.conversation import Decision  # noqa: E402
from storycast.text.features import QuoteCandidates  # noqa: E402
from storycast.text.neighbours import neighbour_rows  # noqa: E402
from storycast.text.ranker import MODEL_FILE, Ranker, anchors  # noqa: E402
from storycast.text.ranker_input import by_rule  # noqa: E402
from storycast.text.sequence import Emission, Transitions, decode  # noqa: E402

_L2 = 2e-4
"""L2 strength of the ranker's weights, per quote (set once: from 1.5e-5 to
5e-4 the cross-validated accuracy moved by under 0.001)."""
_INNER_FOLDS = 4
"""Folds by novel for the second model's training rows."""
_GRID = {
    "alternate": (0.5, 1.0, 2.0),
    "repeat": (-1.0, -0.5, 0.5),
    "emission": (0.7, 1.5),
    "alternate_after_narration": (0.5, 1.0),
    "repeat_after_narration": (-0.5, 0.5),
}
"""The values the coordinate search tries for each transition weight."""

Decoded = dict[tuple[int, tuple[int, int]], tuple[str, float]]
"""(id of the reading, (chapter, segment)) -> (speaker, marginal probability)."""


def fit(quotes: list[Quote], second_reading: bool = True) -> Ranker:
    """A ranker trained on these quotes (both settings pooled)."""
    usable = [q for q in quotes if q.features is not None]
    ranker = Ranker(_pair_model(usable, _first_rows), (1.0, 0.0))
    if second_reading and len({q.novel for q in usable}) >= _INNER_FOLDS:
        second_rows = _second_rows(usable)
        ranker = replace(ranker, second=_pair_model(usable, lambda q: second_rows[id(q)]))
    emissions = emissions_of(ranker, readings_of(usable))
    ranker = replace(ranker, transitions=_search(usable, emissions))
    decoded = decode_all(emissions, ranker.transitions)
    tagged = [_is_anchor(q) for q in usable]
    return replace(
        ranker,
        calibration=_platt([_winner(q, decoded) for q, t in zip(usable, tagged) if not t]),
        anchor_calibration=_platt([_winner(q, decoded) for q, t in zip(usable, tagged) if t]),
    )


def _pair_model(quotes: list[Quote], rows: Callable[[Quote], np.ndarray]) -> np.ndarray:
    """The weights of a conditional logit over the quotes' candidate rows:
    the likelihood of the right candidates under the softmax the ranker
    uses at run time (measured against a logistic regression over single
    pairs, side by side: +0.005 with the list, +0.002 without)."""
    known = [q for q in quotes if q.labels is not None and q.labels.any()]
    features = np.vstack([rows(q) for q in known])
    right = np.concatenate([q.labels for q in known]).astype(np.float64)
    sizes = np.array([len(q.labels) for q in known])
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    owner = np.repeat(np.arange(len(known)), sizes)

    def loss(weights: np.ndarray) -> tuple[float, np.ndarray]:
        scores = features @ weights
        scores -= np.maximum.reduceat(scores, starts)[owner]
        exp = np.exp(scores)
        probability = exp / np.add.reduceat(exp, starts)[owner]
        right_share = np.add.reduceat(probability * right, starts)
        target = probability * right / right_share[owner]
        value = -np.log(right_share).mean() + 0.5 * _L2 * weights @ weights
        gradient = features.T @ (probability - target) / len(known) + _L2 * weights
        return float(value), gradient

    start = np.zeros(features.shape[1])
    result = minimize(loss, start, jac=True, method="L-BFGS-B", options={"maxiter": 3000})
    return np.asarray(result.x)


def _first_rows(quote: Quote) -> np.ndarray:
    assert quote.features is not None
    return by_rule(quote.features, quote.rule)


def _second_rows(quotes: list[Quote]) -> dict[int, np.ndarray]:
    """Per quote (by id): its rows for the second model, the neighbours read
    by a first model trained on other novels."""
    novels = sorted({q.novel for q in quotes})
    fold_of = {novel: number % _INNER_FOLDS for number, novel in enumerate(novels)}
    rows: dict[int, np.ndarray] = {}
    for fold in range(_INNER_FOLDS):
        first = Ranker(
            _pair_model([q for q in quotes if fold_of[q.novel] != fold], _first_rows), (1.0, 0.0)
        )
        held = [q for q in quotes if fold_of[q.novel] == fold]
        around: dict[tuple[int, tuple[int, int]], np.ndarray] = {}
        for reading, chapter in _chapters(readings_of(held)):
            for quote, neighbours in zip(
                chapter, neighbour_rows(chapter, first.first_reading(chapter))
            ):
                around[(id(reading), (quote.chapter, quote.segment))] = neighbours
        for quote in held:
            rows[id(quote)] = np.hstack([_first_rows(quote), around[_key(quote)]])
    return rows


def _chapters(readings: list[Reading]) -> list[tuple[Reading, list[QuoteCandidates]]]:
    """Each reading's quotes, a chapter at a time."""
    found: dict[tuple[int, int], tuple[Reading, list[QuoteCandidates]]] = {}
    for reading in readings:
        for quote in reading.found:
            found.setdefault((id(reading), quote.chapter), (reading, []))[1].append(quote)
    return list(found.values())


def _platt(winners: list[tuple[float, bool]]) -> tuple[float, float]:
    """Platt scaling (a, b) of the winners' probabilities."""
    found = np.array(winners)
    calibration = LogisticRegression(C=100.0, max_iter=1000)
    calibration.fit(_logit(found[:, 0]).reshape(-1, 1), found[:, 1].astype(int))
    return float(calibration.coef_[0][0]), float(calibration.intercept_[0])


def _is_anchor(quote: Quote) -> bool:
    return anchors(Decision("", quote.rule, 1.0))


def readings_of(quotes: list[Quote]) -> list[Reading]:
    return list({id(q.reading): q.reading for q in quotes if q.reading is not None}.values())


Emissions = list[tuple[int, int, list[tuple[int, Emission]]]]
"""Per chapter of a reading: (id of the reading, chapter, [(segment, emission)])."""


def emissions_of(ranker: Ranker, readings: list[Reading]) -> Emissions:
    """The ranker's emissions for every quote of each reading, by chapter
    (as `attribute` builds them)."""
    return [
        (
            id(reading),
            chapter[0].chapter,
            [(q.segment, e) for q, e in zip(chapter, ranker.emissions(chapter))],
        )
        for reading, chapter in _chapters(readings)
    ]


def decode_all(emissions: Emissions, transitions: Transitions) -> Decoded:
    decoded: Decoded = {}
    for reading, chapter, pairs in emissions:
        choices = decode([emission for _, emission in pairs], transitions)
        for (segment, _), choice in zip(pairs, choices):
            decoded[(reading, (chapter, segment))] = choice
    return decoded


def _search(quotes: list[Quote], emissions: Emissions) -> Transitions:
    """Transition weights by coordinate search for the most right quotes."""
    chained = [_chained(entry) for entry in emissions]
    best = Transitions()
    best_right = _right(quotes, decode_all(chained, best))
    for name, values in _GRID.items():
        for value in values:
            trial = replace(best, **{name: value})
            right = _right(quotes, decode_all(chained, trial))
            if right > best_right:
                best, best_right = trial, right
    return best


def _chained(entry: tuple[int, int, list[tuple[int, Emission]]]) -> tuple:
    """A chapter's emissions, only those in chains of more than one turn
    (the others do not depend on the transitions)."""
    reading, chapter, pairs = entry
    turns: dict[int, set[int]] = {}
    for _, emission in pairs:
        turns.setdefault(emission.chain, set()).add(emission.turn)
    return reading, chapter, [pair for pair in pairs if len(turns[pair[1].chain]) > 1]


def _right(quotes: list[Quote], decoded: Decoded) -> int:
    return sum(decide(quote, decoded)[0] for quote in quotes if _key(quote) in decoded)


def _key(quote: Quote) -> tuple[int, tuple[int, int]]:
    assert quote.key is not None
    return id(quote.reading), quote.key


def _winner(quote: Quote, decoded: Decoded) -> tuple[float, bool]:
    name, probability = decoded[_key(quote)]
    return probability, _is_right(quote, name)


def _is_right(quote: Quote, name: str) -> bool:
    assert quote.labels is not None
    return bool(quote.labels[quote.names.index(name)]) if name in quote.names else False


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-4, 1 - 1e-4)
    return np.log(p / (1 - p))


def decide(quote: Quote, decoded: Decoded, ranker: Ranker | None = None) -> tuple[bool, float]:
    """(right, confidence) for a quote as `attribute` would decide it
    (`decoded`: the joint decisions of its reading; `ranker`: to calibrate)."""
    if quote.features is None:
        return quote.sieve_ok, quote.sieve_confidence
    name, probability = decoded[_key(quote)]
    confidence = ranker.calibrate(probability, _is_anchor(quote)) if ranker else probability
    return _is_right(quote, name), confidence


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pdnc", type=Path, required=True, help="the PDNC folder")
    parser.add_argument(
        "--output", type=Path, default=ROOT / "src" / "storycast" / "data" / MODEL_FILE
    )
    args = parser.parse_args()
    quotes = [q for folder in novels(args.pdnc) for q in read_novel(folder)]
    ranker = fit(quotes)
    args.output.write_text(json.dumps(ranker.to_json(), indent=1) + "\n", encoding="utf-8")
    decoded = decode_all(emissions_of(ranker, readings_of(quotes)), ranker.transitions)
    right = sum(decide(q, decoded)[0] for q in quotes)
    print(f"trained on {len(quotes)} quotes; training fit {right / len(quotes):.3f}")
    print(f"transitions {ranker.transitions}")
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
