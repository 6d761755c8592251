"""package: chapter parts -> the chapter MP3s, with ID3 tags and cover, and
the whole-book MP3 joined from them with ID3v2.3 CHAP/CTOC chapter frames.
Nothing is re-encoded here: the parts are (parts.py). Every file is written
under a temporary name in its folder and renamed when complete. The other
formats have a module each: m4b.py, transcripts.py, cover.py, timing.py."""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from mutagen.id3 import APIC, CHAP, CTOC, ID3, TALB, TCON, TIT2, TPE1, TRCK, CTOCFlags, PictureType

from storycast import ffmpeg
from storycast.audio.parts import Part
from storycast.book.timing import BookTiming
from storycast.files import safe_name, write_atomic


@dataclass(frozen=True)
class BookInfo:
    title: str
    author: str | None
    chapter_count: int
    cover: Path | None = None
    """A JPEG embedded in every file (APIC in MP3s, covr in the M4B)."""


def chapter_file_name(number: int, title: str) -> str:
    return f"{number:02d} - {safe_name(title)}.mp3"


def write_chapter(part: Part, number: int, title: str, folder: Path, book: BookInfo) -> Path:
    """The chapter's MP3: its part with the book's tags and its own."""

    def write(path: Path) -> None:
        shutil.copyfile(part.mp3, path)
        tags = _tags(book, title)
        tags.add(TRCK(encoding=3, text=f"{number}/{book.chapter_count}"))
        tags.save(path, v2_version=3)

    return write_atomic(folder / chapter_file_name(number, title), write)


def write_book_mp3(parts: list[Part], path: Path, book: BookInfo, timing: BookTiming) -> Path:
    """The whole book as one MP3 joined from the parts, with a CHAP frame per
    chapter and a CTOC, at the timing manifest's times."""

    def write(temporary: Path) -> None:
        join_mp3([part.mp3 for part in parts], temporary)
        tags = _tags(book, book.title)
        ids = []
        for chapter, end_ms in zip(timing.chapters, timing.mark_ends_ms()):
            element = f"chp{chapter.number}"
            ids.append(element)
            tags.add(
                CHAP(
                    element_id=element,
                    start_time=chapter.start_ms,
                    end_time=end_ms,
                    sub_frames=[TIT2(encoding=3, text=chapter.title)],
                )
            )
        tags.add(
            CTOC(
                element_id="toc",
                flags=CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED,
                child_element_ids=ids,
                sub_frames=[TIT2(encoding=3, text=book.title)],
            )
        )
        tags.save(temporary, v2_version=3)

    return write_atomic(path, write)


def _tags(book: BookInfo, title: str) -> ID3:
    tags = ID3()
    tags.add(TIT2(encoding=3, text=title))
    tags.add(TALB(encoding=3, text=book.title))
    if book.author:
        tags.add(TPE1(encoding=3, text=book.author))
    tags.add(TCON(encoding=3, text="Audiobook"))
    if book.cover:
        tags.add(
            APIC(
                encoding=3,
                mime="image/jpeg",
                type=PictureType.COVER_FRONT,
                desc="Cover",
                data=Path(book.cover).read_bytes(),
            )
        )
    return tags


def join_mp3(chapter_files: list[Path], out: Path) -> None:
    """The chapters' MP3s, in order, as one MP3 (stream copy, no tags)."""
    with tempfile.TemporaryDirectory(prefix="storycast-join-") as scratch:
        listing = Path(scratch) / "chapters.txt"
        listing.write_text(
            "".join(f"file '{_quoted(p)}'\n" for p in chapter_files), encoding="utf-8"
        )
        ffmpeg.run(
            [
                "-f",
                "concat",
                "-safe",
                "0",
                "-i",
                str(listing),
                "-map",
                "0:a",
                "-c",
                "copy",
                "-map_metadata",
                "-1",
                "-id3v2_version",
                "0",
                "-write_id3v1",
                "0",
                "-f",
                "mp3",
                str(out),
            ]
        )


def _quoted(path: Path) -> str:
    """A path as the concat demuxer's single-quoted string."""
    return str(path.resolve()).replace("'", "'\\''")
