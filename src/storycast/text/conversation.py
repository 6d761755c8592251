"""Conversation tracking: speakers for the untagged turns of a conversation.

A turn is a paragraph with speech. Each run of untagged turns is filled by
A-B-A turn-taking from both ends: forward from the tagged turns before it,
backward from the tagged turns after it. Where both agree the guess is
confident; where they disagree (someone spoke twice, a third person joined)
each turn takes the guess of the nearer end. Chains stop at scene changes and
long stretches of narration, and a name addressed in a quote is never its
speaker."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from storycast.model import NARRATOR

_CONVERSATION_GAP = 150
"""Narration characters (a paragraph counts 200) that end a conversation: any
paragraph of narration between two turns does, measured on PDNC."""


_LOOK_BACK = 0
"""Narration characters over which a previous speaker is still the listener
(measured on PDNC: looking back across narration did not help, the names in
the narration do better)."""


@dataclass(frozen=True)
class Decision:
    speaker: str
    rule: str
    confidence: float


@dataclass
class Turn:
    """A paragraph with speech, while its speaker is being decided."""

    quotes: list[int]
    """Indices of the paragraph's speech segments in the chapter."""
    scene: int
    gap: int
    """Narration characters between the previous turn and this one."""
    continued: bool = False
    lead: str | None = None
    """Who the narration paragraph just before is about (its last subject)."""
    trailing: str | None = None
    """Who the narration closing the previous turn's paragraph is about."""
    addressed: set[str] = field(default_factory=set)
    """Characters named as the listener inside the quotes (vocatives)."""
    listeners: set[str] = field(default_factory=set)
    """Characters the paragraph's narration (or the one before) turns to (to Alex)."""
    address_gender: str | None = None
    """The gender the quotes' form of address names (sir, ma'am)."""
    recent: list[str] = field(default_factory=list)
    """Characters named before this turn, most recent first, no repeats."""
    salient: list[str] = field(default_factory=list)
    """Characters recently the subject of a sentence or speaking, most recent first."""
    decisions: dict[int, Decision] = field(default_factory=dict)
    """Per-quote decisions from tags."""
    decision: Decision | None = None
    """The paragraph's speaker."""
    anchor: bool = False
    """True when the decision came from the text itself (a tag, a beat)."""
    previous: Turn | None = None
    """The turn before this one in the chapter, across narration."""
    present: list[str] = field(default_factory=list)
    """Characters present in the scene, most recently seen first."""
    counts: dict[str, int] = field(default_factory=dict)
    """How often each character was named so far in the chapter."""
    genders: dict[int, str] = field(default_factory=dict)
    """Per quote, the gender a he/she (or "the man") tag asks for."""
    named_before: set[str] = field(default_factory=set)
    """Characters named in the paragraph's narration before its first quote."""
    named_after: set[str] = field(default_factory=set)
    """Characters named in the paragraph's narration after a quote."""


def fill_conversations(
    turns: list[Turn], last_speaker: str | None = None, gender: Mapping[str, str] | None = None
) -> list[Turn]:
    """Give every turn a decision; returns the same turns (`last_speaker`:
    who spoke last in the chapter before, for a chapter that names no one;
    `gender`: each character's, so "Signore?" is answered by a man)."""
    for earlier, later in zip(turns, turns[1:]):
        later.previous = earlier
    for conversation in _conversations(turns):
        _fill(conversation, gender or {})
    for turn in turns:
        if turn.decision is None:
            speaker = _nearest(turn) or last_speaker or NARRATOR
            turn.decision = Decision(speaker, "unknown", 0.1)
        if turn.decision.rule != "unknown":
            last_speaker = None  # the chapter has named someone: it is not a story told on
    return turns


def _nearest(turn: Turn) -> str | None:
    """An undecided turn's most likely speaker: the character seen most
    recently, not the one addressed nor the one who just spoke. The narrator
    only when the text names nobody else."""
    previous = turn.previous
    just_spoke = previous.decision.speaker if previous and previous.decision else None
    for name in turn.present + turn.recent:
        if name not in turn.addressed and name != just_spoke:
            return name
    return None


def _conversations(turns: list[Turn]) -> list[list[Turn]]:
    groups: list[list[Turn]] = []
    for turn in turns:
        if not groups or turn.scene != groups[-1][-1].scene or turn.gap > _CONVERSATION_GAP:
            groups.append([])
        groups[-1].append(turn)
    return groups


def _fill(conversation: list[Turn], gender: Mapping[str, str]) -> None:
    start = 0
    while start < len(conversation):
        if conversation[start].anchor:
            start += 1
            continue
        end = start
        while end < len(conversation) and not conversation[end].anchor:
            end += 1
        _fill_run(conversation, start, end, gender)
        start = end


