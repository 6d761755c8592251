"""mp3: chapter parts -> the chapter MP3s, with ID3 tags and cover, and the
whole-book MP3 joined from them (stream copy) with ID3v2.3 CHAP/CTOC chapter
frames. Nothing is re-encoded here: the parts are (audio/parts.py)."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from mutagen.id3 import APIC, CHAP, CTOC, ID3, TALB, TCON, TIT2, TPE1, TRCK, CTOCFlags, PictureType

from storycast import ffmpeg
from storycast.book.timing import BookTiming
from storycast.files import write_atomic
from storycast.model import BookChapter, BookInfo


def write_chapter(chapter: BookChapter, book: BookInfo) -> Path:
    """The chapter's MP3: its part with the book's tags and its own."""

    def write(path: Path) -> None:
        shutil.copyfile(chapter.part.mp3, path)
        tags = _tags(book, chapter.title)
        tags.add(TRCK(encoding=3, text=f"{chapter.number}/{book.chapter_count}"))
        tags.save(path, v2_version=3)

    return write_atomic(chapter.file, write)


def write_book_mp3(
    chapters: list[BookChapter], path: Path, book: BookInfo, timing: BookTiming
) -> Path:
    """The whole book as one MP3 joined from the parts, with a CHAP frame per
    chapter and a CTOC, at the timing manifest's times."""

    def write(temporary: Path) -> None:
        join_mp3([chapter.part.mp3 for chapter in chapters], temporary)
        tags = _tags(book, book.title)
        ids = []
        for mark, end_ms in zip(timing.chapters, timing.mark_ends_ms()):
            element = f"chp{mark.number}"
            ids.append(element)
            tags.add(
                CHAP(
                    element_id=element,
                    start_time=mark.start_ms,
                    end_time=end_ms,
                    sub_frames=[TIT2(encoding=3, text=mark.title)],
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
                *ffmpeg.NO_TAGS,
                "-f",
                "mp3",
                str(out),
            ]
        )


def _quoted(path: Path) -> str:
    """A path as the concat demuxer's single-quoted string."""
    return str(path.resolve()).replace("'", "'\\''")
