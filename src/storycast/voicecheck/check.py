"""check: say one fixed paragraph in each voice profile and in its base voice
(the same engine voice with its own settings: no shifts, rate or tilt), then
measure what a recognizer hears (word error rate), the median pitch and the
spectral envelope, and compare every pair of profiles.

A profile is flagged when it costs more than BUDGET word error rate over its
base voice, and a pair when the two are close both in pitch and in spectrum.
Engines are made afresh for every rendering, so a seeded engine (Piper) says
the paragraph the same way every time and the figures repeat."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import combinations

import numpy as np

from storycast import engines
from storycast.model import Audio, VoiceProfile
from storycast.text.speakable import engine_safe
from storycast.voicecheck import measures
from storycast.voicecheck.recognize import transcribe, word_error_rate

PARAGRAPH = (
    "The rain had not stopped all week, and nobody in the office was in the mood for it. "
    "She put the kettle on and read the letter again. It said the car would be ready on "
    "Monday, but the garage had told them that before. He looked at the clock, picked up "
    "his coat and walked out into the street. Two buses went past without stopping. A woman "
    "with a yellow umbrella asked him the way to the station, and he told her, although he "
    "was not sure himself."
)
"""Ordinary words a recognizer's dictionary has, with a spread of sounds."""
BUDGET = 0.08
"""The most word error rate a profile may add to its base voice."""
ALIKE_SEMITONES = 1.0
ALIKE_SPECTRAL = 4.0
"""Two voices closer than both of these sound like one speaker. (The same
voice said twice with different noise measures about 0.5 apart in spectrum;
one semitone of formant shift about 2.5.)"""


@dataclass(frozen=True)
class Measured:
    """One voice saying the paragraph."""

    wer: float
    pitch: float
    """Median Hz of the voiced frames; NaN when too few were voiced."""
    envelope: np.ndarray = field(compare=False)
    seconds: float


@dataclass(frozen=True)
class VoiceCheck:
    profile: VoiceProfile
    own: Measured
    base: Measured

    @property
    def cost(self) -> float:
        """Word error rate this profile adds to its base voice."""
        return self.own.wer - self.base.wer

    @property
    def over_budget(self) -> bool:
        return self.cost > BUDGET + 1e-9


@dataclass(frozen=True)
class PairCheck:
    first: str
    second: str
    semitones: float
    spectral: float

    @property
    def too_alike(self) -> bool:
        close_pitch = math.isnan(self.semitones) or self.semitones < ALIKE_SEMITONES
        return close_pitch and self.spectral < ALIKE_SPECTRAL


@dataclass(frozen=True)
class Report:
    voices: tuple[VoiceCheck, ...]
    pairs: tuple[PairCheck, ...]

    @property
    def passed(self) -> bool:
        return not any(v.over_budget for v in self.voices) and not any(
            p.too_alike for p in self.pairs
        )


def base_voice(profile: VoiceProfile) -> VoiceProfile:
    """The engine voice (and speaker) the profile starts from, with every
    other setting left at the engine's own."""
    return VoiceProfile(
        name=f"{profile.voice} (base)",
        engine=profile.engine,
        voice=profile.voice,
        speaker=profile.speaker,
    )


def measure(audio: Audio, text: str) -> Measured:
    x = measures.samples(audio.pcm)
    return Measured(
        wer=word_error_rate(text, transcribe(audio.pcm, audio.sample_rate)),
        pitch=measures.median_pitch(x, audio.sample_rate),
        envelope=measures.mean_mfcc(x, audio.sample_rate),
        seconds=audio.seconds,
    )


def say(profile: VoiceProfile, text: str) -> Audio:
    """The text in this profile, from a fresh engine (see the module's note)."""
    return engines.get(profile.engine).synthesize(text, profile)


def check(
    profiles: Sequence[VoiceProfile],
    text: str = PARAGRAPH,
    done: Callable[[int], None] = lambda n: None,
) -> Report:
    """Every profile and its base voice measured (each base once), every pair
    compared. `done(1)` after each rendering measured (2 per profile at most)."""
    text = engine_safe(text)  # the one gate to the engines, as for a story
    bases: dict[VoiceProfile, Measured] = {}
    checked = []
    for profile in profiles:
        base = base_voice(profile)
        if base not in bases:
            bases[base] = measure(say(base, text), text)
            done(1)
        own = measure(say(profile, text), text)
        done(1)
        checked.append(VoiceCheck(profile, own, bases[base]))
    pairs = tuple(
        PairCheck(
            a.profile.name,
            b.profile.name,
            measures.semitones_apart(a.own.pitch, b.own.pitch),
            measures.spectral_distance(a.own.envelope, b.own.envelope),
        )
        for a, b in combinations(checked, 2)
    )
    return Report(tuple(checked), pairs)


def renderings(profiles: Sequence[VoiceProfile]) -> int:
    """How many times check() will call done(1)."""
    return len(profiles) + len({base_voice(p) for p in profiles})
