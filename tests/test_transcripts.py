"""Transcripts and chapter lists: made from the timing manifest, checked
against the audio itself."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest

from _books import sample_book
from storycast import ffmpeg
from storycast.book.timing import BookTiming, ChapterTiming, load
from storycast.book.transcripts import podcast_chapters, srt, webvtt
from storycast.model import Cue

_TIMES = re.compile(r"^(\d\d):(\d\d):(\d\d)[.,](\d{3}) --> (\d\d):(\d\d):(\d\d)[.,](\d{3})$")


def _seconds(h: str, m: str, s: str, ms: str) -> float:
    return int(h) * 3600 + int(m) * 60 + int(s) + int(ms) / 1000


def parse_cues(text: str) -> list[tuple[float, float, str]]:
    """(start, end, text) of each cue of a WebVTT or SRT file."""
    cues = []
    for block in text.strip().split("\n\n"):
        lines = block.splitlines()
        for i, line in enumerate(lines):
            if match := _TIMES.match(line):
                parts = match.groups()
                cues.append((_seconds(*parts[:4]), _seconds(*parts[4:]), "\n".join(lines[i + 1 :])))
    return cues


@pytest.mark.slow
def test_vtt_has_one_cue_per_line_with_the_voice():
    book = sample_book()
    timing = load(Path(book.folder) / "timing.json")
    text = (Path(book.folder) / "the-tab.vtt").read_text(encoding="utf-8")
    assert text.startswith("WEBVTT\n\n")
    cues = parse_cues(text)
    lines = [(c, q) for c in timing.chapters for q in c.cues]
    assert len(cues) == len(lines) > 50
    voices = set()
    for (start, end, body), (chapter, line) in zip(cues, lines):
        voice = re.match(r"^<v ([^>]+)>", body).group(1)
        voices.add(voice)
        assert voice == ("Narrator" if line.speaker == "narrator" else line.speaker)
        assert chapter.start <= start < end <= chapter.end
    assert {"Narrator", "Gene", "Alex", "Luigi"} <= voices


WINDOW = 0.02
"""Seconds per window of the loudness envelope."""


def envelope(path: Path) -> list[float]:
    """RMS (dBFS) of every WINDOW of a file's decoded audio."""
    rate = 44100
    pcm = ffmpeg.run(
        ["-i", str(path), "-map", "0:a:0", "-ac", "1", "-ar", str(rate), "-f", "f32le", "-"]
    )
    samples = np.frombuffer(pcm, dtype="<f4")
    window = round(rate * WINDOW)
    frames = samples[: len(samples) // window * window].reshape(-1, window).astype(np.float64)
    power = np.mean(frames**2, axis=1)
    return [10 * np.log10(p) if p > 0 else -np.inf for p in power]


@pytest.mark.slow
def test_vtt_cues_line_up_with_the_sound_within_50_ms():
    # Find where sound starts and stops around each cue in the whole-book MP3:
    # the first and last 20 ms window louder than -60 dBFS (room tone is -70).
    book = sample_book()
    cues = parse_cues((Path(book.folder) / "the-tab.vtt").read_text(encoding="utf-8"))
    levels = envelope(Path(book.book_file))
    loud = [level > -60 for level in levels]
    for start, end, body in cues:
        onset = int((start - 0.3) / WINDOW)
        while not loud[onset]:
            onset += 1
        offset = int((end + 0.3) / WINDOW)
        while not loud[offset]:
            offset -= 1
        assert abs(onset * WINDOW - start) <= 0.05, body
        assert abs((offset + 1) * WINDOW - end) <= 0.05, body
    # and between cues the book is quiet: no sound outside every cue
    inside = [False] * len(levels)
    for start, end, _ in cues:
        for i in range(int(start / WINDOW), min(len(levels), int(end / WINDOW) + 2)):
            inside[i] = True
    stray = [
        i * WINDOW for i, (is_loud, cued) in enumerate(zip(loud, inside)) if is_loud and not cued
    ]
    assert stray == []


@pytest.mark.slow
def test_srt_matches_the_vtt():
    book = sample_book()
    vtt = parse_cues((Path(book.folder) / "the-tab.vtt").read_text(encoding="utf-8"))
    srt_text = (Path(book.folder) / "the-tab.srt").read_text(encoding="utf-8")
    subs = parse_cues(srt_text)
    assert [(s, e) for s, e, _ in subs] == [(s, e) for s, e, _ in vtt]
    assert srt_text.startswith("1\n")
    for (_, _, sub), (_, _, cue) in zip(subs, vtt):
        voice, words = re.match(r"^<v ([^>]+)>(.*)$", cue).groups()
        assert sub == f"{voice}: {words}".replace("&amp;", "&").replace("&lt;", "<").replace(
            "&gt;", ">"
        )


@pytest.mark.slow
def test_chapters_json_is_podcasting_2_and_matches_the_m4b():
    book = sample_book()
    data = json.loads((Path(book.folder) / "chapters.json").read_text(encoding="utf-8"))
    assert data["version"] == "1.2.0"
    m4b = ffmpeg.probe(Path(book.folder) / "the-tab.m4b")["chapters"]
    assert [c["title"] for c in data["chapters"]] == [c["tags"]["title"] for c in m4b]
    for entry, chapter in zip(data["chapters"], m4b):
        assert abs(entry["startTime"] - float(chapter["start_time"])) <= 0.001


@pytest.mark.slow
def test_timing_manifest_describes_the_files():
    book = sample_book()
    folder = Path(book.folder)
    timing = load(folder / "timing.json")
    assert (timing.title, timing.slug, timing.master, timing.sample_rate) == (
        "The Tab",
        "the-tab",
        "acx",
        44100,
    )
    for role in ("mp3", "m4b", "vtt", "srt", "chapters", "cover", "script"):
        assert (folder / timing.files[role]).is_file(), role
    previous_end = 0.0
    for chapter in timing.chapters:
        assert (folder / chapter.file).is_file()
        # joins add the next chapter's encoder priming and the last frame's padding
        assert 0 <= chapter.start - previous_end <= 0.05
        assert abs(chapter.duration - chapter.samples / 44100) <= 0.001
        previous_end = chapter.end
    assert abs(timing.duration - book.seconds) <= 0.001


def _tiny_timing(text: str, speaker: str = "Gene", start: float = 3725.5) -> BookTiming:
    chapter = ChapterTiming(
        1, "One", "01 - One.mp3", start, start + 10, 441000, (Cue(1.0, 2.25, speaker, text),)
    )
    return BookTiming("T", None, "t", "acx", 44100, (chapter,))


def test_cue_text_is_escaped_and_kept_on_one_line():
    timing = _tiny_timing("Fish & <chips>\n\nplease")
    vtt = webvtt(timing)
    assert "01:02:06.500 --> 01:02:07.750" in vtt
    assert "<v Gene>Fish &amp; &lt;chips&gt; please" in vtt
    assert "00:00:00" not in srt(timing)
    assert "01:02:06,500 --> 01:02:07,750\nGene: Fish & <chips> please" in srt(timing)
    assert json.loads(podcast_chapters(timing))["chapters"] == [
        {"startTime": 3725.5, "title": "One"}
    ]


def test_narrator_is_named_in_transcripts():
    assert "<v Narrator>It rained." in webvtt(_tiny_timing("It rained.", "narrator"))
