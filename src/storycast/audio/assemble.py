"""assemble: clips + pauses + room tone -> one PCM stream per chapter, with
the timing of every line. One chapter at a time is held in memory."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pydub import AudioSegment

from storycast.model import ChapterAudio, Cue, Line
from storycast.synth import Clip

SAMPLE_RATE = 22050
ROOM_TONE_DBFS = -70.0


@dataclass(frozen=True)
class Pauses:
    """Seconds of room tone between lines."""

    head: float = 0.75
    """At the start of every chapter file."""
    tail: float = 2.0
    """At the end of every chapter file."""
    line: float = 0.3
    """Between lines of one paragraph."""
    speaker_change: float = 0.2
    """Added when the voice changes."""
    paragraph: float = 0.65
    heading: float = 1.0
    """After a title or chapter heading."""
    scene: float = 1.8


def assemble(lines: list[Line], clips: list[Clip], chapter_titles: list[str], work: Path,
             pauses: Pauses = Pauses()) -> Iterator[ChapterAudio]:
    """Yield each chapter's audio (a raw PCM file in `work`) as it is built."""
    work.mkdir(parents=True, exist_ok=True)
    by_chapter: dict[int, list[tuple[Line, Clip]]] = {}
    for line, clip in zip(lines, clips):
        by_chapter.setdefault(line.chapter, []).append((line, clip))
    for index, title in enumerate(chapter_titles):
        yield _chapter(index, title, by_chapter.get(index, []), work, pauses)


def _chapter(index: int, title: str, items: list[tuple[Line, Clip]], work: Path,
             pauses: Pauses) -> ChapterAudio:
    path = work / f"chapter-{index + 1:04d}.pcm"
    cues: list[Cue] = []
    samples = 0
    with open(path, "wb") as out:
        previous: Line | None = None
        for line, clip in items:
            gap = pauses.head if previous is None else _pause(previous, line, pauses)
            samples += _write(out, room_tone(gap))
            pcm = load_clip(clip)
            start = samples / SAMPLE_RATE
            samples += _write(out, pcm)
            cues.append(Cue(start, samples / SAMPLE_RATE, line.segment.speaker, line.text))
            previous = line
        samples += _write(out, room_tone(pauses.head if previous is None else pauses.tail))
    return ChapterAudio(index, title, str(path), SAMPLE_RATE, samples, tuple(cues))


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


def _write(out, pcm: bytes) -> int:
    out.write(pcm)
    return len(pcm) // 2


def load_clip(clip: Clip) -> bytes:
    """A clip as mono 16-bit PCM at the assembly rate."""
    segment = AudioSegment.from_wav(clip.path)
    if segment.frame_rate != SAMPLE_RATE or segment.channels != 1 or segment.sample_width != 2:
        segment = segment.set_frame_rate(SAMPLE_RATE).set_channels(1).set_sample_width(2)
    return segment.raw_data


_TONE_SECONDS = 1.0


def _tone_loop() -> bytes:
    """One second of very quiet noise: ACX treats digital silence as a fault."""
    generator = random.Random(1981)
    sigma = 32768 * 10 ** (ROOM_TONE_DBFS / 20)
    values = (max(-32768, min(32767, round(generator.gauss(0, sigma))))
              for _ in range(int(SAMPLE_RATE * _TONE_SECONDS)))
    return b"".join(v.to_bytes(2, "little", signed=True) for v in values)


_TONE = _tone_loop()


def room_tone(seconds: float) -> bytes:
    size = round(seconds * SAMPLE_RATE) * 2
    return (_TONE * (size // len(_TONE) + 1))[:size]
