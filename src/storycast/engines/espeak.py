"""The default engine: espeak-ng, in process, through pyttsx3's binding to
libespeak-ng.

Two things in the way pyttsx3's own espeak driver runs the library are
unfit for an audiobook, so this engine drives the binding itself:
- the driver can drop the last buffer of a line (it saves the file when the
  end event arrives, before appending that callback's samples): lines lose
  their ends;
- espeak-ng keeps state from one utterance to the next (the same line said
  twice in one process comes out different), so a clip would depend on what
  was synthesized before it.
So the engine loads espeak-ng once in synchronous mode (which starts no
threads, so forking is safe) and never speaks in that process: each line is
spoken in a forked child, which starts from the same untouched state every
time. The same text, voice and settings always give the same samples, and a
clip from the cache is the clip a clean render would make."""

from __future__ import annotations

import ctypes
import os
import pickle
import re
import subprocess
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any, ClassVar

from storycast.engines import ProfileError, check_range
from storycast.errors import EngineError
from storycast.model import Audio, VoiceProfile

_INSTALL = "install it: sudo apt-get install espeak-ng"


class EspeakEngine:
    name: ClassVar[str] = "espeak"
    profile_fields: ClassVar[frozenset[str]] = frozenset({"variant", "rate", "pitch"})

    @classmethod
    def phonemes(cls, written: str) -> str:
        """espeak-ng reads phoneme mnemonics only inside [[ ]]: added when missing."""
        return written if written.startswith("[[") else f"[[{written}]]"

    @classmethod
    def checked(cls, profile: VoiceProfile, folder: Path | None) -> VoiceProfile:
        check_range(profile, "rate", 40, 600, "between 40 and 600 words per minute")
        check_range(profile, "pitch", 0, 100)
        check_range(profile, "volume", 0.0, 1.0)
        if profile.variant is not None:
            _check_variant(profile.variant)
        return profile

    def __init__(self) -> None:
        self._voice_ids: dict[str, str] | None = None

    def version(self) -> str:
        return f"espeak-ng {_espeak_version()}"

    def voices(self) -> list[str]:
        return sorted(self._known_voices().values())

    def synthesize(self, text: str, profile: VoiceProfile) -> Audio:
        if profile.voice.lower() not in self._known_voices():
            raise EngineError(
                f"voice profile {profile.name!r}: espeak-ng has no voice {profile.voice!r} "
                "(see `storycast voices --engine espeak`)"
            )
        _library()  # loaded before the fork, so each child starts from it
        return in_fresh_child(_speak, text, profile)

    def _known_voices(self) -> dict[str, str]:
        if self._voice_ids is None:
            self._voice_ids = {v.lower(): v for v in in_fresh_child(_list_voices)}
        return self._voice_ids


@cache
def _library():
    """pyttsx3's binding to libespeak-ng, initialised for synchronous use."""
    try:
        from pyttsx3.drivers import _espeak
    except Exception as error:  # the binding raises bare errors when the library is missing
        raise EngineError(f"espeak-ng is not usable ({error}); {_INSTALL}") from None
    sample_rate = _espeak.Initialize(_espeak.AUDIO_OUTPUT_SYNCHRONOUS, 0)
    if sample_rate <= 0:
        raise EngineError(f"espeak-ng could not start; {_INSTALL}")
    return _espeak, sample_rate


def _list_voices() -> list[str]:
    espeak, _ = _library()
    return [voice.identifier.decode("utf-8") for voice in espeak.ListVoices(None)]


def _speak(text: str, profile: VoiceProfile) -> Audio:
    espeak, sample_rate = _library()
    chunks: list[bytes] = []

    def collect(wav, samples, events) -> int:  # noqa: ANN001
        if samples > 0:
            chunks.append(ctypes.string_at(wav, samples * 2))
        return 0

    espeak.SetSynthCallback(collect)
    voice = profile.voice + (f"+{profile.variant}" if profile.variant else "")
    if espeak.SetVoiceByName(voice.encode("utf-8")) != 0:
        raise EngineError(f"voice profile {profile.name!r}: espeak-ng cannot use {voice!r}")
    espeak.SetParameter(espeak.RATE, profile.rate, 0)
    espeak.SetParameter(espeak.PITCH, profile.pitch, 0)
    espeak.SetParameter(espeak.VOLUME, round(profile.volume * 100), 0)
    # Plain text (no SSML flag): markup in a story is read, never obeyed. PHONEMES
    # lets a lexicon entry's [[phonemes]] through; the speakable stage strips
    # brackets from story text, so only the lexicon can produce them.
    flags = espeak.ENDPAUSE | espeak.CHARS_UTF8 | espeak.PHONEMES
    if espeak.Synth(text.encode("utf-8"), flags=flags) != 0:
        raise EngineError(f"espeak-ng failed on {text[:40]!r}")
    return Audio(b"".join(chunks), sample_rate)


def in_fresh_child(function: Callable[..., Any], *args: Any) -> Any:
    """Run `function(*args)` in a forked child and return its result (or raise
    its error); the child's library state dies with it."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        os.close(read_end)
        status = 0
        try:
            try:
                payload = pickle.dumps((True, function(*args)))
            except BaseException as error:  # noqa: BLE001 - carried to the parent
                payload = pickle.dumps(
                    (
                        False,
                        error
                        if isinstance(error, EngineError)
                        else EngineError(f"espeak-ng failed: {error}"),
                    )
                )
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(payload)
        except BaseException:  # noqa: BLE001
            status = 1
        os._exit(status)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        payload = pipe.read()
    _, status = os.waitpid(pid, 0)
    if not payload:
        raise EngineError(f"espeak-ng worker died (status {status})")
    ok, value = pickle.loads(payload)
    if not ok:
        raise value
    return value


def _check_variant(variant: str) -> None:
    """A variant espeak-ng has (`espeak-ng --voices=variant`): anything else,
    a long name or a path above all, overflows a buffer inside libespeak-ng."""
    known = _variants()
    if not _VARIANT.match(variant) or (known and variant not in known):
        listed = ", ".join(sorted(known)[:12]) if known else "m1..m7, f1..f5"
        raise ProfileError(
            "variant", f"espeak-ng has no variant {variant[:40]!r} (have: {listed}, ...)"
        )


_VARIANT = re.compile(r"^[A-Za-z0-9_-]{1,32}$")


@cache
def _variants() -> frozenset[str]:
    """The variant names espeak-ng lists; empty when it cannot be asked."""
    try:
        result = subprocess.run(
            ["espeak-ng", "--voices=variant"], capture_output=True, text=True, check=False
        )
    except OSError:
        return frozenset()
    names = (line.split()[4] for line in result.stdout.splitlines()[1:] if len(line.split()) > 4)
    return frozenset(name.removeprefix("!v/") for name in names)


@cache
def _espeak_version() -> str:
    try:
        result = subprocess.run(
            ["espeak-ng", "--version"], capture_output=True, text=True, check=False
        )
    except FileNotFoundError:
        raise EngineError(f"espeak-ng is not installed; {_INSTALL}") from None
    return result.stdout.split("Data at")[0].strip() or "unknown"
