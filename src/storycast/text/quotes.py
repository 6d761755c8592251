"""Quote scanning: a paragraph -> narration and speech pieces.

Handles straight and curly double quotes, British single-quote dialogue,
quotes nested inside quotes, apostrophes and dialect elisions, scare quotes
that are not speech, and unclosed quotes (closed at the paragraph end)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

QuoteStyle = Literal["double", "single"]

_DOUBLE_MARKS = '"“”«»„'
_SINGLE_OPEN = "'‘"
_SINGLE_CLOSE = "'’"
_BEFORE_OPEN = set(' \t([{—–-"“«')
_AFTER_CLOSE = set(' \t.,;:!?)]}—–-"”»…')
_SPEECH_END = tuple(".,!?…—–-;:'\"’”)")
# Words that begin with an apostrophe in dialect spellings ('ello, 'ere, 'im).
_ELISIONS = frozenset(
    """
    ello allo ere im em er ers imself erself cause cos coz til tis twas twere n nuff bout
    round ow appen alf ave ad aving ome eck ey oo orrible ang ard urry ungry ead eavens ell
    elp igh ot ands ouse usband ark eard
""".split()
)
_TRAILING_ELISION = re.compile(r"(?:in|o|an|th|ol|fo|ter|ta)$", re.IGNORECASE)


@dataclass(frozen=True)
class Piece:
    kind: Literal["narration", "speech"]
    start: int
    end: int
    continued: bool = False


def detect_style(text: str) -> QuoteStyle:
    """Double-quote dialogue unless single quotes clearly carry it."""
    doubles = sum(text.count(mark) for mark in _DOUBLE_MARKS)
    singles = len(re.findall(r"(?:^|[\s—–(])['‘](?=[A-Z])", text))
    return "single" if singles > 2 and doubles < singles / 2 else "double"


def split_quotes(text: str, style: QuoteStyle, continues: bool = False) -> tuple[list[Piece], bool]:
    """Pieces of a paragraph, and whether its last quote was left open.

    `continues` says the previous paragraph ended inside a quote, so a quote
    opening this one carries on the same speech."""
    spans, unclosed = (_double_spans if style == "double" else _single_spans)(text)
    spans = [span for span in spans if _is_speech(text, *span)]
    pieces: list[Piece] = []
    position = 0
    for open_at, close_at in spans:
        _add(pieces, text, "narration", position, open_at)
        continued = continues and not pieces and open_at == 0
        _add(pieces, text, "speech", open_at + 1, close_at, continued)
        position = close_at + 1
    _add(pieces, text, "narration", position, len(text))
    return pieces, unclosed and bool(spans) and spans[-1][1] >= len(text)


def _add(pieces: list[Piece], text: str, kind, start: int, end: int, continued: bool = False):
    """Append the piece trimmed of spaces; skip pieces with no words."""
    end = min(end, len(text))
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if any(ch.isalnum() for ch in text[start:end]):
        pieces.append(Piece(kind, start, end, continued))


def _double_spans(text: str) -> tuple[list[tuple[int, int]], bool]:
    """(open, close) mark positions; an unclosed quote closes at the end."""
    spans: list[tuple[int, int]] = []
    open_at: int | None = None
    for index, mark in enumerate(text):
        if mark not in _DOUBLE_MARKS:
            continue
        if mark in '"':
            if open_at is None:
                open_at = index
            else:
                spans.append((open_at, index))
                open_at = None
        elif mark in "“«„":
            if open_at is not None:  # a missing close: end the first quote here
                spans.append((open_at, index))
            open_at = index
        elif open_at is not None:  # ” or »; a stray closing mark is ignored
            spans.append((open_at, index))
            open_at = None
    if open_at is not None:
        spans.append((open_at, len(text)))
    return spans, open_at is not None


def _single_spans(text: str) -> tuple[list[tuple[int, int]], bool]:
    spans: list[tuple[int, int]] = []
    index = 0
    while index < len(text):
        if _opens_single(text, index):
            close_at = _find_single_close(text, index)
            spans.append((index, close_at))
            index = close_at + 1
        else:
            index += 1
    unclosed = bool(spans) and spans[-1][1] >= len(text)
    return spans, unclosed


def _opens_single(text: str, index: int) -> bool:
    if text[index] not in _SINGLE_OPEN:
        return False
    if index > 0 and text[index - 1] not in _BEFORE_OPEN:
        return False
    if index + 1 >= len(text) or text[index + 1].isspace():
        return False
    word = _matched(re.match(r"[a-z']*", text[index + 1 :])).rstrip("'")
    return not (word and word in _ELISIONS)


def _find_single_close(text: str, open_at: int) -> int:
    """The closing mark: prefer one right after punctuation (the end of a
    spoken sentence), else the first that is not a dialect elision (goin')."""
    candidates = [
        j
        for j in range(open_at + 2, len(text))
        if text[j] in _SINGLE_CLOSE
        and not text[j - 1].isspace()
        and (j + 1 == len(text) or text[j + 1] in _AFTER_CLOSE)
    ]
    for j in candidates:
        if text[j - 1] in ".,!?…—–-;:":
            return j
    for j in candidates:
        word = _matched(re.search(r"\w*$", text[:j]))
        if not _TRAILING_ELISION.search(word):
            return j
    return len(text)


def _is_speech(text: str, open_at: int, close_at: int) -> bool:
    """Scare quotes and titles ('expert', a "strictly business" dinner) are
    narration: speech starts the paragraph, ends in punctuation, or follows a
    colon or comma."""
    if open_at == 0 or close_at >= len(text):
        return True
    inner = text[open_at + 1 : close_at].rstrip()
    if inner.endswith(_SPEECH_END):
        return True
    before = text[:open_at].rstrip()
    return before.endswith((":", ",", "—", "–")) or len(inner.split()) >= 8


def _matched(match: re.Match[str] | None) -> str:
    """The text a pattern that may match nothing matched ("" if none)."""
    return match.group(0) if match else ""
