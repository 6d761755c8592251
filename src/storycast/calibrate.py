"""calibrate: how fast this machine does each part of a render, timed on the
first `render --plan` and kept (in the user's cache folder, under the host,
core count, ffmpeg and storycast version), so --plan can say how long a
render will take. Every figure is measured: each voice says two lines, and
chapters of its speech are made at two lengths, one alone and two side by
side, and joined; each render then corrects the figures (estimate.learn)."""

from __future__ import annotations

import functools
import hashlib
import json
import multiprocessing
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import numpy as np

from storycast import ffmpeg
from storycast.audio.assemble import build_chapter
from storycast.audio.master import Preset
from storycast.audio.parts import PartStore
from storycast.book.cover import make_cover
from storycast.book.mp3 import join_mp3, write_chapter
from storycast.errors import StorycastError
from storycast.files import write_text, write_wav
from storycast.model import Audio, BookChapter, BookInfo, Clip, Line, Segment, VoiceProfile
from storycast.synth import engine_version, synthesize_one

SHORT_LINE = "Yes, she said."
LONG_LINE = (
    "The rain had not stopped all week, and nobody at the station had noticed the "
    "van parked on the corner, its engine running, its windows fogged from the inside."
)
MASTER_SECONDS = (8.0, 64.0)
"""Lengths of the chapters timed, in seconds of speech (about)."""


@dataclass(frozen=True)
class VoiceRate:
    per_line: float
    """Seconds to say a line, whatever its length (one worker)."""
    per_char: float
    """Seconds per character of text, on top."""
    speech_per_char: float
    """Seconds of speech made per character."""


@dataclass
class Rates:
    master: tuple[float, float] = (0.0, 0.0)
    """A chapter's assembly, mastering and encoding on one core: seconds fixed,
    seconds per second of audio."""
    join: tuple[float, float] = (0.0, 0.0)
    """One whole-book file joined from the parts: fixed, per second of audio."""
    chapter_file: float = 0.0
    """A chapter's MP3 written from its part (copied and tagged)."""
    cover: float = 0.0
    """Drawing a cover."""
    start: float = 0.0
    """Starting synthesis workers: processes spawned, storycast imported and
    the engine loaded, before their first line."""
    pair: float = 2.0
    """How many times faster two chapters are made side by side than one
    after the other (2: twice; 1: no faster, as on a machine kept busy)."""
    scales: dict[str, float] = field(default_factory=dict)
    """By stage: renders' measured time over the time the figures above gave
    them, blended over the latest renders (estimate.learn)."""
    voices: dict[str, VoiceRate] = field(default_factory=dict)
    """By voice_key."""


def cache_file() -> Path:
    """$XDG_CACHE_HOME/storycast/calibration.json, else under ~/.cache."""
    root = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(root) / "storycast" / "calibration.json"


@functools.cache
def machine() -> str:
    """What the figures hold for: this machine, its cores, ffmpeg, storycast."""
    try:
        ours = version("storycast")
    except PackageNotFoundError:
        ours = "source"
    blob = json.dumps([platform.node(), os.cpu_count(), ffmpeg.version(), ours])
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:16]


def voice_key(profile: VoiceProfile) -> str:
    settings = {k: v for k, v in asdict(profile).items() if k not in ("name", "description")}
    blob = json.dumps([engine_version(profile.engine), settings], sort_keys=True)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:16]


def rates(profiles: list[VoiceProfile], target: Preset) -> Rates:
    """This machine's figures for these voices: from the cache, else timed now
    (a few seconds, once) and kept."""
    path = cache_file()
    stored = _load(path)
    found = stored.get(machine())
    result = _from_data(found) if found else None
    voices, speech = {}, []
    for profile in profiles:
        key = voice_key(profile)
        if result is None or key not in result.voices:
            voices[key], said = time_voice(profile)
            speech.append(said)
    result = result or _time_machine(target, speech[:2], profiles[0] if profiles else None)
    result.voices.update(voices)
    if _to_data(result) != found:
        stored[machine()] = _to_data(result)
        _save(path, stored)
    return result


def _time_workers(voice: VoiceProfile | None) -> float:
    """Two synthesis workers started as `synthesize` starts them, each saying
    a short line (less the line's own time); a bare interpreter importing
    storycast where there is no voice to say it."""
    started = time.perf_counter()
    try:
        if voice is not None:
            context = multiprocessing.get_context("spawn")
            with ProcessPoolExecutor(max_workers=2, mp_context=context) as pool:
                list(pool.map(synthesize_one, [voice, voice], [SHORT_LINE, SHORT_LINE]))
            return max(0.0, time.perf_counter() - started - _timed_speech(voice, SHORT_LINE)[0])
    except (StorycastError, BrokenProcessPool):  # an engine only this process has registered
        started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import storycast.synth"], check=True)
    return time.perf_counter() - started


