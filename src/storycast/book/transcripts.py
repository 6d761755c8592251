"""transcripts: WebVTT, SRT and Podcasting 2.0 chapters, all from the timing
manifest, at book time (chapter start + line start): one cue per spoken line,
or as captions (the book's own .vtt and .srt), each line cut into pieces a
viewer can read (book/captions.py)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace

from storycast.book.captions import caption_cues, wrap
from storycast.book.timing import BookTiming, ChapterTiming, speaker_label
from storycast.model import Cue


def book_cues(timing: BookTiming, captions: bool = False) -> Iterator[Cue]:
    """Every line's cue at book time (seconds from the start of the book),
    cut to caption size when `captions`."""
    for chapter in timing.chapters:
        for line in chapter.cues:
            cue = Cue(chapter.start + line.start, chapter.start + line.end, line.speaker, line.text)
            if captions:
                yield from caption_cues(cue, speaker_label(cue.speaker))
            else:
                yield cue


def chapter_alone(timing: BookTiming, chapter: ChapterTiming) -> BookTiming:
    """The manifest of one chapter on its own, starting at zero."""
    return replace(timing, chapters=(replace(chapter, start=0.0, end=chapter.duration),))


def webvtt(timing: BookTiming, captions: bool = False) -> str:
    """WebVTT with a voice span per cue: `<v Gene>You're late, Bolly,`; as
    captions, each cue on at most two lines."""
    blocks = ["WEBVTT"]
    for number, cue in enumerate(book_cues(timing, captions), 1):
        voice = _vtt_escape(speaker_label(cue.speaker))
        text = _one_line(cue.text)
        lines = wrap(text) if captions else [text]
        blocks.append(
            f"{number}\n{_clock(cue.start, '.')} --> {_clock(cue.end, '.')}\n"
            f"<v {voice}>" + "\n".join(_vtt_escape(line) for line in lines)
        )
    return "\n\n".join(blocks) + "\n"


def srt(timing: BookTiming, captions: bool = False) -> str:
    """SubRip: no voice markup exists, so the speaker leads the text ("Gene: ...")."""
    blocks = []
    for number, cue in enumerate(book_cues(timing, captions), 1):
        text = f"{speaker_label(cue.speaker)}: {_one_line(cue.text).replace('-->', '->')}"
        lines = wrap(text) if captions else [text]
        blocks.append(
            f"{number}\n{_clock(cue.start, ',')} --> {_clock(cue.end, ',')}\n" + "\n".join(lines)
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
