"""frames: the arithmetic that lets encoded chapters join without re-encoding.

Every encoded chapter carries the encoder's priming at its head (MP3: 1105
samples from LAME; AAC: 1024 from ffmpeg's encoder) and padding at its tail
up to a whole frame. A player trims them using the file's header, but in a
joined file only the first priming (and the last padding) is trimmed: each
join adds the next chapter's priming and the last chapter's padding, some
30 ms of near-silence, which falls in the room tone between chapters.

The chapter marks are computed from the frames actually in each file, so
they land where each chapter's audio starts. And every chapter is made a
length (aligned_length) at which its MP3 and its AAC both fill exactly the
same number of samples' worth of frames, so the chapters start at the same
sample in the book MP3 and in the M4B, and one timing manifest serves both."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from storycast import ffmpeg

MP3_FRAME = 1152
"""Samples per MPEG-1 Layer III frame (32 kHz and above)."""
AAC_FRAME = 1024
MP3_PRIMING = 1105
"""Samples of priming ffmpeg's LAME puts at the head (576 encoder + 529 decoder delay)."""
AAC_PRIMING = 1024
"""Samples of priming ffmpeg's AAC encoder puts at the head."""
MP3_PADDING = 288
"""Tail padding aimed at: LAME pads at least ~50 samples (an extra frame
below that), so a quarter frame is safely inside one frame."""
COMMON_FRAMES = 9216
"""The least length that is a whole number of both frames: 8 MP3 or 9 AAC frames."""


def aligned_length(samples: int) -> int:
    """The least length >= `samples` at which a chapter's MP3 (priming +
    audio + MP3_PADDING) is a whole number of COMMON_FRAMES; its AAC then is
    too (with AAC_PRIMING + AAC padding of MP3_PRIMING + MP3_PADDING - AAC_PRIMING)."""
    lead = MP3_PRIMING + MP3_PADDING
    return -(-(samples + lead) // COMMON_FRAMES) * COMMON_FRAMES - lead


def count_frames(path: Path) -> int:
    """Frames (packets) of audio in an MP3 or ADTS file, header frames excluded."""
    out = ffmpeg.probe_raw(
        [
            "-v",
            "error",
            "-select_streams",
            "a:0",
            "-count_packets",
            "-show_entries",
            "stream=nb_read_packets",
            "-of",
            "json",
            str(path),
        ]
    )
    return int(json.loads(out)["streams"][0]["nb_read_packets"])


def chapter_starts(frame_counts: Iterable[int], frame_size: int) -> list[int]:
    """The sample at which each chapter's audio starts in the joined, decoded
    file: after every earlier chapter's frames. (Each chapter's own priming
    comes before its audio, and the first chapter's is trimmed: they cancel.)"""
    starts, samples = [], 0
    for count in frame_counts:
        starts.append(samples)
        samples += count * frame_size
    return starts
