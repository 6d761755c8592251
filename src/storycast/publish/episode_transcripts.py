"""transcripts: one WebVTT and one SRT transcript per chapter, for feeds with
an episode per chapter.

Written from the book's timing manifest (timing.json) by the same writers as
the whole-book transcripts, with each chapter starting at zero: no transcript
is parsed back, and no time is computed twice."""

from __future__ import annotations

from pathlib import Path

from storycast.book.timing import load
from storycast.book.transcripts import chapter_alone, srt, webvtt
from storycast.files import write_text


def per_chapter(
    timing_file: Path, chapter_numbers: list[int], folder: Path
) -> dict[int, tuple[Path, ...]]:
    """Each chapter's transcripts, written to `folder` as NN.vtt and NN.srt;
    {} when there is no manifest or its chapters do not match the chapter
    files (then no chapter gets a transcript rather than a wrong one)."""
    if not timing_file.is_file():
        return {}
    timing = load(timing_file)
    by_number = {chapter.number: chapter for chapter in timing.chapters}
    if sorted(by_number) != sorted(chapter_numbers):
        return {}
    found = {}
    for number in chapter_numbers:
        alone = chapter_alone(timing, by_number[number])
        found[number] = tuple(
            _write_if_changed(folder / f"{number:02d}{suffix}", text)
            for suffix, text in ((".vtt", webvtt(alone)), (".srt", srt(alone)))
        )
    return found


def _write_if_changed(path: Path, content: str) -> Path:
    """Untouched when unchanged, so podcast apps see the same file."""
    if path.is_file() and path.read_text(encoding="utf-8") == content:
        return path
    return write_text(path, content)
