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

ITALIC = re.compile(r"(?<![\w*])([*_])(?=[^\s*_])(.+?)(?<=[^\s*_])\1(?![\w*])")
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
# A thought starts a sentence; after a colon it is more often a sign or a note being read.
_SENTENCE_BEFORE = re.compile(r"(?:^|[.!?…]['\"’”)]?)\s*$")
_PRONOUNS = {"he": "male", "she": "female"}


def apply_emphasis(script: Script, document: Document | None = None) -> Script:
    """The script with italic markers turned into emphasis spans and thoughts."""
    offsets = _Offsets(document)
    chapters = tuple(_chapter(chapter, script.cast, offsets) for chapter in script.chapters)
    return replace(
        script,
        chapters=chapters,
        front_matter=tuple(_strip(s) for s in script.front_matter),
        back_matter=tuple(_strip(s) for s in script.back_matter),
    )


def strip_markers(text: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    """Text without italic markers, and the italic spans in it."""
    spans, out, position = [], [], 0
    for match in ITALIC.finditer(text):
        out.append(text[position : match.start()])
        start = sum(map(len, out))
        out.append(match.group(2))
        spans.append((start, start + len(match.group(2))))
        position = match.end()
    out.append(text[position:])
    return "".join(out), tuple(spans)


def _strip(segment: Segment) -> Segment:
    text, spans = strip_markers(segment.text)
    if segment.kind == "heading":
        spans = ()
    return replace(segment, text=text, emphasis=spans) if text != segment.text else segment


def _chapter(chapter: Chapter, cast: Cast, offsets: _Offsets) -> Chapter:
    names = _Names(cast)
    viewpoint = _viewpoint(chapter, names)
    segments: list[Segment] = []
    for segment in chapter.segments:
        if segment.kind == "narration":
            segments.extend(_split_thoughts(segment, offsets))
        else:
            segments.append(_strip(segment))
    return replace(chapter, segments=tuple(_attribute_thoughts(segments, names, viewpoint)))


def _split_thoughts(segment: Segment, offsets: _Offsets) -> list[Segment]:
    text = segment.text
    thoughts = [m for m in ITALIC.finditer(text) if is_thought(text, m)]
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
    """An italic passage in narration that reads as a thought, not emphasis or a title."""
    inner = match.group(2)
    words = inner.split()
    if _TAG_AFTER.match(text[match.end() :]) or _TAG_BEFORE.search(text[: match.start()]):
        return True
    if len(words) < 2 or not _SENTENCE_BEFORE.search(text[: match.start()]):
        return False
    if all(w[:1].isupper() or not w[:1].isalpha() for w in words):
        return False  # Title Case: a book, a ship, a newspaper
    after = text[match.end() : match.end() + 2]
    whole = inner.rstrip()[-1:] in ".!?…,—–-" or after[:1] in ".!?" or not after.strip()
    return whole and len(words) >= 2


def _piece(
    segment: Segment, kind: SegmentKind, start: int, end: int, offsets: _Offsets
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
    recent: list[str] = []
    for index, segment in enumerate(segments):
        if segment.kind == "speech" and segment.speaker != NARRATOR:
            recent.append(segment.speaker)
        if segment.kind == "narration":
            recent.extend(names.mentions(segment.text))
        if segment.kind != "thought" or segment.rule:
            continue
        speaker, rule, confidence = _thinker(segments, index, names, recent, viewpoint)
        segments[index] = replace(segment, speaker=speaker, rule=rule, confidence=confidence)
        if speaker != NARRATOR:
            recent.append(speaker)
    return segments


def _thinker(
    segments: list[Segment], index: int, names: _Names, recent: list[str], viewpoint: str | None
) -> tuple[str, str, float]:
    segment = segments[index]
    for tag in _tags_around(segments, index):
        who = tag.group(1) or tag.group(2)
        gender = _PRONOUNS.get(who.lower())
        if gender:
            for name in reversed(recent):
                if names.gender.get(name) == gender:
                    return name, "thought-pronoun", 0.8
        elif who.lower() not in ("i", "they") and (named := names.resolve(who)):
            return named, "thought-tag", 0.95
        elif who.lower() == "i" and viewpoint:
            return viewpoint, "thought-viewpoint", 0.7
    paragraph = [
        s
        for s in segments
        if s.paragraph == segment.paragraph and s.scene == segment.scene and s.kind == "narration"
    ]
    before = [s for s in paragraph if s.start < segment.start]
    for narration in reversed(before):
        mentioned = names.mentions(narration.text)
        if mentioned:
            return mentioned[-1], "thought-nearby", 0.7
    for narration in paragraph:
        mentioned = names.mentions(narration.text)
        if mentioned:
            return mentioned[0], "thought-nearby", 0.65
    if viewpoint:
        return viewpoint, "thought-viewpoint", 0.5
    return NARRATOR, "thought-unknown", 0.2


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


class _Offsets:
    """Source offsets of positions inside a segment's (whitespace-collapsed) text."""

    def __init__(self, document: Document | None) -> None:
        self.document = document

    def within(self, segment: Segment, start: int, end: int) -> tuple[int, int]:
        document = self.document
        if document is None:
            return segment.start + start, segment.start + end  # the best guess without text
        text_start = self._text_index(segment.start)
        raw = document.text[text_start : self._text_index(segment.end)]
        collapsed = _collapsed_positions(raw)

        def source(i: int) -> int:
            if i >= len(collapsed):
                return segment.end
            return document.source_offset(text_start + collapsed[i])

        return source(start), source(end - 1) + 1 if end > 0 else source(0)

    def _text_index(self, source_offset: int) -> int:
        document = self.document
        if document is None:
            return source_offset
        low, high = max(0, source_offset - len(document.crlf)), source_offset
        while low < high:  # the smallest text index that maps at or past the offset
            middle = (low + high) // 2
            if document.source_offset(middle) < source_offset:
                low = middle + 1
            else:
                high = middle
        return low


def _collapsed_positions(raw: str) -> list[int]:
    """For each character of " ".join(raw.split()), its index in `raw`."""
    positions: list[int] = []
    in_space = False
    for index, ch in enumerate(raw):
        if ch.isspace():
            if positions and not in_space:
                positions.append(index)
            in_space = True
        else:
            positions.append(index)
            in_space = False
    if positions and raw[positions[-1]].isspace():
        positions.pop()
    return positions
