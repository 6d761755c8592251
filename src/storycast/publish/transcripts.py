"""transcripts: a whole-book WebVTT or SRT transcript cut into one per chapter,
for feeds with an episode per chapter.

A chapter's span in the book comes from the book MP3's ID3 CHAP frames (the
same marks players show); each cue that starts inside the span goes to that
chapter's transcript, shifted so the chapter starts at zero."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from storycast.audio.package import atomic_path

_STAMP = r"((?:\d+:)?\d{1,2}:\d{2}[.,]\d{1,3})"
_TIMING = re.compile(rf"^\s*{_STAMP}\s*-->\s*{_STAMP}")
EPSILON = 0.0005


@dataclass(frozen=True)
class Cue:
    start: float
    end: float
    text: str
    """The cue's text lines, joined by newlines."""


def read_cues(path: Path) -> list[Cue]:
    """The cues of a WebVTT or SRT file (headers, notes and styles skipped)."""
    text = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
    cues = []
    for block in re.split(r"\n\s*\n", text):
        lines = block.strip("\n").split("\n")
        for index, line in enumerate(lines):
            match = _TIMING.match(line)
            if match:
                body = "\n".join(lines[index + 1:]).strip("\n")
                cues.append(Cue(_seconds(match.group(1)), _seconds(match.group(2)), body))
                break
    return cues


def chapter_spans(book: Path) -> list[tuple[float, float]]:
    """(start, end) in seconds of each chapter in the book MP3, in order."""
    from mutagen.id3 import ID3, ID3NoHeaderError

    try:
        frames = ID3(book).getall("CHAP")
    except ID3NoHeaderError:
        return []
    frames.sort(key=lambda frame: frame.start_time)
    return [(frame.start_time / 1000, frame.end_time / 1000) for frame in frames]


def cut(cues: list[Cue], start: float, end: float) -> list[Cue]:
    """The cues starting in [start, end), shifted to start at zero."""
    length = end - start
    return [Cue(max(0.0, c.start - start), min(length, c.end - start), c.text)
            for c in cues if start - EPSILON <= c.start < end - EPSILON]


def write_cues(cues: list[Cue], path: Path) -> Path:
    """Write `cues` as WebVTT or SRT (by the suffix); untouched if unchanged,
    so podcast apps see the same file."""
    if path.suffix.lower() == ".srt":
        blocks = [f"{n}\n{_stamp(c.start, ',')} --> {_stamp(c.end, ',')}\n{c.text}"
                  for n, c in enumerate(cues, start=1)]
        content = "\n\n".join(blocks) + "\n"
    else:
        blocks = [f"{_stamp(c.start, '.')} --> {_stamp(c.end, '.')}\n{c.text}" for c in cues]
        content = "WEBVTT\n\n" + "\n\n".join(blocks) + "\n"
    if path.is_file() and path.read_text(encoding="utf-8") == content:
        return path
    with atomic_path(path) as temporary:
        temporary.write_text(content, encoding="utf-8")
    return path


def _seconds(stamp: str) -> float:
    parts = stamp.replace(",", ".").split(":")
    seconds = float(parts[-1])
    for multiplier, part in zip((60, 3600), reversed(parts[:-1])):
        seconds += multiplier * int(part)
    return seconds


def _stamp(seconds: float, separator: str) -> str:
    millis = round(seconds * 1000)
    hours, millis = divmod(millis, 3_600_000)
    minutes, millis = divmod(millis, 60_000)
    return f"{hours:02d}:{minutes:02d}:{millis // 1000:02d}{separator}{millis % 1000:03d}"


def per_chapter(book: Path, sources: list[Path], chapter_numbers: list[int],
                folder: Path) -> dict[int, tuple[Path, ...]]:
    """Each chapter's share of the whole-book transcripts `sources`, written to
    `folder` as NN.vtt / NN.srt; {} when the book's chapter marks do not match
    the chapter files (then no chapter gets a transcript rather than a wrong one)."""
    spans = chapter_spans(book)
    if not sources or len(spans) != len(chapter_numbers):
        return {}
    found: dict[int, list[Path]] = {number: [] for number in chapter_numbers}
    for source in sources:
        cues = read_cues(source)
        for number, (start, end) in zip(chapter_numbers, spans):
            target = folder / f"{number:02d}{source.suffix.lower()}"
            found[number].append(write_cues(cut(cues, start, end), target))
    return {number: tuple(paths) for number, paths in found.items()}
