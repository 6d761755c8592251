"""Features of (quote, candidate speaker) pairs, for the learned ranker.

The candidates of a quote are the characters the sieve chose, the ones
present in the scene, recently named or recently the subject of a sentence,
and the speakers of the turns before. Each feature says how a candidate
stands to the quote: what the sieve's rules say, how recently and how the
candidate was mentioned, gender agreement with a he/she tag, turn position
in the conversation, whether the quote addresses the candidate (the
addressee is not the speaker), and how much of the conversation's and the
book's tagged talk is theirs."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from storycast.model import NARRATOR
from storycast.text.conversation import Decision, Turn

RULES = (
    "quote-verb-name",
    "name-verb-quote",
    "first-person",
    "pronoun",
    "description",
    "same-paragraph",
    "continued-quote",
    "action-beat",
    "turn-taking",
    "narration-before",
    "unknown",
)
FEATURES = (
    "sieve",
    "sieve_confidence",
    *(f"rule:{rule}" for rule in RULES),
    "recent",
    "not_recent",
    "salient",
    "not_salient",
    "present",
    "not_present",
    "only_present_of_gender",
    "addressed",
    "addressed_by_previous",
    "listener",
    "listener_of_previous",
    "answers_address",
    "answers_address_not",
    "address_gender_here",
    "address_gender_here_not",
    "previous_speaker",
    "previous_speaker_adjacent",
    "speaker_two_back",
    "speaker_two_back_adjacent",
    "addressed_by_next",
    "next_speaker",
    "speaker_two_ahead",
    "named_before",
    "named_after",
    "spoken_before",
    "tagged_back_even",
    "tagged_back_odd",
    "tagged_ahead_even",
    "tagged_ahead_odd",
    "lead",
    "trailing",
    "gender_agrees",
    "gender_disagrees",
    "frequency",
    "named_in_quote",
    "first_person",
    "in_conversation",
    "conversation_pair",
    "outside_conversation",
    "book_share",
    "style",
    "style_unknown",
)
_INDEX = {name: number for number, name in enumerate(FEATURES)}
_MAX_CANDIDATES = 12


@dataclass(frozen=True)
class QuoteCandidates:
    """The candidate speakers of one quote and their feature rows."""

    chapter: int
    segment: int
    names: tuple[str, ...]
    features: np.ndarray
    chain: int = 0
    """The conversation the quote belongs to (see `chains`)."""
    turn: int = 0
    """The paragraph, numbered in the chapter."""
    adjacent: bool = False
    """No narration paragraph between the turn before and this one."""
    decision: Decision | None = None
    """The sieve's decision."""


@dataclass(frozen=True)
class Context:
    """What the reader knows that is not on the turn."""

    gender: dict[str, str]
    first_person: str | None
    named_in_quote: set[str]
    following: list[Turn]
    """Up to two turns after, in the same conversation."""
    spoken: dict[str, int]
    """How many quotes each character was tagged as saying so far in the chapter."""
    parity: dict[str, dict[str, float]]
    """Per character, the nearest turns tagged as theirs (see `parity`)."""
    conversation: Counter[str] = field(default_factory=Counter)
    """Turns tagged as each character's in the quote's conversation (chain)."""
    book: dict[str, float] = field(default_factory=dict)
    """Each character's share of the turns tagged in the whole book."""
    style: Callable[[list[str]], dict[str, float]] | None = None
    """How much the quote sounds like each candidate (`style.Styles.likeness`)."""


def candidates(turn: Turn, decision: Decision) -> list[str]:
    previous = [t.decision.speaker for t in _previous(turn) if t.decision]
    pool = [
        decision.speaker,
        *turn.salient[:6],
        *turn.present[:8],
        *turn.recent[:8],
        *previous,
        turn.lead,
        turn.trailing,
    ]
    found = [name for name in dict.fromkeys(pool) if name and name != NARRATOR]
    return found[:_MAX_CANDIDATES]


