"""The learned ranker: scores each candidate speaker of a quote and gives
the chosen one a calibrated probability as its confidence.

The model is a conditional logit (a weight per feature; a quote's
candidates compete in a softmax) with a Platt calibration of the winner's
probability, trained by `benchmarks/train_attribution.py` and shipped as
JSON in storycast/data, so inference needs only numpy."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np

from storycast.text.features import MODEL_FEATURES, by_rule
from storycast.text.sequence import Transitions

MODEL_FILE = "attribution_model.json"


@dataclass(frozen=True)
class Ranker:
    weights: np.ndarray
    calibration: tuple[float, float]
    """Platt scaling (a, b): confidence = sigmoid(a * logit(p) + b)."""
    transitions: Transitions = Transitions()
    """How a conversation's turns follow one another (`sequence.py`)."""
    anchor_calibration: tuple[float, float] | None = None
    """Platt scaling for an explicit tag, decided alone (its probability is
    not a chain's marginal, so it is calibrated apart); None: `calibration`."""

    def probabilities(self, features: np.ndarray, rule: str) -> np.ndarray:
        """Each candidate's probability of being the speaker (`rule`: the
        sieve's rule for the quote)."""
        scores = by_rule(features, rule) @ self.weights
        scores = np.exp(scores - scores.max())
        return scores / scores.sum()

    def choose(self, names: list[str], features: np.ndarray, rule: str) -> tuple[str, float]:
        """The most probable candidate and its calibrated confidence."""
        probabilities = self.probabilities(features, rule)
        best = int(np.argmax(probabilities))
        return names[best], self.calibrate(float(probabilities[best]))

    def calibrate(self, probability: float, anchor: bool = False) -> float:
        """The confidence for a winner's probability (`anchor`: an explicit
        tag's, decided alone)."""
        p = min(max(probability, 1e-4), 1 - 1e-4)
        a, b = (self.anchor_calibration if anchor else None) or self.calibration
        return 1 / (1 + math.exp(-(a * math.log(p / (1 - p)) + b)))

    def to_json(self) -> dict:
        return {
            "features": list(MODEL_FEATURES),
            "weights": [round(float(w), 6) for w in self.weights],
            "calibration": [round(c, 6) for c in self.calibration],
            "transitions": [round(w, 6) for w in self.transitions.as_list()],
            **(
                {"anchor_calibration": [round(c, 6) for c in self.anchor_calibration]}
                if self.anchor_calibration
                else {}
            ),
        }

    @classmethod
    def from_json(cls, data: dict) -> Ranker:
        by_name = dict(zip(data["features"], data["weights"]))
        weights = np.array([by_name.get(name, 0.0) for name in MODEL_FEATURES], dtype=np.float64)
        a, b = data["calibration"]
        transitions = Transitions(*(float(w) for w in data.get("transitions", [1.0])))
        anchor = data.get("anchor_calibration")
        anchor_calibration = (float(anchor[0]), float(anchor[1])) if anchor else None
        return cls(weights, (float(a), float(b)), transitions, anchor_calibration)


@lru_cache(maxsize=1)
def shipped_ranker() -> Ranker | None:
    """The model shipped in the package, or None where it is absent."""
    model = resources.files("storycast").joinpath("data").joinpath(MODEL_FILE)
    if not model.is_file():
        return None
    return Ranker.from_json(json.loads(model.read_text(encoding="utf-8")))
