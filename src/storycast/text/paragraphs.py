"""Paragraphs of plain text: blocks between blank lines, or hard-wrapped
lines joined back together. Used by parse for a .txt story and by the folder
reader for a text chapter file."""

from __future__ import annotations

import re
from dataclasses import dataclass

from storycast.model import Segment
from storycast.text.conventions import is_structural


@dataclass(frozen=True)
class Paragraph:
    start: int
    """Offset in the text of the first character."""
    end: int
    """Offset in the text just past the last character."""
    text: str
    """The paragraph with inner newlines as spaces (same length as the source)."""

    @property
    def clean(self) -> str:
        return " ".join(self.text.split())


def split_paragraphs(text: str) -> list[Paragraph]:
    """Paragraphs are blocks between blank lines; in text with long lines
    (one paragraph per line) every line is a paragraph of its own."""
    lines = [
        (m.start(), m.end())
        for m in re.finditer(r"[^\n]*", text)
        if m.start() < m.end() or m.start() == len(text)
    ]
    lines = [(s, e) for s, e in lines if text[s:e].strip()]
    if not lines:
        return []
    wrap = _wrap_width([e - s for s, e in lines])
    paragraphs: list[Paragraph] = []
    start, end = lines[0]
    for next_start, next_end in lines[1:]:
        gap = text[end:next_start]
        joined = (
            gap.count("\n") == 1
            and wrap
            and (end - start) >= 0.6 * wrap
            and not is_structural(text[start:end].strip())
            and not is_structural(text[next_start:next_end].strip())
        )
        if joined:
            end = next_end
            continue
        paragraphs.append(_paragraph(text, start, end))
        start, end = next_start, next_end
    paragraphs.append(_paragraph(text, start, end))
    return paragraphs


def _wrap_width(lengths: list[int]) -> int:
    """The hard-wrap width of the text, or 0 when lines are not wrapped."""
    ordered = sorted(lengths)
    p95 = ordered[int(0.95 * (len(ordered) - 1))]
    return p95 if 40 <= p95 <= 100 and len(ordered) >= 10 else 0


def _paragraph(text: str, start: int, end: int) -> Paragraph:
    raw = text[start:end]
    stripped = raw.strip()
    start += raw.index(stripped[0])
    end = start + len(stripped)
    return Paragraph(start, end, stripped.replace("\n", " "))


def segment_paragraphs(segments: list[Segment]) -> list[list[int]]:
    """Indices of a chapter's segments, grouped by paragraph (a heading apart)."""
    groups: list[list[int]] = []
    last = None
    for index, segment in enumerate(segments):
        key = (segment.scene, segment.paragraph, segment.kind == "heading")
        if key != last:
            groups.append([])
            last = key
        groups[-1].append(index)
    return groups
