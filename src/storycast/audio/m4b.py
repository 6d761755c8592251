"""m4b: the whole book as one AAC audiobook file with chapters, tags and cover.

mutagen cannot write MP4 chapters; ffmpeg can: the chapters and tags go in an
FFMETADATA1 file mapped with -map_chapters, the ipod muxer with brand "M4B "
(the space is part of the brand) writes them as both a Nero `chpl` list and a
QuickTime chapter track, which Apple Books and most players read."""

from __future__ import annotations

import tempfile
from pathlib import Path

from storycast.audio import ffmpeg
from storycast.audio.master import Preset
from storycast.audio.measure import quick_level
from storycast.audio.package import BookInfo, read_chunks, write_atomic
from storycast.audio.timing import BookTiming
from storycast.model import ChapterAudio

AAC_BITRATE = "96k"
PEAK_MARGIN = 0.3
"""dB kept below the preset's peak limit when the encoded file is corrected."""


def encode_m4b(chapters: list[ChapterAudio], timing: BookTiming, out: Path, book: BookInfo,
               target: Preset | None = None) -> Path:
    """Chapters' mastered PCM, in order, -> AAC in an M4B with chapter marks
    at the timing manifest's times (to the millisecond).

    AAC overshoots the mastered peaks (by 1 to 2 dB at this bitrate, measured),
    so the encoded file is measured and, if it breaks the preset's peak rule,
    encoded again that much quieter."""
    gain = 0.0
    for _ in range(2):
        _encode(chapters, timing, out, book, gain)
        rule = target.peak_rule if target else None
        if rule is None:
            break
        kind, limit = rule
        excess = quick_level(out, None, None, kind) - (limit - PEAK_MARGIN)
        if excess <= 0:
            break
        gain -= excess
    return out


def _encode(chapters: list[ChapterAudio], timing: BookTiming, out: Path, book: BookInfo,
            gain: float) -> None:
    def write(temporary: Path) -> None:
        with tempfile.TemporaryDirectory(prefix="storycast-m4b-") as scratch:
            metadata = Path(scratch) / "chapters.txt"
            metadata.write_text(ffmetadata(timing, book), encoding="utf-8")
            cover = ["-i", str(book.cover)] if book.cover else []
            cover_map = (["-map", "2:v", "-c:v", "copy", "-disposition:v:0", "attached_pic"]
                         if book.cover else [])
            ffmpeg.run_fed(["-f", "s16le", "-ar", str(timing.sample_rate), "-ac", "1",
                            "-i", "pipe:0", "-f", "ffmetadata", "-i", str(metadata), *cover,
                            "-map", "0:a", *cover_map, "-map_metadata", "1", "-map_chapters", "1",
                            "-af", f"volume={gain:.2f}dB", "-c:a", "aac", "-aac_coder", "fast", "-b:a", AAC_BITRATE, "-movflags", "+faststart",
                            "-f", "ipod", "-brand", "M4B ", str(temporary)],
                           read_chunks([Path(c.pcm_path) for c in chapters]))

    write_atomic(out, write)


def ffmetadata(timing: BookTiming, book: BookInfo) -> str:
    """An FFMETADATA1 file: book tags, then one [CHAPTER] per chapter in ms."""
    lines = [";FFMETADATA1", f"title={_escape(book.title)}", f"album={_escape(book.title)}",
             "genre=Audiobook", "media_type=2"]
    if book.author:
        lines += [f"artist={_escape(book.author)}", f"album_artist={_escape(book.author)}"]
    for chapter in timing.chapters:
        lines += ["", "[CHAPTER]", "TIMEBASE=1/1000", f"START={chapter.start_ms}",
                  f"END={chapter.end_ms}", f"title={_escape(chapter.title)}"]
    return "\n".join(lines) + "\n"


def _escape(value: str) -> str:
    """FFMETADATA escapes '=', ';', '#', '\\' and newlines with a backslash."""
    for special in ("\\", "=", ";", "#", "\n"):
        value = value.replace(special, "\\" + special)
    return value
