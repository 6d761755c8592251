"""package: chapter PCM -> MP3 files with ID3 tags and cover, and the
whole-book MP3 with ID3v2.3 CHAP/CTOC chapter frames. Every file is written
under a temporary name in its folder and renamed when complete. The other
formats have a module each: m4b.py, transcripts.py, cover.py, timing.py."""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from mutagen.id3 import APIC, CHAP, CTOC, ID3, TALB, TCON, TIT2, TPE1, TRCK, CTOCFlags, PictureType

from storycast.audio import ffmpeg
from storycast.audio.timing import BookTiming, book_timing
from storycast.model import ChapterAudio

_UMASK = os.umask(0)
os.umask(_UMASK)
MP3_RATE = 44100
MP3_BITRATE = "192k"


@dataclass(frozen=True)
class BookInfo:
    title: str
    author: str | None
    chapter_count: int
    cover: Path | None = None
    """A JPEG embedded in every file (APIC in MP3s, covr in the M4B)."""


@contextmanager
def atomic_path(final: Path) -> Iterator[Path]:
    """A temporary path beside `final`, renamed onto it if the block succeeds."""
    final.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=final.parent, prefix=".tmp-", suffix=final.suffix)
    os.close(handle)
    os.chmod(temporary, 0o666 & ~_UMASK)  # mkstemp makes 0600; outputs are for sharing
    try:
        yield Path(temporary)
        os.replace(temporary, final)
    finally:
        Path(temporary).unlink(missing_ok=True)


def write_atomic(final: Path, write: Callable[[Path], None]) -> Path:
    with atomic_path(final) as temporary:
        write(temporary)
    return final


def chapter_file_name(chapter: ChapterAudio) -> str:
    return f"{chapter.index + 1:02d} - {safe_name(chapter.title)}.mp3"


def safe_name(text: str, limit: int = 80) -> str:
    """A file name that is safe on every common file system."""
    name = re.sub(r'[\x00-\x1f<>:"/\\|?*]+', " ", text)
    name = " ".join(name.split()).strip(" .")[:limit].strip(" .")
    if re.fullmatch(r"(?i)(con|prn|aux|nul|com\d|lpt\d)(\..*)?", name) or not name:
        name = f"_{name}" if name else "untitled"
    return name


def encode_chapter(chapter: ChapterAudio, folder: Path, book: BookInfo) -> Path:
    final = folder / chapter_file_name(chapter)

    def write(path: Path) -> None:
        encode_mp3([Path(chapter.pcm_path)], chapter.sample_rate, path)
        tags = _tags(book, chapter.title)
        tags.add(TRCK(encoding=3, text=f"{chapter.index + 1}/{book.chapter_count}"))
        tags.save(path, v2_version=3)

    return write_atomic(final, write)


def encode_book(chapters: list[ChapterAudio], path: Path, book: BookInfo,
                timing: BookTiming | None = None) -> Path:
    """The whole book as one MP3, with a CHAP frame per chapter and a CTOC,
    at the timing manifest's times."""
    timing = timing or book_timing(chapters, [Path(c.pcm_path) for c in chapters], book.title,
                                   book.author, path.stem, "")

    def write(temporary: Path) -> None:
        encode_mp3([Path(c.pcm_path) for c in chapters], chapters[0].sample_rate, temporary)
        tags = _tags(book, book.title)
        ids = []
        for chapter in timing.chapters:
            element = f"chp{chapter.number}"
            ids.append(element)
            tags.add(CHAP(element_id=element, start_time=chapter.start_ms, end_time=chapter.end_ms,
                          sub_frames=[TIT2(encoding=3, text=chapter.title)]))
        tags.add(CTOC(element_id="toc", flags=CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED,
                      child_element_ids=ids, sub_frames=[TIT2(encoding=3, text=book.title)]))
        tags.save(temporary, v2_version=3)

    return write_atomic(path, write)


def encode_mp3(pcm_files: list[Path], sample_rate: int, out: Path) -> None:
    """Raw mono PCM files, in order, -> one CBR MP3 (no tags of ffmpeg's own)."""
    ffmpeg.run_fed(["-f", "s16le", "-ar", str(sample_rate), "-ac", "1", "-i", "pipe:0",
                    "-ar", str(MP3_RATE), "-c:a", "libmp3lame", "-b:a", MP3_BITRATE,
                    "-map_metadata", "-1", "-id3v2_version", "0", "-write_id3v1", "0",
                    "-f", "mp3", str(out)], read_chunks(pcm_files))


def read_chunks(paths: list[Path], size: int = 1 << 20) -> Iterator[bytes]:
    for path in paths:
        with open(path, "rb") as source:
            while chunk := source.read(size):
                yield chunk


def _tags(book: BookInfo, title: str) -> ID3:
    tags = ID3()
    tags.add(TIT2(encoding=3, text=title))
    tags.add(TALB(encoding=3, text=book.title))
    if book.author:
        tags.add(TPE1(encoding=3, text=book.author))
    tags.add(TCON(encoding=3, text="Audiobook"))
    if book.cover:
        tags.add(APIC(encoding=3, mime="image/jpeg", type=PictureType.COVER_FRONT, desc="Cover",
                      data=Path(book.cover).read_bytes()))
    return tags
