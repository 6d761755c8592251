"""Train the attribution ranker on PDNC and write the model shipped in the
package (src/storycast/data/attribution_model.json: feature weights and a
calibration, no text from the corpus).

    python benchmarks/train_attribution.py --pdnc ../shared/data/pdnc-dev

The ranker is a logistic regression over (quote, candidate) pairs
(scikit-learn); at run time a quote's candidates compete in a softmax of
its scores, and the winner's probability is calibrated by Platt scaling
fitted on the training quotes."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pdnc import ROOT, Quote, novels, read_novel  # noqa: E402
from storycast.text.features import by_rule  # noqa: E402
from storycast.text.ranker import MODEL_FILE, Ranker  # noqa: E402

_C = 0.3
"""Inverse L2 strength of the pair model (set once, with the rule groups)."""


def fit(quotes: list[Quote]) -> Ranker:
    """A ranker trained on these quotes (both settings pooled)."""
    usable = [q for q in quotes if q.features is not None]
    features = np.vstack([by_rule(q.features, q.rule) for q in usable])
    labels = np.concatenate([q.labels for q in usable]).astype(int)
    model = LogisticRegression(C=_C, fit_intercept=True, max_iter=2000)
    model.fit(features, labels)
    ranker = Ranker(model.coef_[0].copy(), (1.0, 0.0))
    winners = np.array([_winner(ranker, q) for q in usable])
    calibration = LogisticRegression(C=100.0, max_iter=1000)
    calibration.fit(_logit(winners[:, 0]).reshape(-1, 1), winners[:, 1].astype(int))
    return Ranker(
        ranker.weights, (float(calibration.coef_[0][0]), float(calibration.intercept_[0]))
    )


def _winner(ranker: Ranker, quote: Quote) -> tuple[float, bool]:
    probabilities = ranker.probabilities(quote.features, quote.rule)
    best = int(np.argmax(probabilities))
    return float(probabilities[best]), bool(quote.labels[best])


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-4, 1 - 1e-4)
    return np.log(p / (1 - p))


def decide(ranker: Ranker | None, quote: Quote) -> tuple[bool, float]:
    """(right, confidence) for a quote as `attribute` would decide it."""
    if ranker is None or quote.features is None:
        return quote.sieve_ok, quote.sieve_confidence
    probabilities = ranker.probabilities(quote.features, quote.rule)
    best = int(np.argmax(probabilities))
    return bool(quote.labels[best]), ranker.calibrate(float(probabilities[best]))


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
    right = sum(decide(ranker, q)[0] for q in quotes)
    print(f"trained on {len(quotes)} quotes; training fit {right / len(quotes):.3f}")
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