def _save(path: Path, stored: dict[str, dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    write_text(path, json.dumps(stored, indent=1))


def time_voice(profile: VoiceProfile) -> tuple[VoiceRate, Audio]:
    """Two lines said by the voice's engine, after a first, which loads it
    (if this process has not loaded it already); and the long line's audio."""
    synthesize_one(profile, SHORT_LINE)
    short_seconds, _ = _timed_speech(profile, SHORT_LINE)
    long_seconds, audio = _timed_speech(profile, LONG_LINE)
    per_char = max(0.0, (long_seconds - short_seconds) / (len(LONG_LINE) - len(SHORT_LINE)))
    per_line = max(0.0, short_seconds - per_char * len(SHORT_LINE))
    return VoiceRate(per_line, per_char, audio.seconds / len(LONG_LINE)), audio


def _timed_speech(profile: VoiceProfile, text: str) -> tuple[float, Audio]:
    best, audio = float("inf"), None
    for _ in range(2):  # the better of two: a busy machine's hiccup is not its speed
        started = time.perf_counter()
        audio = synthesize_one(profile, text)
        best = min(best, time.perf_counter() - started)
    assert audio is not None
    return best, audio


def _time_machine(target: Preset, speech: list[Audio], voice: VoiceProfile | None) -> Rates:
    """The machine's figures, from chapters of `speech` (voices' lines, said
    over again; speech-like noise where there are none)."""
    with tempfile.TemporaryDirectory(prefix="storycast-calibrate-") as scratch:
        folder = Path(scratch)
        started = time.perf_counter()
        make_cover(folder / "cover.jpg", "Calibration", "storycast")
        cover = time.perf_counter() - started
        lengths, master, join, tagged = [], [], [], 0.0
        for seconds in MASTER_SECONDS:
            made = _time_chapter(folder / f"{seconds:g}", seconds, target, speech)
            length, mastered, joined, tagged = made
            lengths.append(length)
            master.append(mastered)
            join.append(joined)
        pair = _time_pair(folder / "pair", MASTER_SECONDS[-1], target, speech, master[-1])
    start = _time_workers(voice)
    return Rates(_line(lengths, master), _line(lengths, join), tagged, cover, start, pair)


def update(change: Callable[[Rates], None]) -> None:
    """Change this machine's kept figures, if it has been timed (else nothing:
    only --plan times the machine)."""
    path = cache_file()
    stored = _load(path)
    found = _from_data(stored.get(machine()) or {})
    if found is not None:
        change(found)
        stored[machine()] = _to_data(found)
        _save(path, stored)


def _time_pair(
    work: Path, seconds: float, target: Preset, speech: list[Audio], alone: float
) -> float:
    """Two chapters made side by side, against one alone (`alone` seconds)."""
    if (os.cpu_count() or 1) < 2:
        return 1.0
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=2) as pool:
        for made in [
            pool.submit(_time_chapter, work / str(n), seconds, target, speech) for n in (1, 2)
        ]:
            made.result()
    return max(1.0, min(2.0, 2 * alone / (time.perf_counter() - started)))


def _time_chapter(
    work: Path, seconds: float, target: Preset, speech: list[Audio]
) -> tuple[float, float, float, float]:
    """A chapter of about `seconds`: two voices taking turns, as in a story
    (so voices are levelled as in one), saying `speech` over and over (a
    second voice at half the level where only one was said; speech-like
    noise where none was). Returns its length, the seconds to make it, to
    join two copies of it into one MP3 (per copy), and to write it as a
    chapter file."""
    first = speech[0] if speech else _noise(4.0)
    second = speech[1] if len(speech) > 1 else _quieter(first)
    items, made = [], 0.0
    for number in range(64):
        clip = (first, second)[number % 2]
        path = write_wav(work / f"{number}.wav", clip)
        segment = Segment("narration", "calibration", 0, 11, paragraph=number // 2)
        line = Line(0, segment, VoiceProfile(f"voice {number % 2}"), "calibration")
        items.append((line, Clip(path, clip.sample_rate, len(clip.pcm) // 2)))
        made += clip.seconds
        if made >= seconds:
            break
    started = time.perf_counter()
    audio = build_chapter(items, work / "w", target=target)
    part = PartStore(work / "parts").put("part", audio, target)
    mastered = time.perf_counter() - started
    started = time.perf_counter()
    join_mp3([part.mp3, part.mp3], work / "joined.mp3")
    joined = (time.perf_counter() - started) / 2
    started = time.perf_counter()
    write_chapter(BookChapter(1, "Calibration", part, work / "chapter.mp3"), BookInfo("C", None, 1))
    tagged = time.perf_counter() - started
    return part.samples / part.sample_rate, mastered, joined, tagged


def _quieter(audio: Audio) -> Audio:
    samples = np.frombuffer(audio.pcm, dtype="<i2") // 2
    return Audio(samples.astype("<i2").tobytes(), audio.sample_rate)


def _noise(seconds: float, rate: int = 22050) -> Audio:
    """Noise shaped into syllables: where no voice can be heard, a stand-in."""
    count = round(seconds * rate)
    envelope = np.abs(np.sin(np.linspace(0, 3 * seconds * np.pi, count)))
    noise = np.random.default_rng(7).normal(0, 0.1, count) * envelope
    return Audio((noise * 32767).astype("<i2").tobytes(), rate)


def _line(xs: list[float], ys: list[float]) -> tuple[float, float]:
    """(fixed, per unit) through two measured points."""
    slope = max(0.0, (ys[1] - ys[0]) / (xs[1] - xs[0]))
    return max(0.0, ys[0] - slope * xs[0]), slope


def _load(path: Path) -> dict[str, dict]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def _to_data(found: Rates) -> dict:
    return dict(json.loads(json.dumps(asdict(found))))  # as it reads back: lists


def _from_data(data: dict) -> Rates | None:
    try:
        fixed, per_second = data["master"]
        join_fixed, join_per_second = data["join"]
        return Rates(
            (float(fixed), float(per_second)),
            (float(join_fixed), float(join_per_second)),
            float(data["chapter_file"]),
            float(data["cover"]),
            float(data["start"]),
            float(data["pair"]),
            {stage: float(scale) for stage, scale in data["scales"].items()},
            {key: VoiceRate(**value) for key, value in data["voices"].items()},
        )
    except (KeyError, TypeError, ValueError):  # an older or damaged record: time again
        return None
