"""The learned ranker: scores each candidate speaker of a quote and gives
the chosen one a calibrated probability as its confidence.

The model is a conditional logit (a weight per feature; a quote's
candidates compete in a softmax) with a Platt calibration of the winner's
probability, trained by `benchmarks/train_attribution.py` and shipped as
JSON in storycast/data, so inference needs only numpy. A chapter is read
twice: the second model also sees how the first reading decided the turns
around each quote (`neighbours.py`)."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np

from storycast.model import NARRATOR
from storycast.text.conversation import Decision
from storycast.text.features import QuoteCandidates
from storycast.text.neighbours import NEIGHBOUR_FEATURES, Distribution, neighbour_rows
from storycast.text.ranker_input import MODEL_FEATURES, by_rule
from storycast.text.sequence import Emission, Transitions

MODEL_FILE = "attribution_model.json"
SECOND_FEATURES = (*MODEL_FEATURES, *NEIGHBOUR_FEATURES)
_SECOND_READINGS = 2
"""Times the second model reads a chapter: first from the first reading's
guesses, then from its own (measured: a third read gains nothing more)."""
_KEEP_RULES = frozenset({"first-person"})
"""Rules the ranker never overrides: the narrator's own "I said"."""


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
    second: np.ndarray | None = None
    """Weights of the second reading over SECOND_FEATURES; None: one reading."""

    def probabilities(self, features: np.ndarray, rule: str) -> np.ndarray:
        """Each candidate's probability of being the speaker in the first
        reading (`rule`: the sieve's rule for the quote)."""
        return _softmax(by_rule(features, rule) @ self.weights)

    def first_reading(self, quotes: list[QuoteCandidates]) -> list[Distribution]:
        """Each quote's candidates and their first-reading probabilities; a
        quote the ranker does not decide keeps the sieve's speaker."""
        found = []
        for quote in quotes:
            assert quote.decision is not None
            if quote.names and rankable(quote.decision):
                probabilities = self.probabilities(quote.features, quote.decision.rule)
                found.append(dict(zip(quote.names, probabilities.tolist())))
            else:
                found.append({quote.decision.speaker: 1.0})
        return found

    def emissions(self, quotes: list[QuoteCandidates]) -> list[Emission]:
        """The chain's emissions for one chapter's quotes, in order."""
        reading = self.first_reading(quotes)
        if self.second is not None:
            for _ in range(_SECOND_READINGS):
                reading = self.second_reading(quotes, reading)
        emissions = []
        for quote, probabilities in zip(quotes, reading):
            decision = quote.decision
            assert decision is not None
            where = (quote.chain, quote.turn, quote.adjacent)
            if not (quote.names and rankable(decision)):
                emissions.append(Emission(*where, (decision.speaker,), np.zeros(1)))
                continue
            log = np.log(np.maximum([probabilities[name] for name in quote.names], 1e-9))
            emissions.append(Emission(*where, quote.names, log, anchors(decision)))
        return emissions

    def second_reading(
        self, quotes: list[QuoteCandidates], before: list[Distribution]
    ) -> list[Distribution]:
        """Each quote's probabilities by the second model, seeing how the
        reading `before` decided the turns around it."""
        assert self.second is not None
        around = neighbour_rows(quotes, before)
        found = []
        for quote, rows_around, kept in zip(quotes, around, before):
            decision = quote.decision
            assert decision is not None
            if not (quote.names and rankable(decision)):
                found.append(kept)
                continue
            rows = np.hstack([by_rule(quote.features, decision.rule), rows_around])
            found.append(dict(zip(quote.names, _softmax(rows @ self.second).tolist())))
        return found

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
            **(
                {
                    "second_features": list(SECOND_FEATURES),
                    "second": [round(float(w), 6) for w in self.second],
                }
                if self.second is not None
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
        second = None
        if "second" in data:
            by_name = dict(zip(data["second_features"], data["second"]))
            second = np.array([by_name.get(name, 0.0) for name in SECOND_FEATURES])
        return cls(weights, (float(a), float(b)), transitions, anchor_calibration, second)


def anchors(decision: Decision) -> bool:
    """An explicit tag: the ranker decides the quote alone, and the turns
    around it are decided from it (measured: letting the turn order
    overrule tags cost 0.7 points on explicit quotes)."""
    return decision.rule in ("quote-verb-name", "name-verb-quote")


def rankable(decision: Decision) -> bool:
    """The ranker decides, except the narrator's own "I said" and a quote
    the sieve found nobody for (no character but the one who just spoke)."""
    return decision.rule not in _KEEP_RULES and decision.speaker != NARRATOR


def _softmax(scores: np.ndarray) -> np.ndarray:
    scores = np.exp(scores - scores.max())
    return scores / scores.sum()


@lru_cache(maxsize=1)
def shipped_ranker() -> Ranker | None:
    """The model shipped in the package, or None where it is absent."""
    model = resources.files("storycast").joinpath("data").joinpath(MODEL_FILE)
    if not model.is_file():
        return None
    return Ranker.from_json(json.loads(model.read_text(encoding="utf-8")))
