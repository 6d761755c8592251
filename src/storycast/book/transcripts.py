"""transcripts: WebVTT, SRT and Podcasting 2.0 chapters, all from the timing
manifest: one cue per spoken line, at book time (chapter start + line start)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace

from storycast.book.timing import BookTiming, ChapterTiming, speaker_label
from storycast.model import Cue


def book_cues(timing: BookTiming) -> Iterator[Cue]:
    """Every line's cue at book time (seconds from the start of the book)."""
    for chapter in timing.chapters:
        for cue in chapter.cues:
            yield Cue(chapter.start + cue.start, chapter.start + cue.end, cue.speaker, cue.text)


def chapter_alone(timing: BookTiming, chapter: ChapterTiming) -> BookTiming:
    """The manifest of one chapter on its own, starting at zero."""
    return replace(timing, chapters=(replace(chapter, start=0.0, end=chapter.duration),))


def webvtt(timing: BookTiming) -> str:
    """WebVTT with a voice span per cue: `<v Gene>You're late, Bolly,`."""
    blocks = ["WEBVTT"]
    for number, cue in enumerate(book_cues(timing), 1):
        voice = _vtt_escape(speaker_label(cue.speaker))
        blocks.append(
            f"{number}\n{_clock(cue.start, '.')} --> {_clock(cue.end, '.')}\n"
            f"<v {voice}>{_vtt_escape(_one_line(cue.text))}"
        )
    return "\n\n".join(blocks) + "\n"


def srt(timing: BookTiming) -> str:
    """SubRip: no voice markup exists, so the speaker leads the text ("Gene: ...")."""
    blocks = []
    for number, cue in enumerate(book_cues(timing), 1):
        blocks.append(
            f"{number}\n{_clock(cue.start, ',')} --> {_clock(cue.end, ',')}\n"
            f"{speaker_label(cue.speaker)}: {_one_line(cue.text).replace('-->', '->')}"
        )
    return "\n\n".join(blocks) + "\n"


def podcast_chapters(timing: BookTiming) -> str:
    """Podcasting 2.0 JSON chapters (version 1.2.0): start times in seconds."""
    data = {
        "version": "1.2.0",
        "chapters": [{"startTime": round(c.start, 3), "title": c.title} for c in timing.chapters],
    }
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def _clock(seconds: float, decimal: str) -> str:
    """HH:MM:SS.mmm (or ,mmm for SRT), rounded to the millisecond."""
    ms = max(0, round(seconds * 1000))
    hours, ms = divmod(ms, 3_600_000)
    minutes, ms = divmod(ms, 60_000)
    secs, ms = divmod(ms, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}{decimal}{ms:03d}"


def _one_line(text: str) -> str:
    """Cue text on one line: a blank line would end the cue."""
    return " ".join(text.split())


def _vtt_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
