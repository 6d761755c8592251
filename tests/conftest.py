"""Shared fixtures: the project's paths, a fake engine registered as a plugin,
and small helpers for reading files back."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import numpy as np
import pytest

from storycast import engines, ffmpeg
from storycast.model import Audio, VoiceProfile

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


class FakeEngine:
    """A stand-in for a TTS engine, for tests of the stages after it: a tone
    as long as the text (SECONDS_PER_CHARACTER each), its pitch from the
    profile, made in microseconds and always the same. It keeps the lines it
    was asked to say in `spoken`."""

    name: ClassVar[str] = "fake"
    profile_fields: ClassVar[frozenset[str]] = frozenset({"pitch"})
    spoken: ClassVar[list[str]] = []
    SAMPLE_RATE: ClassVar[int] = 22050
    SECONDS_PER_CHARACTER: ClassVar[float] = 0.02

    @classmethod
    def phonemes(cls, written: str) -> None:
        return None  # a tone has no phonemes

    @classmethod
    def checked(cls, profile: VoiceProfile, folder: Path | None) -> VoiceProfile:
        engines.check_range(profile, "pitch", 0, 100)
        return profile

    def version(self) -> str:
        return "fake 1"

    def voices(self) -> list[str]:
        return ["tone"]

    def synthesize(self, text: str, profile: VoiceProfile) -> Audio:
        FakeEngine.spoken.append(text)
        return Audio(self.tone(text, profile), self.SAMPLE_RATE)

    @classmethod
    def tone(cls, text: str, profile: VoiceProfile) -> bytes:
        """The PCM the engine makes for `text` in `profile`'s voice."""
        count = round(len(text) * cls.SECONDS_PER_CHARACTER * cls.SAMPLE_RATE)
        hertz = 110 + 4 * profile.pitch
        wave = 0.3 * np.sin(2 * np.pi * hertz * np.arange(count) / cls.SAMPLE_RATE)
        return (wave * 32767).astype("<i2").tobytes()


@pytest.fixture
def fake_engine() -> Iterator[type[FakeEngine]]:
    """FakeEngine, registered as "fake" the way plugins are, for one test."""
    engines.register(FakeEngine.name, FakeEngine)
    FakeEngine.spoken.clear()
    yield FakeEngine
    engines.unregister(FakeEngine.name)


@pytest.fixture
def fake_voices(fake_engine: type[FakeEngine], tmp_path: Path) -> Path:
    """A voices folder (for --voices) whose narrator and default voices are
    the fake engine's, at different pitches."""
    folder = tmp_path / "fake-voices"
    folder.mkdir()
    for name, pitch in {"narrator": 40, "male": 25, "female": 70, "other": 55}.items():
        (folder / f"{name}.yaml").write_text(f"engine: fake\nvoice: tone\npitch: {pitch}\n")
    return folder
