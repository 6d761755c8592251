"""Who the text itself says is talking: the conversations (chains of turns),
the speakers of the turns decided by a tag or a beat, counted per
conversation and over the whole book, and how far each tagged turn is
(ranker features: who is in this conversation, whose turn it is by
alternation, who talks most)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from storycast.text.conversation import Turn


def tagged_speakers(turns: list[Turn], chain_of: list[int]) -> dict[int, Counter[str]]:
    """Per conversation (chain), how many of its turns are tagged as each
    character's."""
    found: dict[int, Counter[str]] = {chain: Counter() for chain in chain_of}
    for turn, chain in zip(turns, chain_of):
        found[chain].update(_tagged([turn]))
    return found


_SHARE_PRIOR = 20
"""Tagged turns added to the total before sharing it out: in a short story
one tag is no evidence that its speaker does most of the talking."""


def book_shares(chapters: list[list[Turn]]) -> dict[str, float]:
    """Each character's share of the book's tagged turns: who talks most."""
    tagged = _tagged(turn for turns in chapters for turn in turns)
    total = sum(tagged.values()) + _SHARE_PRIOR
    return {name: count / total for name, count in tagged.items()}


def _tagged(turns: Iterable[Turn]) -> Counter[str]:
    """Speakers of the turns the text itself decides (a tag or a beat)."""
    return Counter(turn.decision.speaker for turn in turns if turn.anchor and turn.decision)


_CHAIN_GAP = 400
"""Narration characters (a paragraph counts 200) that end a chain of turns."""


def chains(turns: list[Turn]) -> list[int]:
    """Per turn, the number of its conversation: a scene change or more than
    a short paragraph of narration starts a new one."""
    found, number = [], 0
    for position, turn in enumerate(turns):
        if position and (turn.scene != turns[position - 1].scene or turn.gap > _CHAIN_GAP):
            number += 1
        found.append(number)
    return found


def parity(turns: list[Turn], number: int, reach: int = 8) -> dict[str, dict[str, float]]:
    """For each character tagged in a nearby turn of the same conversation:
    1 / distance to the nearest such turn before and after, filed under even
    (turn-taking says they speak this turn too) or odd (the other side)."""
    found: dict[str, dict[str, float]] = {}
    for direction, step in (("back", -1), ("ahead", 1)):
        here = number
        for distance in range(1, reach + 1):
            there = here + step
            if not 0 <= there < len(turns):
                break
            later = turns[max(here, there)]
            if later.gap > _CHAIN_GAP or turns[there].scene != turns[number].scene:
                break
            decision = turns[there].decision
            if decision and turns[there].anchor:  # decided by the text: a tag or a beat
                side = "even" if distance % 2 == 0 else "odd"
                slots = found.setdefault(decision.speaker, {})
                if not any(key.startswith(f"tagged_{direction}") for key in slots):
                    slots[f"tagged_{direction}_{side}"] = 1.0 / distance
            here = there
    return found
