"""Deciding a conversation jointly: each turn's speaker, given the ranker's
probabilities for every turn of the conversation and how turns follow one
another.

Ranked one by one, each quote leans on the rules' guesses for its
neighbours, so one wrong guess spreads along a run of untagged turns. Here
a conversation is a chain of turns (paragraphs with speech), and the
speakers of the whole chain are weighed together: a second-order chain
whose emissions are the ranker's log-probabilities (summed over a turn's
quotes) and whose transitions score a speaker who speaks again in the next
turn and one who answers the turn before last (A-B-A), with their own
weights after a paragraph of narration. Forward-backward gives each turn's
marginal probabilities; each quote takes the most probable of its own
candidates."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

_ABSENT = -7.0
"""Log-probability of a name for a quote where it is not a candidate."""


@dataclass(frozen=True)
class Transitions:
    """The weights of the chain (learnt by benchmarks/train_attribution.py)."""

    emission: float = 1.0
    repeat: float = 0.0
    """Added when a speaker speaks again in the next turn, nothing between."""
    repeat_after_narration: float = 0.0
    alternate: float = 0.0
    """Added when a speaker answers the turn before last (A-B-A)."""
    alternate_after_narration: float = 0.0

    def as_list(self) -> list[float]:
        return [
            self.emission,
            self.repeat,
            self.repeat_after_narration,
            self.alternate,
            self.alternate_after_narration,
        ]


@dataclass(frozen=True)
class Emission:
    """One quote's candidates and the ranker's log-probabilities for them."""

    chain: int
    """The conversation: quotes of one chain are decided together."""
    turn: int
    """The paragraph: quotes of one turn share a speaker."""
    adjacent: bool
    """No narration paragraph between the turn before and this quote's turn."""
    names: tuple[str, ...]
    log_probabilities: np.ndarray
    fixed: bool = False
    """An anchor (an explicit tag): its most probable candidate holds, and the
    turns around it follow from it."""


@dataclass(frozen=True)
class _Slot:
    names: tuple[str, ...]
    scores: np.ndarray
    adjacent: bool
    ids: np.ndarray
    """A number per name, the same for the same name (-1: nobody)."""


def decode(emissions: list[Emission], transitions: Transitions) -> list[tuple[str, float]]:
    """Per emission, in order: the most probable of its candidates and its
    marginal probability."""
    marginals: dict[tuple[int, int], dict[str, float]] = {}
    for chain in _chains(emissions):
        slots = [_slot(turn) for turn in chain]
        for turn, slot, probabilities in zip(chain, slots, _forward_backward(slots, transitions)):
            marginals[(turn[0].chain, turn[0].turn)] = dict(zip(slot.names, probabilities))
    decided = []
    for emission in emissions:
        if emission.fixed:
            best = int(np.argmax(emission.log_probabilities))
            decided.append((emission.names[best], float(np.exp(emission.log_probabilities[best]))))
            continue
        of_turn = marginals[(emission.chain, emission.turn)]
        mass = [of_turn.get(name, 0.0) for name in emission.names]
        best = int(np.argmax(mass))
        decided.append((emission.names[best], float(mass[best])))
    return decided


def _chains(emissions: list[Emission]) -> list[list[list[Emission]]]:
    """The emissions grouped into chains of turns, in order."""
    chains: dict[int, dict[int, list[Emission]]] = {}
    for emission in emissions:
        chains.setdefault(emission.chain, {}).setdefault(emission.turn, []).append(emission)
    return [list(turns.values()) for turns in chains.values()]


def _slot(turn: list[Emission]) -> _Slot:
    """A turn's candidates (every quote's) and summed log-probabilities; an
    anchor's speaker only, where the turn has one."""
    anchors = [emission for emission in turn if emission.fixed]
    if anchors:
        best = anchors[0].names[int(np.argmax(anchors[0].log_probabilities))]
        return _Slot((best,), np.zeros(1), turn[0].adjacent, np.array([hash(best)]))
    names = tuple(dict.fromkeys(name for emission in turn for name in emission.names))
    scores = np.zeros(len(names))
    for emission in turn:
        own = dict(zip(emission.names, emission.log_probabilities))
        scores += np.array([max(own.get(name, _ABSENT), _ABSENT) for name in names])
    ids = np.array([hash(name) for name in names], dtype=np.int64)
    return _Slot(names, scores, turn[0].adjacent, ids)


_START = _Slot(("",), np.zeros(1), False, np.array([-1]))
"""Two of these open every chain, so each turn has two turns before it."""


def _forward_backward(slots: list[_Slot], weights: Transitions) -> list[np.ndarray]:
    if len(slots) == 1:  # nothing to weigh it against
        return [_softmax(weights.emission * slots[0].scores)]
    chain = [_START, _START, *slots]
    links = [_link(chain[t - 2], chain[t - 1], chain[t], weights) for t in range(2, len(chain))]
    emit = [weights.emission * slot.scores for slot in slots]
    forward = [np.zeros((1, 1))]  # over (turn before, this turn)
    for link, scores in zip(links, emit):
        forward.append(_logsumexp(forward[-1][:, :, None] + link, axis=0) + scores[None, :])
    backward = [np.zeros(forward[-1].shape)]
    for t in range(len(slots) - 1, 0, -1):
        step = links[t] + emit[t][None, None, :] + backward[0][None, :, :]
        backward.insert(0, _logsumexp(step, axis=2))
    marginals = []
    for alpha, beta in zip(forward[1:], backward):
        marginals.append(_softmax(_logsumexp(alpha + beta, axis=0)))
    return marginals


def _link(two_back: _Slot, one_back: _Slot, here: _Slot, weights: Transitions) -> np.ndarray:
    """Transition scores over (speaker two turns back, one back, here)."""
    same_as_last = (one_back.ids[:, None] == here.ids[None, :])[None, :, :]
    answers = (two_back.ids[:, None] == here.ids[None, :])[:, None, :] & ~same_as_last
    repeat = weights.repeat if here.adjacent else weights.repeat_after_narration
    alternate = weights.alternate if here.adjacent else weights.alternate_after_narration
    return repeat * same_as_last + alternate * answers


def _softmax(scores: np.ndarray) -> np.ndarray:
    scores = np.exp(scores - scores.max())
    return scores / scores.sum()


def _logsumexp(values: np.ndarray, axis: int) -> np.ndarray:
    top = values.max(axis=axis, keepdims=True)
    return np.squeeze(top, axis=axis) + np.log(np.exp(values - top).sum(axis=axis))