def quote_features(
    turn: Turn, index: int, decision: Decision, context: Context
) -> tuple[list[str], np.ndarray]:
    """The candidates of quote `index` of `turn`, and one feature row each."""
    names = candidates(turn, decision)
    rows = np.zeros((len(names), len(FEATURES)), dtype=np.float64)
    before = _previous(turn)
    tag_gender = turn.genders.get(index)
    of_gender = [n for n in turn.present if context.gender.get(n) == tag_gender]
    style = context.style(names) if context.style else {}
    for row, name in zip(rows, names):
        values = _pair(turn, name, decision, context, before)
        values["style"] = style.get(name, 0.0)
        values["style_unknown"] = float(name not in style)
        if tag_gender and context.gender.get(name) in ("male", "female"):
            agrees = context.gender[name] == tag_gender
            values["gender_agrees" if agrees else "gender_disagrees"] = 1.0
            values["only_present_of_gender"] = float(of_gender == [name])
        for key, value in values.items():
            row[_INDEX[key]] = value
    return names, rows


def _pair(
    turn: Turn, name: str, decision: Decision, context: Context, before: list[Turn]
) -> dict[str, float]:
    values: dict[str, float] = {}
    if name == decision.speaker:
        values["sieve"], values["sieve_confidence"] = 1.0, decision.confidence
        if decision.rule in RULES:
            values[f"rule:{decision.rule}"] = 1.0
    for key, order in (
        ("recent", turn.recent),
        ("salient", turn.salient),
        ("present", turn.present),
    ):
        if name in order:
            values[key] = 1.0 / (1 + order.index(name))
        else:
            values[f"not_{key}"] = 1.0
    values["addressed"] = float(name in turn.addressed)
    values["listener"] = float(name in turn.listeners)
    speakers = [t.decision.speaker if t.decision else None for t in before]
    if before:
        values["addressed_by_previous"] = float(name in before[0].addressed)
        values["listener_of_previous"] = float(name in before[0].listeners)
        values["previous_speaker"] = float(speakers[0] == name)
        values["previous_speaker_adjacent"] = float(speakers[0] == name and turn.gap == 0)
        _address(values, before[0].address_gender, context.gender.get(name), "answers_address")
    _address(values, turn.address_gender, context.gender.get(name), "address_gender_here")
    if len(before) > 1:
        values["speaker_two_back"] = float(speakers[1] == name and speakers[0] != name)
        values["speaker_two_back_adjacent"] = values["speaker_two_back"] * (
            turn.gap == 0 and before[0].gap == 0
        )
    after = [t.decision.speaker if t.decision and t.anchor else None for t in context.following]
    if after:
        values["addressed_by_next"] = float(name in context.following[0].addressed)
        values["next_speaker"] = float(after[0] == name)
    if len(after) > 1:
        values["speaker_two_ahead"] = float(after[1] == name and after[0] != name)
    values["named_before"] = float(name in turn.named_before)
    values["named_after"] = float(name in turn.named_after)
    values["spoken_before"] = math.log1p(context.spoken.get(name, 0)) / 4
    values.update(context.parity.get(name, {}))
    values["lead"] = float(turn.lead == name)
    values["trailing"] = float(turn.trailing == name)
    values["frequency"] = math.log1p(turn.counts.get(name, 0)) / 5
    values["named_in_quote"] = float(name in context.named_in_quote)
    values["first_person"] = float(name == context.first_person)
    talking = context.conversation
    values["in_conversation"] = math.log1p(talking.get(name, 0)) / 3
    values["conversation_pair"] = float(len(talking) == 2 and name in talking)
    # one tagged speaker says nothing yet of who else is talking
    values["outside_conversation"] = float(len(talking) > 1 and name not in talking)
    values["book_share"] = context.book.get(name, 0.0)
    return values


def _address(values: dict, address: str | None, gender: str | None, key: str) -> None:
    """Whether a candidate is of the gender a "sir" or "ma'am" names."""
    if address and gender in ("male", "female"):
        values[key if gender == address else f"{key}_not"] = 1.0


def _previous(turn: Turn) -> list[Turn]:
    """Up to two turns before, in the same scene and conversation."""
    found: list[Turn] = []
    earlier, current = turn.previous, turn
    while earlier is not None and len(found) < 2:
        if earlier.scene != current.scene or current.gap > 2000:
            break
        found.append(earlier)
        current = earlier
        earlier = earlier.previous
    return found


def following(turns: list[Turn], number: int) -> list[Turn]:
    """Up to two turns after turn `number`, in the same scene and conversation."""
    found: list[Turn] = []
    for later in turns[number + 1 : number + 3]:
        if later.scene != turns[number].scene or later.gap > 2000:
            break
        found.append(later)
    return found
