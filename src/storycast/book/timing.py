"""timing: the one manifest of where everything sits in the book's audio.

Built once from the chapter parts (their exact sample counts, frames and
line cues), written as timing.json, and read by everything that needs a time:
the book MP3's chapter marks, chapters.json, the transcripts, the feed. So
nothing drifts: no writer computes a time of its own. (The M4B counts its
marks from its own AAC frames: the same times, as the parts are aligned; see
audio/frames.py.)"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from storycast.audio.frames import MP3_FRAME, chapter_starts
from storycast.book.layout import BookFolder
from storycast.errors import InputError, StorycastError
from storycast.model import NARRATOR, BookChapter, BookInfo, Cue

VERSION = 1


@dataclass(frozen=True)
class ChapterTiming:
    number: int
    """1-based, in reading order."""
    title: str
    file: str
    """The chapter's MP3, relative to the book folder."""
    start: float
    """Seconds from the start of the book to the chapter's first sample."""
    end: float
    """Seconds from the start of the book to just past its last sample."""
    samples: int
    """Samples in the chapter's audio at the book's sample rate."""
    cues: tuple[Cue, ...]
    """One per spoken line; times in seconds from the start of the chapter."""

    @property
    def duration(self) -> float:
        return self.end - self.start

    @property
    def start_ms(self) -> int:
        return round(self.start * 1000)

    @property
    def end_ms(self) -> int:
        return round(self.end * 1000)


@dataclass(frozen=True)
class BookTiming:
    title: str
    author: str | None
    slug: str
    """The book folder's name; the book files are <slug>.mp3, .m4b, .vtt, .srt."""
    master: str
    """The mastering preset the audio was made to (acx, podcast)."""
    sample_rate: int
    chapters: tuple[ChapterTiming, ...]
    files: dict[str, str] = field(default_factory=dict)
    """Other files of the book by role (mp3, m4b, vtt, srt, chapters, cover,
    script), relative to the book folder."""

    @property
    def duration(self) -> float:
        return self.chapters[-1].end if self.chapters else 0.0

    def mark_ends_ms(self) -> list[int]:
        """Where each chapter mark ends: at the next chapter's start (the
        join's few ms of room tone belong to the chapter before), the last
        at the end of the book."""
        starts = [chapter.start_ms for chapter in self.chapters[1:]]
        return starts + [round(self.duration * 1000)] if self.chapters else []


class TimingError(StorycastError, ValueError):
    """Chapters that cannot share one timeline."""


def book_timing(
    chapters: list[BookChapter], book: BookInfo, folder: BookFolder, master: str
) -> BookTiming:
    """Chapter starts where the joined book MP3 has them (frames.chapter_starts:
    from the frames in each part, in samples, divided last)."""
    rates = {chapter.part.sample_rate for chapter in chapters}
    if len(rates) > 1:
        raise TimingError(f"chapters at different sample rates: {sorted(rates)}; render again")
    rate = rates.pop() if rates else 44100
    starts = chapter_starts((chapter.part.mp3_frames for chapter in chapters), MP3_FRAME)
    timings = tuple(
        ChapterTiming(
            chapter.number,
            chapter.title,
            chapter.file.name,
            start / rate,
            (start + chapter.part.samples) / rate,
            chapter.part.samples,
            chapter.part.cues,
        )
        for chapter, start in zip(chapters, starts)
    )
    files = folder.book_files(book.cover)
    return BookTiming(book.title, book.author, folder.slug, master, rate, timings, files)


def speaker_label(speaker: str) -> str:
    """How a speaker is named to listeners: the narrator as 'Narrator'."""
    return "Narrator" if speaker == NARRATOR else speaker


def to_data(timing: BookTiming) -> dict:
    return {
        "version": VERSION,
        "title": timing.title,
        "author": timing.author,
        "slug": timing.slug,
        "master": timing.master,
        "sample_rate": timing.sample_rate,
        "duration": _s(timing.duration),
        "files": timing.files,
        "chapters": [
            {
                "number": c.number,
                "title": c.title,
                "file": c.file,
                "start": _s(c.start),
                "end": _s(c.end),
                "duration": _s(c.duration),
                "samples": c.samples,
                "cues": [
                    {"start": _s(q.start), "end": _s(q.end), "speaker": q.speaker, "text": q.text}
                    for q in c.cues
                ],
            }
            for c in timing.chapters
        ],
    }


def to_json(timing: BookTiming) -> str:
    return json.dumps(to_data(timing), ensure_ascii=False, indent=1) + "\n"


def load(path: Path) -> BookTiming:
    """Read a timing.json back (for check, the feed, or tests)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        chapters = tuple(
            ChapterTiming(
                c["number"],
                c["title"],
                c["file"],
                c["start"],
                c["end"],
                c["samples"],
                tuple(Cue(q["start"], q["end"], q["speaker"], q["text"]) for q in c["cues"]),
            )
            for c in data["chapters"]
        )
        return BookTiming(
            data["title"],
            data.get("author"),
            data["slug"],
            data["master"],
            data["sample_rate"],
            chapters,
            dict(data.get("files", {})),
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError) as error:
        raise InputError(f"{path}: not a storycast timing manifest ({error!r:.200})") from None


def _s(seconds: float) -> float:
    """Seconds to the millisecond, as written to files."""
    return round(seconds, 3)
