"""Shared fixtures: the project's paths and small helpers for reading files back."""

from __future__ import annotations

from pathlib import Path

import pytest

from storycast import ffmpeg

ROOT = Path(__file__).resolve().parents[1]
STORIES = ROOT / "stories"


@pytest.fixture(scope="session")
def stories() -> Path:
    return STORIES


def probe(path: Path) -> dict:
    """ffprobe's view of a file (format, streams, chapters)."""
    return ffmpeg.probe(path)


def duration(path: Path) -> float:
    return float(probe(path)["format"]["duration"])


def decoded_seconds(path: Path, rate: int = 44100) -> float:
    """Length of the audio a player decodes (encoder delay and padding trimmed)."""
    pcm = ffmpeg.run(["-i", str(path), "-f", "s16le", "-ac", "1", "-ar", str(rate), "-"])
    return len(pcm) / 2 / rate
