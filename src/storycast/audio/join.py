"""Join encoded chapter MP3s into the whole-book MP3 without re-encoding.

Each chapter MP3 carries the encoder's delay (priming) at its head and
padding at its tail, which a player trims using the file's LAME header. In a
joined file only the first delay and the last padding are trimmed, so every
join adds delay + padding of digital near-silence (about 25 to 50 ms), which
falls in the chapters' room tone. The chapter marks are computed from the
frames actually in the file, so each lands where its chapter's audio starts."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from storycast.audio import ffmpeg

SAMPLES_PER_FRAME = 1152
"""MPEG-1 Layer III frame length, at 32 kHz and above."""
ENCODER_DELAY = 1105
"""Samples of priming that ffmpeg's LAME adds at the head (529 decoder + 576 encoder)."""


def frames(path: Path) -> int:
    """MP3 frames of audio in a file (the header frame excluded)."""
    out = ffmpeg.probe_raw(["-v", "error", "-select_streams", "a:0", "-count_packets",
                            "-show_entries", "stream=nb_read_packets", "-of", "json", str(path)])
    return int(json.loads(out)["streams"][0]["nb_read_packets"])


def join_mp3(chapter_files: list[Path], out: Path) -> list[float]:
    """Write the chapters, in order, as one MP3 (stream copy, no tags); return
    the second at which each chapter's audio starts in it."""
    with tempfile.TemporaryDirectory(prefix="storycast-join-") as scratch:
        listing = Path(scratch) / "chapters.txt"
        listing.write_text("".join(f"file '{_quoted(p)}'\n" for p in chapter_files),
                           encoding="utf-8")
        ffmpeg.run(["-f", "concat", "-safe", "0", "-i", str(listing), "-map", "0:a",
                    "-c", "copy", "-map_metadata", "-1", "-id3v2_version", "0",
                    "-write_id3v1", "0", "-f", "mp3", str(out)])
    return chapter_starts([frames(p) for p in chapter_files], sample_rate=_rate(out))


def chapter_starts(frame_counts: list[int], sample_rate: int) -> list[float]:
    """Where each chapter's audio starts in the joined, decoded file: after all
    earlier chapters' frames and its own priming, less the first priming
    (the only one a player trims)."""
    starts, samples = [], 0
    for count in frame_counts:
        starts.append(samples / sample_rate)
        samples += count * SAMPLES_PER_FRAME
    return starts


def _rate(path: Path) -> int:
    stream = ffmpeg.probe(path)["streams"][0]
    return int(stream["sample_rate"])


def _quoted(path: Path) -> str:
    """A path as the concat demuxer's single-quoted string."""
    return str(path.resolve()).replace("'", "'\\''")
