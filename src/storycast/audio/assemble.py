"""assemble: a chapter's clips + pauses -> its mastered PCM (see master.py:
one loudness for every voice, the preset's level, room tone), with the
timing of every line, and the recipe that names it as a part (parts.py).
Clips stream to a file: at most one clip is held in memory."""

from __future__ import annotations

import functools
import hashlib
import json
import os
import wave
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from storycast import ffmpeg
from storycast.audio.frames import aligned_length
from storycast.audio.master import (
    OUTPUT_RATE,
    PRESETS,
    Preset,
    master_chapter,
    voice_corrections,
    voice_gains,
)
from storycast.model import ChapterAudio, Clip, Cue, Line

SAMPLE_RATE = 22050
"""The assembly rate; mastering resamples to OUTPUT_RATE."""
_UPSAMPLING = OUTPUT_RATE // SAMPLE_RATE
_SHAPING_MODULES = ("assemble.py", "master.py", "measure.py", "parts.py", "frames.py")
"""The code that makes a chapter part: a change to it makes every part anew."""
STEPS = ("voices levelled", "laid out", "mastered")
"""What build_chapter reports to `step`, in order."""
TRIM_LEVEL = 10 ** (-55 / 20)
"""Padding at a clip's ends quieter than this (-55 dBFS RMS) is cut."""
TRIM_WINDOW = 0.005
"""Seconds per RMS window when finding a clip's first and last sound."""
VOICE_TOLERANCE = 0.5
"""LU a voice may sit off the others in a mastered chapter before it is corrected."""
TRIM_MARGIN = 0.01
"""Seconds kept (and faded) either side of the first and last sound of a clip."""


@dataclass(frozen=True)
class Pauses:
    """Seconds of room tone between lines."""

    head: float = 0.75
    """At the start of every chapter file."""
    tail: float = 2.0
    """At the end of every chapter file."""
    line: float = 0.6
    """Between lines of one paragraph (clips are trimmed of the engine's own
    trailing silence, about 0.3 s for espeak-ng, so the pauses hold it)."""
    speaker_change: float = 0.2
    """Added when the voice changes."""
    paragraph: float = 0.95
    heading: float = 1.3
    """After a title or chapter heading."""
    scene: float = 2.1


def chapter_recipe(items: list[tuple[Line, str]], pauses: Pauses, target: Preset) -> str:
    """A hash of everything that shapes a chapter's audio and cues: its lines'
    clip keys, voices, speakers and texts, the pauses between them, the
    preset, and the code and ffmpeg that make it. Equal recipes, equal parts."""
    entries = [
        [gap, clip_key, line.profile.name, line.segment.speaker, line.text]
        for (line, clip_key), gap in zip(items, _gaps([line for line, _ in items], pauses))
    ]
    blob = json.dumps(
        [_code_fingerprint(), asdict(pauses), asdict(target), entries], ensure_ascii=False
    )
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


@functools.cache
def _code_fingerprint() -> str:
    digest = hashlib.sha256(ffmpeg.version().encode("utf-8"))
    for module in _SHAPING_MODULES:
        digest.update(Path(__file__).with_name(module).read_bytes())
    return digest.hexdigest()


def build_chapter(
    items: list[tuple[Line, Clip]],
    work: Path,
    pauses: Pauses = Pauses(),
    target: Preset = PRESETS["acx"],
    step: Callable[[], None] | None = None,
) -> ChapterAudio:
    """A chapter's mastered audio (a raw PCM file in `work`, which is the
    chapter's own) and the timing of its lines.

    Lines and pauses are laid out as float PCM (so a voice's gain cannot
    clip), each voice first brought to one loudness over its lines in the
    chapter, then mastered; after the first mastering try each voice is
    measured in the mastered audio, and if the limiter has pulled some voices
    apart, their gains are corrected before the next try. The chapter depends
    on its own lines only, so it can be kept and reused as a part. `step`,
    if given, is called as each of STEPS is done (for a progress bar)."""
    done = step or (lambda: None)
    work.mkdir(parents=True, exist_ok=True)
    gains = voice_gains(
        ((line.profile.name, speech(clip)) for line, clip in items), SAMPLE_RATE, work
    )
    done()
    raw, mastered = work / "chapter.f32", work / "chapter.pcm"
    cues, length = _write_raw(raw, items, pauses, gains)
    done()
    spans = [(line.profile.name, cue.start, cue.end) for (line, _), cue in zip(items, cues)]

    def level_voices() -> bool:
        corrections = voice_corrections(mastered, OUTPUT_RATE, spans, work)
        if all(abs(c) <= VOICE_TOLERANCE for c in corrections.values()):
            return False
        for voice, correction in corrections.items():
            gains[voice] = gains.get(voice, 0.0) + correction
        _write_raw(raw, items, pauses, gains)  # the same cues: gains move no line
        return True

    count = master_chapter(raw, SAMPLE_RATE, mastered, target, level_voices)
    done()
    raw.unlink()
    if count > length:  # cut the tail's room tone to the aligned length
        os.truncate(mastered, length * 2)
        count = length
    return ChapterAudio(str(mastered), OUTPUT_RATE, count, tuple(cues))


