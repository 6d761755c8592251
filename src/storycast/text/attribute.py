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
from functools import partial

from storycast.model import Cast, Chapter, Script
from storycast.text.characters import Names, discover_cast, refine_cast
from storycast.text.conversation import Decision, Turn, fill_conversations
from storycast.text.features import (
    Context,
    QuoteCandidates,
    following,
    quote_features,
)
from storycast.text.firstperson import first_person_speaker
from storycast.text.newcomers import newcomers
from storycast.text.ranker import Ranker, anchors, rankable, shipped_ranker
from storycast.text.sequence import decode
from storycast.text.sieve import SieveReader
from storycast.text.style import Styles
from storycast.text.talk import book_shares, chains, parity, tagged_speakers
from storycast.text.vocatives import reported_vocatives

__all__ = ["attribute", "attribute_with_candidates", "discover_cast"]


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
    read: list[list[Turn]] = []
    last_speaker = None  # a chapter that names no one goes on with the last speaker
    for chapter, strangers in zip(script.chapters, newcomers(script.chapters, names)):
        turns = SieveReader(names, first_person).chapter(chapter, strangers)
        read.append(fill_conversations(turns, last_speaker, names.gender))
        last_speaker = next(
            (t.decision.speaker for t in reversed(turns) if t.decision), last_speaker
        )
    book = book_shares(read)
    styles = _styles(script, read)
    chapters = []
    for number, (chapter, turns) in enumerate(zip(script.chapters, read)):
        chapters.append(
            _decide(chapter, number, turns, names, first_person, (book, styles), ranker, found)
        )
    return replace(script, chapters=tuple(chapters), cast=cast)


def _decide(
    chapter: Chapter,
    number: int,
    turns: list[Turn],
    names: Names,
    first_person: str | None,
    book_wide: tuple[dict[str, float], Styles],
    ranker: Ranker | None,
    found: list | None,
) -> Chapter:
    book, styles = book_wide
    segments = list(chapter.segments)
    spoken: Counter[str] = Counter()
    chain_of = chains(turns)
    talking = tagged_speakers(turns, chain_of)
    sieve: dict[int, Decision] = {}
    quotes: list[QuoteCandidates] = []
    for position, turn in enumerate(turns):
        for index in turn.quotes:
            decision = turn.decisions.get(index) or turn.decision
            assert decision is not None  # fill_conversations decides every turn
            sieve[index] = decision
            if ranker is not None or found is not None:
                context = Context(
                    names.gender,
                    first_person,
                    _named_in_quote(segments[index].text, names),
                    following(turns, position),
                    dict(spoken),
                    parity(turns, position),
                    talking[chain_of[position]],
                    book,
                    partial(
                        styles.likeness,
                        segments[index].text,
                        own=decision.speaker if _decided_by_tag(decision) else None,
                    ),
                )
                candidates, features = quote_features(turn, index, decision, context)
                where = (chain_of[position], position, turn.gap == 0)
                quotes.append(
                    QuoteCandidates(number, index, tuple(candidates), features, *where, decision)
                )
            if turn.anchor:
                spoken[decision.speaker] += 1
    if found is not None:
        found.extend(quote for quote in quotes if quote.names)
    decided = dict(sieve)
    if ranker is not None:
        decided.update(_ranked_jointly(ranker, sieve, quotes))
    for index, decision in decided.items():
        segments[index] = replace(
            segments[index],
            speaker=decision.speaker,
            rule=decision.rule,
            confidence=decision.confidence,
        )
    return replace(chapter, segments=tuple(segments))


def _named_in_quote(quote: str, names: Names) -> set[str]:
    """Characters a quote names, but not one addressed in speech it reports."""
    reported = {names.resolve(v) for v in reported_vocatives(quote)}
    return {name for _, name in names.mentions(quote)} - reported


def _styles(script: Script, read: list[list[Turn]]) -> Styles:
    """Word models of what each character is tagged as saying in the book."""
    tagged, spoken = [], []
    for chapter, turns in zip(script.chapters, read):
        for turn in turns:
            for index in turn.quotes:
                text = chapter.segments[index].text
                spoken.append(text)
                decision = turn.decisions.get(index) or turn.decision
                if decision is not None and _decided_by_tag(decision):
                    tagged.append((decision.speaker, text))
    return Styles(tagged, spoken)


def _decided_by_tag(decision: Decision) -> bool:
    """A quote whose speaker a tag naming them decides (or a quote beside one)."""
    return anchors(decision) or (decision.rule == "same-paragraph" and decision.confidence >= 0.9)


def _ranked_jointly(
    ranker: Ranker, sieve: dict[int, Decision], quotes: list[QuoteCandidates]
) -> dict[int, Decision]:
    """Each ranked quote's speaker, its conversation decided as a whole."""
    emissions = ranker.emissions(quotes)
    choices = decode(emissions, ranker.transitions)
    decided = {}
    for quote, emission, (speaker, probability) in zip(quotes, emissions, choices):
        if len(emission.names) > 1 or rankable(sieve[quote.segment]):
            confidence = ranker.calibrate(probability, emission.fixed)
            decided[quote.segment] = _ranked(sieve[quote.segment], (speaker, confidence))
    return decided


def _ranked(sieve: Decision, choice: tuple[str, float]) -> Decision:
    """The ranker's choice; the rule names the sieve's rule when they agree."""
    speaker, confidence = choice
    rule = sieve.rule if speaker == sieve.speaker else "ranker"
    return Decision(speaker, rule, round(max(confidence, 0.01), 3))
