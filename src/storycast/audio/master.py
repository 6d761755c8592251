"""master: loudness for release, measured with a real meter (ffmpeg's
ebur128 and astats, through storycast.audio.measure).

Two steps, both inside the assemble stage:
- every voice is brought to one integrated loudness, so that no character
  is louder than another (one gain per voice, measured over its lines in the
  chapter, so a chapter depends on nothing outside it);
- every chapter is brought to its preset's level, limited below the preset's
  peak ceiling, resampled to 44.1 kHz, and laid over room tone (very quiet
  pink noise: ACX rejects digital silence), then measured again and corrected
  if the limiter moved it (or moved the voices apart).

A Preset holds both what mastering aims at and the rules `storycast check`
judges files against."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Literal

import numpy as np

from storycast import ffmpeg
from storycast.audio.measure import level_filter, loudnesses, parse_level, quick_level
from storycast.errors import InputError

OUTPUT_RATE = 44100
ROOM_TONE_DBFS = -70.0
PINK_RMS_DB = -14.3
"""RMS of ffmpeg's pink anoisesrc relative to its `amplitude`, in dB (measured
with astats: amplitude 0.01 gives -54.3 dBFS at 44.1 kHz)."""
VOICE_LOUDNESS = -20.0
"""LUFS every voice is brought to before chapter mastering (only the sameness matters)."""
MIN_VOICE_SECONDS = 3.0
"""Shorter voices are looped to this length: the loudness gate needs 400 ms blocks."""
MIN_MEASURED_SECONDS = 2.0
"""Least speech of a voice in a chapter for its loudness to be corrected there."""
RETRY_TOLERANCE = 0.25
"""dB off the aim after which a chapter is mastered again with a corrected gain."""
RENDER_TRIES = 3
LIMITER_LOSS = 1.5
"""dB the limiter is expected to take off the level, added to the first
try's gain (measured on espeak-ng chapters at the acx ceiling: 1.8 to 1.9;
less where peaks are lower): a first try near the aim saves a try."""
LIMITER_SLOPE = 0.55
"""dB of level gained per dB of gain once the limiter works (measured on
espeak-ng chapters at the acx ceiling: 0.5 to 0.6), for the second try."""
MAX_GAIN = 40.0


@dataclass(frozen=True)
class Preset:
    """A delivery standard: what mastering aims at, and what `check` enforces.
    A rule left at None is not part of the preset."""

    name: str
    aim: Literal["rms", "loudness"]
    """Whether mastering sets the whole-file RMS or the integrated loudness."""
    level: float
    """The aim: dBFS RMS, or LUFS for a mono file."""
    ceiling: float
    """Limiter ceiling, dBFS sample peak: below the peak rule, because lossy
    encoders overshoot a little."""
    rms: tuple[float, float] | None = None
    peak: float | None = None
    """Highest sample peak allowed, dBFS."""
    noise_floor: float | None = None
    loudness_mono: float | None = None
    loudness_stereo: float | None = None
    loudness_tolerance: float = 1.0
    true_peak: float | None = None
    sample_rate: int | None = None
    min_bitrate: int | None = None
    """For chapter MP3s: at least this many bits per second, constant bitrate."""
    max_seconds: float | None = None
    """For chapter files."""
    head: tuple[float, float] | None = None
    """Seconds of room tone before the first sound."""
    tail: tuple[float, float] | None = None
    no_digital_silence: bool = False
    same_layout: bool = False
    """Every file with the same channel count."""

    @property
    def peak_rule(self) -> tuple[str, float] | None:
        """The peak figure the preset limits ("peak" or "true_peak") and its limit."""
        if self.true_peak is not None:
            return "true_peak", self.true_peak
        return ("peak", self.peak) if self.peak is not None else None


PRESETS: dict[str, Preset] = {
    "acx": Preset(
        "acx",
        aim="rms",
        level=-20.5,
        ceiling=-4.5,
        rms=(-23.0, -18.0),
        peak=-3.0,
        noise_floor=-60.0,
        sample_rate=44100,
        min_bitrate=192000,
        max_seconds=120 * 60,
        head=(0.5, 1.0),
        tail=(1.0, 5.0),
        no_digital_silence=True,
        same_layout=True,
    ),
    "podcast": Preset(
        "podcast",
        aim="loudness",
        level=-19.0,
        ceiling=-2.0,
        loudness_mono=-19.0,
        loudness_stereo=-16.0,
        true_peak=-1.0,
    ),
}


def preset(name: str) -> Preset:
    try:
        return PRESETS[name]
    except KeyError:
        raise InputError(f"no mastering preset {name!r}; have: {', '.join(PRESETS)}") from None


def voice_gains(
    speech: Iterable[tuple[str, np.ndarray]], sample_rate: int, work: Path
) -> dict[str, float]:
    """dB to add to each voice so every voice measures VOICE_LOUDNESS.

    `speech` yields (voice, float samples) for every line; each voice's lines
    are metered together, streamed through a scratch file per voice."""
    work.mkdir(parents=True, exist_ok=True)
    files: dict[str, tuple[Path, BinaryIO]] = {}
    try:
        for voice, samples in speech:
            if voice not in files:
                path = work / f"voice-{len(files)}.f32"
                files[voice] = (path, open(path, "wb"))
            files[voice][1].write(samples.astype("<f4").tobytes())
    finally:
        for _, handle in files.values():
            handle.close()
    for path, _ in files.values():
        _loop_to(path, round(MIN_VOICE_SECONDS * sample_rate))
    levels = loudnesses([path for path, _ in files.values()], sample_rate, "f32le")
    gains = {}
    for (voice, (path, _)), loudness in zip(files.items(), levels):
        gains[voice] = _clamp(VOICE_LOUDNESS - loudness) if loudness > -70 else 0.0
        path.unlink()
    return gains


def voice_corrections(
    pcm: Path, sample_rate: int, spans: list[tuple[str, float, float]], work: Path
) -> dict[str, float]:
    """dB to add to each voice to bring it to the common level of a mastered
    chapter (mono s16le), measured over its lines: spans of (voice, start s,
    end s). The limiter takes more from peaky voices than from smooth ones,
    so voices matched before mastering can drift apart in it.

    Voices with less than MIN_MEASURED_SECONDS in the chapter are left alone."""
    by_voice: dict[str, list[tuple[int, int]]] = {}
    for voice, start, end in spans:
        by_voice.setdefault(voice, []).append(
            (round(start * sample_rate), round(end * sample_rate))
        )
    measured: list[tuple[str, int, Path]] = []
    with open(pcm, "rb") as audio:  # read by the line: memory stays flat however long the chapter
        for number, (voice, cuts) in enumerate(by_voice.items()):
            length = sum(end - start for start, end in cuts)
            if length < MIN_MEASURED_SECONDS * sample_rate:
                continue
            path = work / f"measure-{number}.pcm"
            with open(path, "wb") as out:
                for start, end in cuts:
                    audio.seek(start * 2)
                    out.write(audio.read((end - start) * 2))
            measured.append((voice, length, path))
    levels = loudnesses([path for _, _, path in measured], sample_rate, "s16le")
    loudness, seconds = {}, {}
    for (voice, length, path), level in zip(measured, levels):
        path.unlink()
        if level > -70:
            loudness[voice], seconds[voice] = level, length
    if len(loudness) < 2:
        return {}
    common = sum(loudness[v] * seconds[v] for v in loudness) / sum(seconds.values())
    return {voice: common - level for voice, level in loudness.items()}


def _loop_to(path: Path, samples: int) -> None:
    """Repeat a short recording until it is `samples` long (loudness unchanged)."""
    data = path.read_bytes() if path.stat().st_size < samples * 4 else b""
    if data:
        path.write_bytes((data * (samples * 4 // len(data) + 1))[: samples * 4])


def master_chapter(
    raw: Path, sample_rate: int, out: Path, target: Preset, revise: Callable[[], bool] | None = None
) -> int:
    """Raw mono f32le at `sample_rate` -> mastered mono s16le at OUTPUT_RATE.
    Returns the samples written. Timing is kept: the limiter's delay is
    compensated and the resampling is an exact ratio of rates.

    The limiter takes some level off the peaks, so the level is measured after
    each try and the gain corrected (by the slope seen so far, LIMITER_SLOPE
    before two tries), up to RENDER_TRIES tries. `revise`, called after each
    try but the last, may lay out `raw` again (returning True) from what it
    measures in that try; then another try is made whatever the level."""
    measured = (
        _rms_dbfs(raw)
        if target.aim == "rms"
        else quick_level(raw, sample_rate, "f32le", target.aim)
    )
    if not math.isfinite(measured):  # nothing but silence: nothing to aim
        _render(raw, sample_rate, out, 0.0, target.ceiling, target.aim)
        return out.stat().st_size // 2
    gain, tried = _clamp(target.level - measured + LIMITER_LOSS), []
    for attempt in range(1, RENDER_TRIES + 1):
        level = _render(raw, sample_rate, out, gain, target.ceiling, target.aim)
        revised = attempt < RENDER_TRIES and revise is not None and revise()
        if attempt == RENDER_TRIES or (
            abs(target.level - level) <= RETRY_TOLERANCE and not revised
        ):
            break
        tried.append((gain, level))
        gain = _clamp(gain + (target.level - level) / _slope(tried))
    return out.stat().st_size // 2


def _rms_dbfs(raw: Path) -> float:
    """RMS of a raw f32le file in dBFS, read a block at a time (astats' figure,
    without starting ffmpeg)."""
    power, count = 0.0, 0
    with open(raw, "rb") as source:
        while block := source.read(1 << 22):
            samples = np.frombuffer(block, dtype="<f4").astype(np.float64)
            power += float(np.dot(samples, samples))
            count += len(samples)
    return 10 * math.log10(power / count) if power > 0 else -math.inf


def _slope(tried: list[tuple[float, float]]) -> float:
    """dB of level per dB of gain between the last two tries."""
    if len(tried) < 2:
        return LIMITER_SLOPE
    (gain_a, level_a), (gain_b, level_b) = tried[-2:]
    slope = (level_b - level_a) / (gain_b - gain_a) if gain_b != gain_a else 1.0
    return min(1.0, max(0.3, slope))


def _clamp(gain: float) -> float:
    return max(-MAX_GAIN, min(MAX_GAIN, gain))


def _render(raw: Path, sample_rate: int, out: Path, gain: float, ceiling: float, aim: str) -> float:
    """Master once; return the result's level (`aim`), metered in the same pass."""
    tone = 10 ** ((ROOM_TONE_DBFS - PINK_RMS_DB) / 20)
    graph = (
        f"[0:a]aresample={OUTPUT_RATE},volume={gain:.3f}dB,"
        f"alimiter=limit={10 ** (ceiling / 20):.5f}:level=0:latency=1:attack=5:release=60[voice];"
        f"anoisesrc=r={OUTPUT_RATE}:c=pink:a={tone:.7f}:seed=1981[tone];"
        "[voice][tone]amix=inputs=2:duration=first:normalize=0:dropout_transition=0,"
        f"aformat=sample_fmts=s16,asplit=2[out][meter];[meter]{level_filter(aim)},anullsink"
    )
    _, stderr = ffmpeg.measure(
        [
            "-y",
            "-f",
            "f32le",
            "-ar",
            str(sample_rate),
            "-ac",
            "1",
            "-i",
            str(raw),
            "-filter_complex",
            graph,
            "-map",
            "[out]",
            "-ac",
            "1",
            "-ar",
            str(OUTPUT_RATE),
            "-c:a",
            "pcm_s16le",
            "-f",
            "s16le",
            str(out),
        ]
    )
    return parse_level(stderr, aim)
