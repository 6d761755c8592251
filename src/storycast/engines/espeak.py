"""The default engine: espeak-ng, driven in process through pyttsx3."""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import tempfile
import wave
from functools import cache
from typing import ClassVar

from storycast.errors import EngineError
from storycast.model import Audio, VoiceProfile


_TRIES = 3


class EspeakEngine:
    name: ClassVar[str] = "espeak"

    def __init__(self) -> None:
        try:
            import pyttsx3
            self._tts = pyttsx3.init("espeak")
        except Exception as error:  # pyttsx3 raises bare errors when libespeak-ng is missing
            raise EngineError(
                f"espeak-ng is not usable ({error}); install it: sudo apt-get install espeak-ng"
            ) from None
        self._voice_ids = {voice.id.lower(): voice.id for voice in self._tts.getProperty("voices")}

    def version(self) -> str:
        return f"espeak-ng {_espeak_version()}"

    def voices(self) -> list[str]:
        return sorted(self._voice_ids.values())

    def synthesize(self, text: str, profile: VoiceProfile) -> Audio:
        # pyttsx3's espeak driver now and then saves an empty file (seen in
        # about 1 line of 116 under parallel synthesis): it writes the WAV on
        # the end-of-message event before adding the audio of that same
        # callback. A line with words in it is never silent, so try again.
        for _ in range(_TRIES):
            audio = self._synthesize_once(text, profile)
            if audio.pcm or not any(c.isalnum() for c in text):
                return audio
        raise EngineError(f"espeak-ng gave no audio for {text[:40]!r} ({_TRIES} tries)")

    def _synthesize_once(self, text: str, profile: VoiceProfile) -> Audio:
        self._configure(profile)
        handle, path = tempfile.mkstemp(suffix=".wav", prefix="storycast-espeak-")
        os.close(handle)
        try:
            # pyttsx3 prints a line per saved file; keep the terminal clean.
            with contextlib.redirect_stdout(io.StringIO()):
                self._tts.save_to_file(text, path)
                self._tts.runAndWait()
            with wave.open(path, "rb") as clip:
                return Audio(clip.readframes(clip.getnframes()), clip.getframerate())
        except (OSError, EOFError, wave.Error) as error:
            raise EngineError(f"espeak-ng failed on {text[:40]!r}: {error}") from None
        finally:
            os.unlink(path)

    def _configure(self, profile: VoiceProfile) -> None:
        if profile.voice.lower() not in self._voice_ids:
            raise EngineError(
                f"voice profile {profile.name!r}: espeak-ng has no voice {profile.voice!r} "
                "(see `storycast voices --engine espeak`)")
        voice = profile.voice + (f"+{profile.variant}" if profile.variant else "")
        self._tts.setProperty("voice", voice)
        self._tts.setProperty("rate", profile.rate)
        self._tts.setProperty("pitch", profile.pitch)
        self._tts.setProperty("volume", profile.volume)


@cache
def _espeak_version() -> str:
    try:
        result = subprocess.run(["espeak-ng", "--version"], capture_output=True, text=True,
                                check=False)
    except FileNotFoundError:
        return "unknown"
    return result.stdout.split("Data at")[0].strip() or "unknown"
