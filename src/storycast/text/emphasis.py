"""emphasis: italics on segments, and unquoted italic thoughts as their own
segments with a thinker.

Every reader marks italics as `*...*` (plain text may use `*word*` or
`_word_`). After attribution, this pass takes the markers out of the words,
keeps them as `Segment.emphasis` spans, and splits an italic passage out of
narration as a `thought` when it reads like one: a whole sentence or clause
of its own, or one with a thought tag ("*Damn,* she thought" / "Alex
thought, *this is bad*"). The thinker is the character
the tag names, else one named in the same paragraph, else the chapter's
viewpoint character (the one named most)."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from dataclasses import replace

from storycast.model import (
    NARRATOR,
    Cast,
    Chapter,
    Document,
    Script,
    Segment,
    SegmentKind,
)
from storycast.text.italics import ITALIC, italics, strip_markers
from storycast.text.offsets import SegmentOffsets

__all__ = ["ITALIC", "THOUGHT_VERBS", "apply_emphasis", "is_thought", "strip_markers"]

THOUGHT_VERBS = (
    "thought|thinks|wondered|wonders|mused|reflected|realised|realized|decided|"
    "prayed|hoped|reasoned|supposed|told (?:him|her|them)self|reminded "
    "(?:him|her|them)self|said to (?:him|her|them)self"
)
_NAME = r"[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)?"
_TAG_AFTER = re.compile(
    rf"^[\s,.!?…—–-]*(?:({_NAME}|he|she|they|I)\s+(?:\w+ly\s+)?"
    rf"(?:{THOUGHT_VERBS})\b|(?:{THOUGHT_VERBS})\s+({_NAME})\b)"
)
# "Alex thought, *this is bad*": the tag before the thought, with its comma or colon
# ("she hoped *The Times* would print it" is no thought).
_TAG_BEFORE = re.compile(
    rf"(?:^|[\s.!?…])({_NAME}|he|she|they|I)\s+(?:\w+ly\s+)?"
    rf"(?:{THOUGHT_VERBS})(?:\s+to\s+(?:him|her|them)self)?\s*[,:—–]\s*$"
)
_TAG_AFTER_AT = re.compile(_TAG_AFTER.pattern.removeprefix("^"))
"""_TAG_AFTER for `match(text, pos)`, where `^` would not match at pos."""
_TAG_REACH = 300
"""How far before an italic passage its thought tag is looked for: far more
than a name, an adverb, a verb and "to herself" take."""
# A thought starts a sentence; after a colon it is more often a sign or a note being read.
_SENTENCE_ENDS = ".!?…"
_CLOSING_QUOTES = "'\"’”)"
_PRONOUNS = {"he": "male", "she": "female"}


def apply_emphasis(script: Script, document: Document | None = None) -> Script:
    """The script with italic markers turned into emphasis spans and thoughts."""
    offsets = SegmentOffsets(document)
    chapters = tuple(_chapter(chapter, script.cast, offsets) for chapter in script.chapters)
    return replace(
        script,
        chapters=chapters,
        front_matter=tuple(_strip(s) for s in script.front_matter),
        back_matter=tuple(_strip(s) for s in script.back_matter),
    )


def _strip(segment: Segment) -> Segment:
    text, spans = strip_markers(segment.text)
    if segment.kind == "heading":
        spans = ()
    return replace(segment, text=text, emphasis=spans) if text != segment.text else segment


def _chapter(chapter: Chapter, cast: Cast, offsets: SegmentOffsets) -> Chapter:
    names = _Names(cast)
    viewpoint = _viewpoint(chapter, names)
    segments: list[Segment] = []
    for segment in chapter.segments:
        if segment.kind == "narration":
            segments.extend(_split_thoughts(segment, offsets))
        else:
            segments.append(_strip(segment))
    return replace(chapter, segments=tuple(_attribute_thoughts(segments, names, viewpoint)))


def _split_thoughts(segment: Segment, offsets: SegmentOffsets) -> list[Segment]:
    text = segment.text
    thoughts = [m for m in italics(text) if is_thought(text, m)]
    if not thoughts:
        return [_strip(segment)]
    pieces: list[Segment | None] = []
    position = 0
    for match in thoughts:
        pieces.append(_piece(segment, "narration", position, match.start(), offsets))
        pieces.append(_piece(segment, "thought", match.start(2), match.end(2), offsets))
        position = match.end()
    pieces.append(_piece(segment, "narration", position, len(text), offsets))
    return [_strip(p) for p in pieces if p is not None and any(ch.isalnum() for ch in p.text)]


def is_thought(text: str, match: re.Match) -> bool:
    """An italic passage in narration that reads as a thought, not emphasis or a title.
    Only the words next to the passage are looked at (never the whole text
    before it), so a paragraph of many italics takes time in proportion to it."""
    inner = match.group(2)
    words = inner.split()
    before = max(0, match.start() - _TAG_REACH)
    if _TAG_AFTER_AT.match(text, match.end()) or _TAG_BEFORE.search(text, before, match.start()):
        return True
    if len(words) < 2 or not _sentence_before(text, match.start()):
        return False
    if all(w[:1].isupper() or not w[:1].isalpha() for w in words):
        return False  # Title Case: a book, a ship, a newspaper
    after = text[match.end() : match.end() + 2]
    whole = inner.rstrip()[-1:] in ".!?…,—–-" or after[:1] in ".!?" or not after.strip()
    return whole and len(words) >= 2


def _sentence_before(text: str, start: int) -> bool:
    """Nothing but spaces before `start`, or the end of a sentence (and its closing quote)."""
    end = start
    while end > 0 and text[end - 1].isspace():
        end -= 1
    return (
        end == 0
        or text[end - 1] in _SENTENCE_ENDS
        or (end > 1 and text[end - 1] in _CLOSING_QUOTES and text[end - 2] in _SENTENCE_ENDS)
    )


def _piece(
    segment: Segment, kind: SegmentKind, start: int, end: int, offsets: SegmentOffsets
) -> Segment | None:
    raw = segment.text
    while start < end and raw[start].isspace():
        start += 1
    while end > start and raw[end - 1].isspace():
        end -= 1
    if start >= end:
        return None
    source_start, source_end = offsets.within(segment, start, end)
    return replace(
        segment,
        kind=kind,
        text=raw[start:end],
        start=source_start,
        end=source_end,
        rule="",
        confidence=1.0,
    )


def _attribute_thoughts(segments: list[Segment], names: _Names, viewpoint: str | None):
    recent: dict[str, str] = {}  # gender -> the character of it named last
    nearby = _Nearby(segments, names)

    def named(*speakers: str) -> None:
        for speaker in speakers:
            recent[names.gender.get(speaker, "")] = speaker

    for index, segment in enumerate(segments):
        if segment.kind == "speech" and segment.speaker != NARRATOR:
            named(segment.speaker)
        if segment.kind == "narration":
            named(*nearby.mentions(index))
        if segment.kind != "thought" or segment.rule:
            continue
        speaker, rule, confidence = _thinker(segments, index, names, recent, nearby, viewpoint)
        segments[index] = replace(segment, speaker=speaker, rule=rule, confidence=confidence)
        if speaker != NARRATOR:
            named(speaker)
    return segments


def _thinker(
    segments: list[Segment],
    index: int,
    names: _Names,
    recent: dict[str, str],
    nearby: _Nearby,
    viewpoint: str | None,
) -> tuple[str, str, float]:
    segment = segments[index]
    for tag in _tags_around(segments, index):
        who = tag.group(1) or tag.group(2)
        gender = _PRONOUNS.get(who.lower())
        if gender:
            if gender in recent:
                return recent[gender], "thought-pronoun", 0.8
        elif who.lower() not in ("i", "they") and (named := names.resolve(who)):
            return named, "thought-tag", 0.95
        elif who.lower() == "i" and viewpoint:
            return viewpoint, "thought-viewpoint", 0.7
    found = nearby.before(segment)
    if found:
        return found, "thought-nearby", 0.7
    found = nearby.first(segment)
    if found:
        return found, "thought-nearby", 0.65
    if viewpoint:
        return viewpoint, "thought-viewpoint", 0.5
    return NARRATOR, "thought-unknown", 0.2


class _Nearby:
    """The characters named in each paragraph's narration, looked up once, so
    a paragraph of a thousand thoughts is not searched a thousand times."""

    def __init__(self, segments: list[Segment], names: _Names) -> None:
        self._mentions: dict[int, list[str]] = {}
        self._starts: dict[tuple[int, int], list[int]] = {}
        self._named: dict[tuple[int, int], list[list[str]]] = {}
        for index, segment in enumerate(segments):
            if segment.kind == "narration":
                self._mentions[index] = mentioned = names.mentions(segment.text)
                if mentioned:
                    key = (segment.paragraph, segment.scene)
                    self._starts.setdefault(key, []).append(segment.start)
                    self._named.setdefault(key, []).append(mentioned)
        self._in_order = {key: starts == sorted(starts) for key, starts in self._starts.items()}

    def mentions(self, index: int) -> list[str]:
        return self._mentions[index]

    def before(self, segment: Segment) -> str | None:
        """The last character named in the paragraph's narration before `segment`."""
        key = (segment.paragraph, segment.scene)
        starts, named = self._starts.get(key, []), self._named.get(key, [])
        if self._in_order.get(key, True):
            at = bisect_left(starts, segment.start)
            return named[at - 1][-1] if at else None
        earlier = [mentioned for start, mentioned in zip(starts, named) if start < segment.start]
        return earlier[-1][-1] if earlier else None

    def first(self, segment: Segment) -> str | None:
        named = self._named.get((segment.paragraph, segment.scene))
        return named[0][0] if named else None


