"""Joining chapter MP3s without re-encoding (audio/join.py): the joined file
decodes cleanly, each join adds under 52 ms (the next chapter's encoder delay
and the last frame's padding), and the computed chapter starts are where each
chapter's audio really begins."""

from __future__ import annotations

import numpy as np

from storycast.audio import ffmpeg
from storycast.audio.join import join_mp3

RATE = 44100
TONES = (300, 700, 1100)  # one tone per chapter, to find where each begins


def decode(path) -> np.ndarray:
    return np.frombuffer(ffmpeg.run(["-i", str(path), "-f", "s16le", "-ac", "1", "-"]),
                         dtype="<i2").astype(np.float32)


def dominant_frequency(samples: np.ndarray) -> float:
    spectrum = np.abs(np.fft.rfft(samples * np.hanning(len(samples))))
    return float(np.argmax(spectrum) * RATE / len(samples))


def test_joined_chapters_start_where_computed(tmp_path):
    files, lengths = [], []
    for number, tone in enumerate(TONES):
        path = tmp_path / f"{number}.mp3"
        ffmpeg.run(["-f", "lavfi", "-i", f"sine=frequency={tone}:duration={2 + number * 0.37}",
                    "-ar", str(RATE), "-ac", "1", "-c:a", "libmp3lame", "-b:a", "192k", str(path)])
        files.append(path)
        lengths.append(len(decode(path)))
    book = tmp_path / "book.mp3"
    starts = join_mp3(files, book)
    audio = decode(book)
    joins = len(files) - 1
    extra = len(audio) - sum(lengths)
    assert 0 <= extra <= joins * 0.052 * RATE
    window = int(0.05 * RATE)
    for start, tone in zip(starts, TONES):
        begin = round(start * RATE)
        assert abs(dominant_frequency(audio[begin + 200:begin + 200 + window]) - tone) < 40
        if begin > window:  # just before the mark: the chapter before, or its padding
            before = audio[begin - window:begin - 1200]
            assert np.sqrt(np.mean(before ** 2)) < 1 or \
                abs(dominant_frequency(before) - tone) > 100
