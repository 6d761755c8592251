"""Joining encoded chapters without re-encoding (audio/frames.py, book/mp3.py): at the
aligned length a chapter's MP3 and AAC span the same samples; a joined MP3
decodes cleanly, each join adds under 52 ms (the next chapter's encoder delay
and the last frame's padding), and the computed chapter starts are where each
chapter's audio really begins. (Whole rendered books: test_incremental.py.)"""

from __future__ import annotations

import numpy as np
import pytest

from storycast import ffmpeg
from storycast.audio.frames import (
    AAC_FRAME,
    MP3_FRAME,
    MP3_PADDING,
    MP3_PRIMING,
    aligned_length,
    chapter_starts,
    count_frames,
)
from storycast.audio.parts import encode_aac, encode_mp3
from storycast.book.mp3 import join_mp3

pytestmark = pytest.mark.slow

RATE = 44100
TONES = (300, 700, 1100)  # one tone per chapter, to find where each begins


def decode(path) -> np.ndarray:
    return np.frombuffer(
        ffmpeg.run(["-i", str(path), "-f", "s16le", "-ac", "1", "-"]), dtype="<i2"
    ).astype(np.float32)


def dominant_frequency(samples: np.ndarray) -> float:
    spectrum = np.abs(np.fft.rfft(samples * np.hanning(len(samples))))
    return float(np.argmax(spectrum) * RATE / len(samples))


def test_joined_chapters_start_where_computed(tmp_path):
    files, lengths = [], []
    for number, tone in enumerate(TONES):
        path = tmp_path / f"{number}.mp3"
        ffmpeg.run(
            [
                "-f",
                "lavfi",
                "-i",
                f"sine=frequency={tone}:duration={2 + number * 0.37}",
                "-ar",
                str(RATE),
                "-ac",
                "1",
                "-c:a",
                "libmp3lame",
                "-b:a",
                "192k",
                str(path),
            ]
        )
        files.append(path)
        lengths.append(len(decode(path)))
    book = tmp_path / "book.mp3"
    join_mp3(files, book)
    starts = [s / RATE for s in chapter_starts(map(count_frames, files), MP3_FRAME)]
    audio = decode(book)
    joins = len(files) - 1
    extra = len(audio) - sum(lengths)
    assert 0 <= extra <= joins * 0.052 * RATE
    window = int(0.05 * RATE)
    for start, tone in zip(starts, TONES):
        begin = round(start * RATE)
        assert abs(dominant_frequency(audio[begin + 200 : begin + 200 + window]) - tone) < 40
        if begin > window:  # just before the mark: the chapter before, or its padding
            before = audio[begin - window : begin - 1200]
            assert np.sqrt(np.mean(before**2)) < 1 or abs(dominant_frequency(before) - tone) > 100


@pytest.mark.parametrize("wanted", [1, 44100, 441000 + 333, 9216 * 7])
def test_at_the_aligned_length_mp3_and_aac_span_the_same_samples(tmp_path, wanted):
    length = aligned_length(wanted)
    assert wanted <= length < wanted + 9216
    pcm = tmp_path / "chapter.pcm"
    noise = np.random.default_rng(length).normal(0, 300, length).astype("<i2")
    pcm.write_bytes(noise.tobytes())
    encode_mp3(pcm, RATE, tmp_path / "chapter.mp3")
    encode_aac(pcm, RATE, tmp_path / "chapter.aac")
    mp3_span = count_frames(tmp_path / "chapter.mp3") * MP3_FRAME
    assert mp3_span == length + MP3_PRIMING + MP3_PADDING
    assert count_frames(tmp_path / "chapter.aac") * AAC_FRAME == mp3_span
    assert len(decode(tmp_path / "chapter.mp3")) == length  # the player trims the rest