def _write_raw(
    raw: Path, items: list[tuple[Line, Clip]], pauses: Pauses, gains: dict[str, float]
) -> tuple[list[Cue], int]:
    """Lay the chapter out in `raw`; return its cues and its length once
    mastered: at least the tail pause long, at the aligned length (frames.py)."""
    cues: list[Cue] = []
    samples = 0
    with open(raw, "wb") as out:
        for (line, clip), gap in zip(items, _gaps([line for line, _ in items], pauses)):
            samples += _write(out, silence(gap))
            start = samples / SAMPLE_RATE
            samples += _write(out, speech(clip) * 10 ** (gains.get(line.profile.name, 0.0) / 20))
            cues.append(Cue(start, samples / SAMPLE_RATE, line.segment.speaker, line.text))
        tail = pauses.tail if items else pauses.head
        length = aligned_length((samples + round(tail * SAMPLE_RATE)) * _UPSAMPLING)
        _write(out, np.zeros(-(-length // _UPSAMPLING) - samples, dtype=np.float32))
    return cues, length


def _gaps(lines: list[Line], pauses: Pauses) -> Iterator[float]:
    """The pause before each line (the head before the first)."""
    previous: Line | None = None
    for line in lines:
        yield pauses.head if previous is None else _pause(previous, line, pauses)
        previous = line


def _pause(previous: Line, line: Line, pauses: Pauses) -> float:
    before, after = previous.segment, line.segment
    if before.kind == "heading":
        gap = pauses.heading
    elif after.scene != before.scene:
        gap = pauses.scene
    elif after.paragraph != before.paragraph:
        gap = pauses.paragraph
    else:
        gap = pauses.line
    if before.speaker != after.speaker:
        gap += pauses.speaker_change
    return gap


def _write(out, samples: np.ndarray) -> int:
    out.write(samples.astype("<f4").tobytes())
    return len(samples)


def load_clip(clip: Clip) -> bytes:
    """A clip as mono 16-bit PCM at the assembly rate. The built-in engines
    speak at that rate; another engine's clip is converted by ffmpeg."""
    with wave.open(str(clip.path), "rb") as wav:
        layout = (wav.getframerate(), wav.getnchannels(), wav.getsampwidth())
        pcm = wav.readframes(wav.getnframes())
    if layout == (SAMPLE_RATE, 1, 2):
        return pcm
    return ffmpeg.run(
        ["-i", str(clip.path), "-ac", "1", "-ar", str(SAMPLE_RATE), "-f", "s16le", "-"]
    )


def speech(clip: Clip) -> np.ndarray:
    """A clip as float samples (full scale 1.0) without the engine's leading and
    trailing silence: the pauses around a line are assemble's to set, and the
    engine's padding is digital silence of uneven length. The cut is where the
    RMS of TRIM_WINDOW stretches crosses TRIM_LEVEL, kept TRIM_MARGIN wide and
    faded over it, so the line's cue starts and ends with its sound."""
    samples = np.frombuffer(load_clip(clip), dtype="<i2").astype(np.float32) / 32768
    window = round(TRIM_WINDOW * SAMPLE_RATE)
    usable = len(samples) // window * window
    power = np.mean(samples[:usable].reshape(-1, window) ** 2, axis=1)
    sound = np.flatnonzero(power > TRIM_LEVEL**2)
    if not len(sound):
        return samples[:0]
    margin = round(TRIM_MARGIN * SAMPLE_RATE)
    first, last = sound[0] * window, (sound[-1] + 1) * window
    kept = samples[max(0, first - margin) : last + margin].copy()
    fade = np.linspace(0.0, 1.0, min(margin, len(kept) // 2), dtype=np.float32)
    if len(fade):
        kept[: len(fade)] *= fade
        kept[-len(fade) :] *= fade[::-1]
    return kept


def silence(seconds: float) -> np.ndarray:
    """Zeros: mastering lays room tone under the whole chapter."""
    return np.zeros(round(seconds * SAMPLE_RATE), dtype=np.float32)
