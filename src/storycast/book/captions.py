"""captions: spoken lines -> caption-sized cues, for the book's .vtt and .srt.

A line in the timing manifest can run for twenty seconds and three hundred
characters: too much to read off a screen. Each line is cut into pieces of at
most about MAX_SECONDS and two lines of LINE_CHARS (the usual subtitling
limits), at sentence ends where it can, else at clause ends, else between
words, and every piece keeps the line's speaker. There are no word times, so
a piece's times are the line's, shared out by characters (speech runs at a
steady pace within one line). The timing manifest and the podcast
transcripts stay one cue per line."""

from __future__ import annotations

import re
from collections.abc import Iterator

from storycast.model import Cue

MAX_SECONDS = 7.0
LINE_CHARS = 42
MAX_LINES = 2
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*$")
_CLAUSE_END = re.compile(r"([,;:]|—|–|--)[\"'”’)\]]*$")


def caption_cues(cue: Cue, label: str) -> Iterator[Cue]:
    """The line as one or more caption cues; `label` is the speaker as shown
    (it leads an SRT cue's first line, so it counts toward its length)."""
    words = cue.text.split()
    if not words:
        yield cue
        return
    total = len(" ".join(words))
    per_char = (cue.end - cue.start) / total
    first = 0
    offset = 0  # characters of the line before word `first`
    while first < len(words):
        last = _piece_end(words, first, label, per_char)
        text = " ".join(words[first:last])
        following = offset + len(text) + 1  # the space between goes with this piece
        yield Cue(
            cue.start + offset * per_char,
            cue.end if last == len(words) else cue.start + following * per_char,
            cue.speaker,
            text,
        )
        first, offset = last, following


def _piece_end(words: list[str], first: int, label: str, per_char: float) -> int:
    """Index just past the last word of the piece that starts at `first`:
    the whole rest if it fits, else the latest sentence end that fits, else
    clause end, else word; always at least one word."""
    fitting = first + 1
    for last in range(first + 1, len(words) + 1):
        if not _fits(" ".join(words[first:last]), label, per_char):
            break
        fitting = last
    if fitting == len(words):
        return fitting
    for pattern in (_SENTENCE_END, _CLAUSE_END):
        for last in range(fitting, first, -1):
            if pattern.search(words[last - 1]):
                return last
    return fitting


def _fits(text: str, label: str, per_char: float) -> bool:
    return len(text) * per_char <= MAX_SECONDS and len(wrap(f"{label}: {text}")) <= MAX_LINES


def wrap(text: str) -> list[str]:
    """The text in as few lines of LINE_CHARS as it fits, two lines balanced
    (the break that makes the longer line shortest); a text that needs more
    lines is wrapped greedily."""
    words = text.split()
    if len(text) <= LINE_CHARS or len(words) < 2:
        return [text]
    splits = [(" ".join(words[:i]), " ".join(words[i:])) for i in range(1, len(words))]
    top, bottom = min(splits, key=lambda pair: max(len(pair[0]), len(pair[1])))
    if max(len(top), len(bottom)) <= LINE_CHARS:
        return [top, bottom]
    lines = [words[0]]
    for word in words[1:]:
        if len(lines[-1]) + 1 + len(word) <= LINE_CHARS:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines
