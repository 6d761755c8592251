"""m4b: the whole book as one AAC audiobook file with chapters, tags and
cover, joined from the chapter parts' AAC without re-encoding (join.py).

mutagen cannot write MP4 chapters; ffmpeg can: the chapters and tags go in an
FFMETADATA1 file mapped with -map_chapters, the ipod muxer with brand "M4B "
(the space is part of the brand) writes them as both a Nero `chpl` list and a
QuickTime chapter track, which Apple Books and most players read."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from storycast.audio import ffmpeg
from storycast.audio.join import AAC_FRAME, adts_input, chapter_starts
from storycast.audio.package import BookInfo
from storycast.audio.parts import Part
from storycast.audio.timing import BookTiming
from storycast.files import write_atomic


def write_m4b(parts: list[Part], timing: BookTiming, out: Path, book: BookInfo) -> Path:
    """The parts' AAC, in order, in an M4B with a chapter mark where each
    chapter's audio starts (counted from the AAC frames), to the millisecond."""
    def write(temporary: Path) -> None:
        # The joined AAC goes through a file: ffmpeg stalls for ~20 s reading
        # a pipe beside the cover image input (ffmpeg 5.1, measured).
        with tempfile.TemporaryDirectory(prefix=".tmp-m4b-", dir=out.parent) as scratch:
            audio, metadata = Path(scratch) / "book.aac", Path(scratch) / "chapters.txt"
            with open(audio, "wb") as joined:
                for part in parts:
                    with open(part.aac, "rb") as chapter:
                        shutil.copyfileobj(chapter, joined)
            metadata.write_text(ffmetadata(parts, timing, book), encoding="utf-8")
            cover = ["-i", str(book.cover)] if book.cover else []
            cover_map = (["-map", "2:v", "-c:v", "copy", "-disposition:v:0", "attached_pic"]
                         if book.cover else [])
            ffmpeg.run([*adts_input(timing.sample_rate, audio), "-f", "ffmetadata",
                        "-i", str(metadata), *cover, "-map", "0:a", *cover_map,
                        "-map_metadata", "1", "-map_chapters", "1", "-c:a", "copy",
                        "-movflags", "+faststart", "-f", "ipod", "-brand", "M4B ",
                        str(temporary)])

    return write_atomic(out, write)


def ffmetadata(parts: list[Part], timing: BookTiming, book: BookInfo) -> str:
    """An FFMETADATA1 file: book tags, then one [CHAPTER] per chapter in ms."""
    lines = [";FFMETADATA1", f"title={_escape(book.title)}", f"album={_escape(book.title)}",
             "genre=Audiobook", "media_type=2"]
    if book.author:
        lines += [f"artist={_escape(book.author)}", f"album_artist={_escape(book.author)}"]
    starts = chapter_starts((part.aac_frames for part in parts), AAC_FRAME)
    if parts:
        starts.append(starts[-1] + parts[-1].samples)  # the end of the last chapter
    marks = [round(sample * 1000 / timing.sample_rate) for sample in starts]
    for chapter, start, end in zip(timing.chapters, marks, marks[1:]):
        lines += ["", "[CHAPTER]", "TIMEBASE=1/1000", f"START={start}", f"END={end}",
                  f"title={_escape(chapter.title)}"]
    return "\n".join(lines) + "\n"


def _escape(value: str) -> str:
    """FFMETADATA escapes '=', ';', '#', '\\' and newlines with a backslash."""
    for special in ("\\", "=", ";", "#", "\n"):
        value = value.replace(special, "\\" + special)
    return value
