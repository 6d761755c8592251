"""attribute: who says each quote.

The sieve (`sieve.py`, then turn-taking in `conversation.py`) reads each
chapter and decides every quote by small named rules. The learned ranker
(`ranker.py`) then weighs the sieve's answer against the other characters
present or recently named (`features.py`) and gives the chosen speaker a
calibrated probability as its confidence. No quote goes to the narrator
unless the text says the narrator speaks (a first-person tag)."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from storycast.model import NARRATOR, Cast, Chapter, Script
from storycast.text.characters import Names, discover_cast, refine_cast
from storycast.text.conversation import Decision, Turn, fill_conversations
from storycast.text.features import (
    Context,
    QuoteCandidates,
    following,
    parity,
    quote_features,
)
from storycast.text.firstperson import first_person_speaker
from storycast.text.ranker import Ranker, shipped_ranker
from storycast.text.sieve import SieveReader

__all__ = ["attribute", "attribute_with_candidates", "discover_cast", "rankable"]

_KEEP_RULES = frozenset({"first-person"})
"""Rules the ranker never overrides: the narrator's own "I said"."""


def attribute(script: Script, cast: Cast | None = None, ranker: Ranker | None = None) -> Script:
    """The script with a speaker, rule and confidence on every speech segment
    (`ranker` defaults to the model shipped in the package)."""
    return _attribute(script, cast, ranker or shipped_ranker(), None)


def attribute_with_candidates(
    script: Script, cast: Cast | None = None
) -> tuple[Script, list[QuoteCandidates]]:
    """The sieve's script alone, and each quote's candidates and features
    (for training and measuring the ranker)."""
    found: list[QuoteCandidates] = []
    return _attribute(script, cast, None, found), found


def _attribute(
    script: Script, cast: Cast | None, ranker: Ranker | None, found: list | None
) -> Script:
    if cast and cast.characters:
        return _attribute_with(script, cast, ranker, found)
    # No cast: discover one, attribute, learn nicknames and genders from that
    # first reading (by the sieve), and read again with what was learnt.
    discovered = discover_cast(script)
    first = _attribute_with(script, discovered, None, None)
    refined = refine_cast(first, discovered)
    return _attribute_with(script, refined, ranker, found)


def _attribute_with(
    script: Script, cast: Cast, ranker: Ranker | None, found: list | None
) -> Script:
    names = Names.from_cast(cast)
    first_person = first_person_speaker(script, names)
    chapters = []
    for number, chapter in enumerate(script.chapters):
        turns = fill_conversations(SieveReader(names, first_person).chapter(chapter))
        chapters.append(_decide(chapter, number, turns, names, first_person, ranker, found))
    return replace(script, chapters=tuple(chapters), cast=cast)


def _decide(
    chapter: Chapter,
    number: int,
    turns: list[Turn],
    names: Names,
    first_person: str | None,
    ranker: Ranker | None,
    found: list | None,
) -> Chapter:
    segments = list(chapter.segments)
    spoken: Counter[str] = Counter()
    for number_in_chapter, turn in enumerate(turns):
        for index in turn.quotes:
            decision = turn.decisions.get(index) or turn.decision
            assert decision is not None  # fill_conversations decides every turn
            if ranker is not None or found is not None:
                context = Context(
                    names.gender,
                    first_person,
                    {name for _, name in names.mentions(segments[index].text)},
                    following(turns, number_in_chapter),
                    dict(spoken),
                    parity(turns, number_in_chapter),
                )
                candidates, features = quote_features(turn, index, decision, context)
                if found is not None and candidates:
                    found.append(QuoteCandidates(number, index, tuple(candidates), features))
                if ranker is not None and candidates and rankable(decision):
                    decision = _ranked(decision, ranker.choose(candidates, features, decision.rule))
            if turn.anchor:
                spoken[decision.speaker] += 1
            segments[index] = replace(
                segments[index],
                speaker=decision.speaker,
                rule=decision.rule,
                confidence=decision.confidence,
            )
    return replace(chapter, segments=tuple(segments))


def _ranked(sieve: Decision, choice: tuple[str, float]) -> Decision:
    """The ranker's choice; the rule names the sieve's rule when they agree."""
    speaker, confidence = choice
    rule = sieve.rule if speaker == sieve.speaker else "ranker"
    return Decision(speaker, rule, round(max(confidence, 0.01), 3))


def rankable(decision: Decision) -> bool:
    """The ranker decides, except the narrator's own "I said" and a quote
    the sieve found nobody for (no character but the one who just spoke)."""
    return decision.rule not in _KEEP_RULES and decision.speaker != NARRATOR
