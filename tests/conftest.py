"""Shared fixtures: the sample stories, and two measures of an audio file
that several end-to-end tests read back. Tests that only need ffprobe's
view of a file call storycast.ffmpeg.probe directly."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from storycast import ffmpeg


@pytest.fixture(scope="session")
def stories() -> Path:
    """The sample stories (original writing, with .cast.yaml and .gold.tsv)."""
    return Path(__file__).resolve().parents[1] / "stories"


@pytest.fixture(scope="session")
def duration() -> Callable[[Path], float]:
    """A file's length in seconds, as ffprobe reports it from the container."""

    def seconds(path: Path) -> float:
        return float(ffmpeg.probe(path)["format"]["duration"])

    return seconds


@pytest.fixture(scope="session")
def decoded_seconds() -> Callable[[Path], float]:
    """A file's length in seconds as a player decodes it: encoder delay and
    padding trimmed, so it can be compared with sample counts."""

    def seconds(path: Path, rate: int = 44100) -> float:
        pcm = ffmpeg.run(["-i", str(path), "-f", "s16le", "-ac", "1", "-ar", str(rate), "-"])
        return len(pcm) / 2 / rate

    return seconds
