"""A fake engine for fast tests of the stages after synthesis; conftest's
fake_engine fixture registers it the way plugins are registered."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

import numpy as np

from storycast import engines
from storycast.model import Audio, VoiceProfile


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
