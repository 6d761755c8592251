"""Who the text itself says is talking: the speakers of the turns decided by
a tag or a beat, counted per conversation and over the whole book (ranker
features: who is in this conversation, who talks most)."""

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
