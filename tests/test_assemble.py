"""Clips as assemble reads them: at the assembly rate as they are, and
converted (by ffmpeg) when an engine speaks at another rate."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from storycast.audio.assemble import SAMPLE_RATE, load_clip
from storycast.files import write_wav
from storycast.model import Audio, Clip


def tone(rate: int, seconds: float) -> bytes:
    t = np.arange(round(rate * seconds)) / rate
    return (0.3 * np.sin(2 * np.pi * 440 * t) * 32767).astype("<i2").tobytes()


def test_a_clip_at_the_assembly_rate_is_read_as_it_is(tmp_path: Path) -> None:
    pcm = tone(SAMPLE_RATE, 0.5)
    path = write_wav(tmp_path / "clip.wav", Audio(pcm, SAMPLE_RATE))
    assert load_clip(Clip(path, SAMPLE_RATE, len(pcm) // 2)) == pcm


def test_a_clip_at_another_rate_is_resampled_to_the_same_length(tmp_path: Path) -> None:
    pcm = tone(16000, 0.5)
    path = write_wav(tmp_path / "clip.wav", Audio(pcm, 16000))
    samples = np.frombuffer(load_clip(Clip(path, 16000, len(pcm) // 2)), dtype="<i2")
    assert abs(len(samples) - SAMPLE_RATE // 2) <= 64
    spectrum = np.abs(np.fft.rfft(samples.astype(np.float64)))
    assert abs(np.argmax(spectrum) * SAMPLE_RATE / len(samples) - 440) < 5  # the same pitch
