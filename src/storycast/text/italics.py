"""Italic markers (`*word*`, `_word_`) found in time in proportion to the
text, however many stray markers it holds.

ITALIC is the definition. Searched as a regular expression it is quadratic:
from each opening marker without a closing one, `.+?` runs to the end of the
line before giving up, so a paragraph of 8,000 `*a ` took seconds and one
of 300 KB minutes. `italics()` finds the very same matches by listing the
markers that can open and close once, then pairing each opener with the
first closer after it."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator

ITALIC = re.compile(r"(?<![\w*])([*_])(?=[^\s*_])(.+?)(?<=[^\s*_])\1(?![\w*])")
_OPENER = re.compile(r"(?<![\w*])([*_])(?=[^\s*_])")
_CLOSER = re.compile(r"(?<=[^\s*_])([*_])(?![\w*])")


def italics(text: str) -> Iterator[re.Match[str]]:
    """The matches of ITALIC.finditer(text), in linear time."""
    closers: dict[str, list[int]] = {"*": [], "_": []}
    for closer in _CLOSER.finditer(text):
        closers[closer.group(1)].append(closer.start())
    newlines = [index for index, char in enumerate(text) if char == "\n"]
    resume = 0
    for opener in _OPENER.finditer(text):
        start = opener.start()
        if start < resume:
            continue
        candidates = closers[opener.group(1)]
        found = bisect_left(candidates, start + 2)  # at least one letter between
        if found == len(candidates):
            continue
        end = candidates[found]
        newline = bisect_left(newlines, start)
        if newline < len(newlines) and newlines[newline] < end:
            continue  # `.` stops at a line's end: no closer on this line
        match = ITALIC.match(text, start, end + 1)  # the regex, held to the one span
        if match is not None:
            resume = match.end()
            yield match


def strip_markers(text: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    """Text without italic markers, and the italic spans in it."""
    spans, out, position, length = [], [], 0, 0
    for match in italics(text):
        out.append(text[position : match.start()])
        length += match.start() - position
        out.append(match.group(2))
        spans.append((length, length + len(match.group(2))))
        length += len(match.group(2))
        position = match.end()
    out.append(text[position:])
    return "".join(out), tuple(spans)
