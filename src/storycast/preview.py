"""preview: about a minute of each voice in the cast saying its own lines,
so the casting can be heard before a long render. The clips go into the
clip cache, so the render that follows does not say them again."""

from __future__ import annotations

import wave
from dataclasses import dataclass
from pathlib import Path

from storycast.book.layout import BookFolder
from storycast.files import write_wav
from storycast.model import Audio, Clip, Line, ProgressFactory
from storycast.render import RenderOptions, folder_lock, prepare
from storycast.synth import CHARS_PER_SPOKEN_SECOND, synthesize

PREVIEW_SECONDS = 60.0
"""About this much of each voice (judged from its text before it is said)."""
GAP_SECONDS = 0.5
"""Silence between two lines of a preview."""


@dataclass(frozen=True)
class VoicePreview:
    voice: str
    """The voice profile's name."""
    speakers: tuple[str, ...]
    """Who it speaks for in this story, in order of their first line."""
    file: Path
    seconds: float


def preview(
    story: Path, options: RenderOptions, progress: ProgressFactory | None = None
) -> list[VoicePreview]:
    """One WAV per voice (OUT/<book>/preview/VOICE.wav): its first lines in
    the story, up to about PREVIEW_SECONDS, with short gaps between them."""
    job = prepare(story, options)
    chosen = first_lines(job.lines, PREVIEW_SECONDS)
    every = [line for lines in chosen.values() for line in lines]
    advance = progress("Synthesizing", len(every)) if progress else None
    clips = iter(synthesize(every, job.cache, options.jobs, advance))
    folder = BookFolder.for_title(options.out, job.script.title)
    previews = []
    with folder_lock(folder):
        for voice, lines in chosen.items():
            audio = _joined([next(clips) for _ in lines])
            path = write_wav(folder.preview(voice), audio)
            speakers = tuple(dict.fromkeys(line.segment.voiced_by for line in lines))
            previews.append(VoicePreview(voice, speakers, path, audio.seconds))
    return previews


def first_lines(lines: list[Line], seconds: float) -> dict[str, list[Line]]:
    """Each voice's first lines, until about `seconds` of speech (at least
    one line each), voices in order of their first line."""
    chosen: dict[str, list[Line]] = {}
    spoken: dict[str, float] = {}
    for line in lines:
        voice = line.profile.name
        if spoken.get(voice, 0.0) >= seconds:
            continue
        chosen.setdefault(voice, []).append(line)
        spoken[voice] = spoken.get(voice, 0.0) + len(line.text) / CHARS_PER_SPOKEN_SECOND
    return chosen


def _joined(clips: list[Clip]) -> Audio:
    """The clips one after another with GAP_SECONDS between, at the first
    clip's rate (one voice speaks at one rate)."""
    rate = clips[0].sample_rate
    gap = bytes(2 * round(GAP_SECONDS * rate))
    pieces = []
    for clip in clips:
        with wave.open(str(clip.path), "rb") as reader:
            pieces.append(reader.readframes(reader.getnframes()))
    return Audio(gap.join(pieces), rate)
