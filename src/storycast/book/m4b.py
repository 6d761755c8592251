"""m4b: the whole book as one AAC audiobook file with chapters, tags and
cover, joined from the chapter parts' AAC without re-encoding: the boxes are
written by audio/mp4.py (streaming, 4 bytes held a frame), then the tags and
cover by mutagen, as iTunes writes them (stik 2: an audiobook)."""

from __future__ import annotations

from pathlib import Path

from mutagen.mp4 import MP4, MP4Cover

from storycast.audio.frames import AAC_FRAME, chapter_starts
from storycast.book import mp4
from storycast.book.timing import BookTiming
from storycast.files import write_atomic
from storycast.model import BookChapter, BookInfo


def write_m4b(chapters: list[BookChapter], timing: BookTiming, out: Path, book: BookInfo) -> Path:
    """The parts' AAC, in order, in an M4B with a chapter mark where each
    chapter's audio starts (counted from the AAC frames), to the millisecond."""
    parts = [chapter.part for chapter in chapters]
    starts = chapter_starts((part.aac_frames for part in parts), AAC_FRAME)
    marks = [mp4.Chapter(start, mark.title) for start, mark in zip(starts, timing.chapters)]

    def write(temporary: Path) -> None:
        end = starts[-1] + parts[-1].samples if parts else None
        mp4.write_m4b([part.aac for part in parts], marks, temporary, end)
        _tag(temporary, book)

    return write_atomic(out, write)


def _tag(path: Path, book: BookInfo) -> None:
    audio = MP4(path)
    audio.add_tags()
    tags = audio.tags
    assert tags is not None  # add_tags made them
    tags["\xa9nam"] = tags["\xa9alb"] = [book.title]
    tags["\xa9gen"] = ["Audiobook"]
    tags["stik"] = [2]
    if book.author:
        tags["\xa9ART"] = tags["aART"] = [book.author]
    if book.cover:
        tags["covr"] = [MP4Cover(Path(book.cover).read_bytes(), imageformat=MP4Cover.FORMAT_JPEG)]
    audio.save()