def _fill_run(conversation: list[Turn], start: int, end: int, gender: Mapping[str, str]) -> None:
    forward, forward_strength = _forward(conversation, start, end, gender)
    if forward is None and start == 0:
        forward, forward_strength = _from_narration_onwards(conversation[start:end])
    backward, backward_strength = _backward(conversation, start, end, forward)
    for offset, turn in enumerate(conversation[start:end]):
        ahead, behind = offset + 1, end - start - offset
        guess_f = forward[offset] if forward else None
        guess_b = backward[offset] if backward else None
        if guess_f and guess_b and guess_f == guess_b:
            speaker, confidence = guess_f, 0.85 - 0.02 * min(ahead, behind)
        elif guess_f and (not guess_b or forward_strength / ahead >= backward_strength / behind):
            speaker, confidence = guess_f, (0.5 if guess_b else 0.75) - 0.03 * ahead
        elif guess_b:
            speaker, confidence = guess_b, (0.5 if guess_f else 0.7) - 0.03 * behind
        else:
            found = _from_narration(turn, _previous_speaker(conversation, start))
            if found is None:
                continue
            speaker, confidence = found, 0.35
        if speaker in turn.addressed:
            speaker = _other(turn, speaker, conversation, start) or speaker
            confidence = min(confidence, 0.5)
        if speaker is None:
            continue
        if turn.decision is None or turn.decision.confidence < confidence:
            rule = "turn-taking" if guess_f or guess_b else "narration-before"
            turn.decision = Decision(speaker, rule, max(confidence, 0.2))


def _forward(
    conversation: list[Turn], start: int, end: int, gender: Mapping[str, str]
) -> tuple[list[str] | None, float]:
    """A-B-A from the turns before the run, and how sure the pair is."""
    decided = conversation[start - 1].decision if start > 0 else None
    if decided is None:
        return None, 0.0
    last = decided.speaker
    other, strength = _listener(conversation, start - 1, last, gender)
    if other is None:
        return None, 0.0
    return [other if offset % 2 == 0 else last for offset in range(end - start)], strength


def _backward(
    conversation: list[Turn], start: int, end: int, forward: list[str] | None
) -> tuple[list[str] | None, float]:
    """A-B-A from the turns after the run, read backwards, and how sure."""
    decided = conversation[end].decision if end < len(conversation) else None
    if decided is None:
        return None, 0.0
    following = decided.speaker
    before, strength = None, 0.0
    nxt = conversation[end + 1] if end + 1 < len(conversation) else None
    if conversation[end].addressed - {following}:
        before, strength = sorted(conversation[end].addressed - {following})[0], 2.0
    elif forward and following in forward and len(set(forward) - {following}) == 1:
        before, strength = (set(forward) - {following}).pop(), 1.0
    elif nxt and nxt.anchor and nxt.decision and nxt.decision.speaker != following:
        before, strength = nxt.decision.speaker, 0.8
    if before is None:
        return None, 0.0
    length = end - start
    return [
        before if (length - offset) % 2 == 1 else following for offset in range(length)
    ], strength


def _from_narration_onwards(run: list[Turn]) -> tuple[list[str] | None, float]:
    """An untagged conversation opening: the character the narration was
    about speaks first, then the one they address or the one named before."""
    first = _from_narration(run[0])
    if first is None:
        return None, 0.0
    other = next(iter(sorted(run[0].addressed - {first})), None) or next(
        (n for n in run[0].recent if n != first), None
    )
    if other is None:
        return [first] + [None] * (len(run) - 1), 0.3  # type: ignore[list-item]
    return [first if offset % 2 == 0 else other for offset in range(len(run))], 0.3


def _listener(
    conversation: list[Turn], index: int, speaker: str, gender: Mapping[str, str]
) -> tuple[str | None, float]:
    """Who the speaker of turn `index` talks to: the one named in the quote,
    else the previous different speaker (looking back across short
    narration in the same scene), else the last character named; one of
    the gender the quote's form of address asks for ("Signore?")."""
    turn = conversation[index]
    if turn.addressed - {speaker}:
        return sorted(turn.addressed - {speaker})[0], 2.0
    wanted = turn.address_gender

    def fits(name: str) -> bool:
        return name != speaker and (
            not wanted or gender.get(name, "unknown") in (wanted, "unknown")
        )

    earlier, gap = turn.previous, turn.gap
    for _ in range(4):
        if earlier is None or earlier.scene != turn.scene or gap > _LOOK_BACK:
            break
        if earlier.decision and fits(earlier.decision.speaker):
            return earlier.decision.speaker, 1.0
        gap += earlier.gap
        earlier = earlier.previous
    return next((name for name in turn.salient + turn.recent if fits(name)), None), 0.5


def _other(turn: Turn, speaker: str, conversation: list[Turn], start: int) -> str | None:
    for name in [
        t.decision.speaker for t in reversed(conversation[:start]) if t.decision
    ] + turn.recent:
        if name != speaker and name not in turn.addressed:
            return name
    return None


def _from_narration(turn: Turn, not_him: str | None = None) -> str | None:
    """A quote after narration about someone: who the last sentence was
    about, else the last character named (not the one who just spoke)."""
    if turn.lead and turn.lead not in turn.addressed:
        return turn.lead
    for name in turn.recent:
        if name not in turn.addressed and name != not_him:
            return name
    return None


def _previous_speaker(conversation: list[Turn], start: int) -> str | None:
    previous = conversation[start - 1] if start > 0 else None
    return previous.decision.speaker if previous and previous.decision else None
