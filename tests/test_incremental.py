"""Incremental re-render and the joined whole-book files: an edit remakes
only its chapter; a damaged part is made again; the book MP3 and M4B, joined
from the chapters without re-encoding, decode cleanly, last as long as the
chapters (within 50 ms a join), and have each chapter mark where that
chapter's audio starts (found in the decoded audio, within 50 ms)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

import storycast.render as render_module
import storycast.synth as synth
from _books import decode, sample_book
from storycast import ffmpeg
from storycast.book.timing import load
from storycast.cli import app
from storycast.render import RenderOptions, render

pytestmark = pytest.mark.slow

RATE = 44100
STORY = """The Rounds

Chapter 1: Monday

"Your round," Gene said.

Chapter 2: Tuesday

"Still your round," said Alex.

Chapter 3: Wednesday

Luigi poured three glasses and said nothing at all.
"""


@pytest.fixture
def counted(monkeypatch):
    """The real engine and the real chapter builder, with counts of their calls."""
    calls: dict[str, list] = {"spoken": [], "built": []}
    speak, build = synth.synthesize_one, render_module.build_chapter

    def counting_speak(profile, text):
        calls["spoken"].append(text)
        return speak(profile, text)

    def counting_build(items, *args, **kwargs):
        calls["built"].append([line.text for line, _ in items])
        return build(items, *args, **kwargs)

    monkeypatch.setattr(synth, "synthesize_one", counting_speak)
    monkeypatch.setattr(render_module, "build_chapter", counting_build)
    return calls


def files_of(folder: str) -> dict[str, bytes]:
    return {
        p.name: p.read_bytes()
        for p in Path(folder).iterdir()
        if p.is_file() and not p.name.startswith(".")
    }


def test_an_edit_remakes_only_its_chapter_and_the_book_equals_a_clean_render(tmp_path, counted):
    story = tmp_path / "rounds.txt"
    story.write_text(STORY, encoding="utf-8")
    options = RenderOptions(out=tmp_path / "out", jobs=2)
    before = files_of(render(story, options).folder)
    assert len(counted["built"]) == 3
    counted["spoken"].clear(), counted["built"].clear()
    story.write_text(STORY.replace("Still your round", "Still yours"), encoding="utf-8")
    after = files_of(render(story, options).folder)
    assert counted["spoken"] == ["Still yours,"]
    assert len(counted["built"]) == 1 and "Still yours," in counted["built"][0]
    assert after["01 - Chapter 1 Monday.mp3"] == before["01 - Chapter 1 Monday.mp3"]
    assert after["03 - Chapter 3 Wednesday.mp3"] == before["03 - Chapter 3 Wednesday.mp3"]
    assert after["02 - Chapter 2 Tuesday.mp3"] != before["02 - Chapter 2 Tuesday.mp3"]
    clean = files_of(render(story, RenderOptions(out=tmp_path / "clean", jobs=2)).folder)
    assert after == clean
    parts = list((tmp_path / "out" / "the-rounds" / ".parts").glob("*.json"))
    assert len(parts) == 3  # the old chapter 2 is gone


def test_a_damaged_part_is_made_again(tmp_path, counted):
    story = tmp_path / "rounds.txt"
    story.write_text(STORY, encoding="utf-8")
    options = RenderOptions(out=tmp_path / "out", jobs=1)
    clean = files_of(render(story, options).folder)
    parts = sorted((tmp_path / "out" / "the-rounds" / ".parts").glob("*.mp3"))
    parts[0].write_bytes(parts[0].read_bytes()[:1000])  # cut short
    counted["spoken"].clear(), counted["built"].clear()
    assert files_of(render(story, options).folder) == clean
    assert counted["spoken"] == [] and len(counted["built"]) == 1


def test_joined_book_files_play_through_with_marks_where_chapters_start():
    book = sample_book()
    timing = load(Path(book.folder) / "timing.json")
    chapters = [decode(Path(path)) for path in book.chapter_files]
    joins = len(chapters) - 1
    for path in (Path(book.book_file), Path(book.folder) / timing.files["m4b"]):
        errors = subprocess.run(
            ["ffmpeg", "-v", "error", "-nostdin", "-i", str(path), "-f", "null", "-"],
            capture_output=True,
            text=True,
        ).stderr
        assert errors == "", path
        audio = decode(path)
        assert abs(len(audio) - sum(map(len, chapters))) / RATE <= 0.05 * joins, path
        marks = [float(c["start_time"]) for c in ffmpeg.probe(path)["chapters"]]
        assert marks == pytest.approx([c.start for c in timing.chapters], abs=0.001)
        for mark, chapter in zip(marks, chapters):
            assert abs(audio_start(audio, chapter, mark) - mark) <= 0.05, path


def audio_start(book: np.ndarray, chapter: np.ndarray, mark: float) -> float:
    """Where `chapter` starts in `book`, in seconds: its first words found by
    cross-correlation within 0.2 s of where the mark puts them."""
    onset = int(np.flatnonzero(np.abs(chapter) > 0.05)[0])
    words = chapter[onset : onset + RATE // 4]
    expected = round(mark * RATE) + onset
    low = max(0, expected - RATE // 5)
    region = book[low : expected + RATE // 5 + len(words)]
    size = len(region) + len(words)
    correlation = np.fft.irfft(np.fft.rfft(region, size) * np.conj(np.fft.rfft(words, size)), size)
    found = low + int(np.argmax(correlation[: len(region) - len(words) + 1]))
    return (found - onset) / RATE


def test_plan_counts_the_chapters_and_clips_a_render_would_make(tmp_path):
    story = tmp_path / "rounds.txt"
    story.write_text(STORY, encoding="utf-8")
    command = ["render", str(story), "-o", str(tmp_path / "out"), "-j", "1"]
    first = CliRunner().invoke(app, [*command, "--plan"])
    assert first.exit_code == 0, first.output
    assert "3 chapter(s)" in first.output and "0 already made; 3 to make" in first.output
    assert not (tmp_path / "out" / "the-rounds").exists()  # a plan makes nothing
    assert CliRunner().invoke(app, command).exit_code == 0
    story.write_text(STORY.replace("Still your round", "Still yours"), encoding="utf-8")
    second = CliRunner().invoke(app, [*command, "--plan"])
    assert "2 already made; 1 to make" in second.output, second.output
    assert "1 to synthesize" in second.output