def _tags_around(segments: list[Segment], index: int) -> list[re.Match]:
    """Thought tags in the narration just after, then just before, a thought."""
    segment, tags = segments[index], []
    for neighbour, pattern in ((index + 1, _TAG_AFTER), (index - 1, _TAG_BEFORE)):
        if 0 <= neighbour < len(segments):
            other = segments[neighbour]
            if other.kind == "narration" and other.paragraph == segment.paragraph:
                found = (
                    pattern.match(other.text)
                    if pattern is _TAG_AFTER
                    else pattern.search(other.text)
                )
                if found:
                    tags.append(found)
    return tags


def _viewpoint(chapter: Chapter, names: _Names) -> str | None:
    """The character named most in the chapter's narration: the likeliest thinker."""
    counts = Counter(
        name for s in chapter.segments if s.kind == "narration" for name in names.mentions(s.text)
    )
    return counts.most_common(1)[0][0] if counts else None


class _Names:
    """Mentions of the cast's characters (names and aliases) in narration."""

    def __init__(self, cast: Cast) -> None:
        self.by_mention: dict[str, str] = {}
        self.gender: dict[str, str] = {}
        for character in cast.characters:
            self.gender[character.name] = character.gender
            for mention in (character.name, *character.aliases):
                self.by_mention.setdefault(mention.lower(), character.name)

    def resolve(self, mention: str) -> str | None:
        mention = mention.strip().lower()
        if mention in self.by_mention:
            return self.by_mention[mention]
        for word in reversed(mention.split()):
            if word in self.by_mention:
                return self.by_mention[word]
        return None

    def mentions(self, text: str) -> list[str]:
        found = []
        for match in re.finditer(r"[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*", text):
            name = self.resolve(re.sub(r"['’]s$", "", match.group(0)))
            if name:
                found.append(name)
        return found
