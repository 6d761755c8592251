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
from storycast.synth import CHARS_PER_SPOKEN_SECOND, ClipCache, synthesize

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
    said = _first_lines(job.lines, job.cache, options.jobs, progress)
    folder = BookFolder.for_title(options.out, job.script.title)
    previews = []
    with folder_lock(folder):
        for voice, spoken in said.items():
            audio = _joined([clip for _, clip in spoken])
            path = write_wav(folder.preview(voice), audio)
            speakers = tuple(dict.fromkeys(line.segment.voiced_by for line, _ in spoken))
            previews.append(VoicePreview(voice, speakers, path, audio.seconds))
    return previews


def _first_lines(
    lines: list[Line], cache: ClipCache, jobs: int, progress: ProgressFactory | None
) -> dict[str, list[tuple[Line, Clip]]]:
    """Each voice's first lines and their clips, until about PREVIEW_SECONDS
    of its speech, voices in order of their first line. Lines are chosen by
    an estimate of their length, said, measured, and more are taken (at the
    pace measured) while a voice falls short."""
    pending: dict[str, list[Line]] = {}
    for line in lines:
        pending.setdefault(line.profile.name, []).append(line)
    said: dict[str, list[tuple[Line, Clip]]] = {voice: [] for voice in pending}
    while batch := [line for voice in pending for line in _next_lines(pending[voice], said[voice])]:
        advance = progress("Synthesizing", len(batch)) if progress else None
        for line, clip in zip(batch, synthesize(batch, cache, jobs, advance)):
            said[line.profile.name].append((line, clip))
    return said


def _next_lines(pending: list[Line], said: list[tuple[Line, Clip]]) -> list[Line]:
    """Lines to take from the front of `pending` (removed from it) to bring a
    voice to about PREVIEW_SECONDS, at its pace so far."""
    seconds = sum(clip.samples / clip.sample_rate for _, clip in said)
    chars = sum(len(line.text) for line, _ in said)
    pace = chars / seconds if seconds > 0 else CHARS_PER_SPOKEN_SECOND
    taken: list[Line] = []
    while pending and seconds < PREVIEW_SECONDS:
        taken.append(pending.pop(0))
        seconds += len(taken[-1].text) / pace
    return taken


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
