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


class EspeakEngine:
    name: ClassVar[str] = "espeak"

    def __init__(self) -> None:
        try:
            import pyttsx3
            from pyttsx3.drivers import _espeak
            # pyttsx3 calls espeak_Synth without espeakPHONEMES; with it, a
            # lexicon's [[phonemes]] are spoken as phonemes (other text is unchanged).
            _espeak.CHARS_UTF8 |= _espeak.PHONEMES
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
