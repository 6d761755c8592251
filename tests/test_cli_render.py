"""render's ways of working, driven through the command line with the fake
engine (a tone per line): progress in a log and in a terminal, partial
renders, the casting preview, the plan as JSON; and `voices --story`."""

from __future__ import annotations

import json
import re
import wave
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fake_engine import FakeEngine
from storycast.audio.assemble import STEPS
from storycast.cli import app
from storycast.render import RenderOptions, render

runner = CliRunner()
STORY = """The Call

Chapter 1: The Ring

"Is anyone there?" Anna asked.

The line went dead. She waited by the window for a long time.

Chapter 2: The Answer

"Only me," said Tom.

He put the phone down and went out into the rain.

Chapter 3: The Morning

Nobody called again, and in the morning the rain had stopped.
"""


@pytest.fixture
def story(tmp_path: Path) -> Path:
    path = tmp_path / "call.txt"
    path.write_text(STORY, encoding="utf-8")
    return path


def run(*args: str | Path) -> tuple[int, str, str]:
    result = runner.invoke(app, [str(arg) for arg in args])
    return result.exit_code, result.stdout, result.stderr


def test_without_a_terminal_progress_is_a_line_per_stage_and_chapter(
    story: Path, fake_voices: Path, tmp_path: Path
) -> None:
    code, _, log = run("render", story, "-o", tmp_path / "out", "--voices", fake_voices, "-j", "1")
    assert code == 0, log
    lines = log.splitlines()
    assert all(re.match(r"\[ *\d+\.\d s\] ", line) for line in lines), log
    for stage in ("Reading the story", "Synthesizing", "Mastering", "Chapters made"):
        assert any(f"] {stage}" in line and "done in" in line for line in lines), stage
    assert any("Writing the book" in line and "done in" in line for line in lines)
    for number in (1, 2):
        assert any(f"Chapters made: {number} of 3" in line for line in lines)
    assert re.search(r"done in \d+ s$", lines[-1])
    elapsed = [float(re.match(r"\[ *([\d.]+) s\]", line).group(1)) for line in lines]  # type: ignore[union-attr]
    assert elapsed == sorted(elapsed)


def test_the_mastering_bar_moves_before_a_chapter_is_finished(
    story: Path, fake_voices: Path, tmp_path: Path
) -> None:
    events: list[tuple[str, int]] = []
    totals: dict[str, int] = {}

    def progress(description: str, total: int) -> Callable[[int], None]:
        totals[description] = total
        return lambda n=1: events.append((description, n))

    render(story, RenderOptions(out=tmp_path / "out", jobs=1, voices=[fake_voices]), progress)
    order = [description for description, _ in events]
    first_chapter = order.index("Chapters made")
    assert order[:first_chapter].count("Mastering") >= len(STEPS)
    for description, total in totals.items():  # every bar ends full
        assert sum(n for d, n in events if d == description) == total, description
    assert order.count("Writing the book") == 3 + 2  # each chapter file, then each join


def test_chapters_renders_only_those_and_no_book_file(
    story: Path, fake_voices: Path, tmp_path: Path, fake_engine: type[FakeEngine]
) -> None:
    out = tmp_path / "out"
    code, printed, log = run(
        "render", story, "-o", out, "--voices", fake_voices, "--chapters", "2-3"
    )
    assert code == 0, log
    folder = out / "the-call"
    made = sorted(p.name for p in folder.glob("*.mp3"))
    assert made == ["02 - Chapter 2 The Answer.mp3", "03 - Chapter 3 The Morning.mp3"]
    assert not list(folder.glob("*.m4b")) and not (folder / "timing.json").exists()
    assert not any("anyone there" in text for text in fake_engine.spoken)
    assert "2-3 only" in printed
    partial = (folder / made[0]).read_bytes()
    fake_engine.spoken.clear()
    code, _, log = run("render", story, "-o", out, "--voices", fake_voices)
    assert code == 0, log
    assert all("Tom" not in text and "Only me" not in text for text in fake_engine.spoken)
    assert (folder / made[0]).read_bytes() == partial  # the same file a whole render writes
    assert (folder / "timing.json").exists()


@pytest.mark.parametrize("chapters,code", [("4", 1), ("0", 2), ("2-x", 2), ("3-1", 2)])
def test_chapters_outside_the_story_are_refused(
    story: Path, fake_voices: Path, tmp_path: Path, chapters: str, code: int
) -> None:
    out = tmp_path / "out"
    result = runner.invoke(
        app,
        [
            "render",
            str(story),
            "-o",
            str(out),
            "--voices",
            str(fake_voices),
            "--chapters",
            chapters,
        ],
    )
    assert result.exit_code == code, result.output
    assert "chapter" in result.output
    assert not list(out.glob("*/*.mp3"))


def test_preview_says_each_voice_own_lines_up_to_about_a_minute(
    fake_voices: Path, tmp_path: Path, fake_engine: type[FakeEngine]
) -> None:
    long_narration = " ".join(f"Sentence number {n} of a long, quiet afternoon." for n in range(80))
    story = tmp_path / "long.txt"
    story.write_text(f'Long\n\n"Hello," said Tom.\n\n{long_narration}\n\n"Bye," said Anna.\n')
    code, printed, log = run(
        "render", story, "-o", tmp_path / "out", "--voices", fake_voices, "--preview"
    )
    assert code == 0, log
    folder = tmp_path / "out" / "long" / "preview"
    files = {p.stem: p for p in folder.glob("*.wav")}
    assert set(files) == {"narrator", "male", "female"}
    seconds = {name: _seconds(path) for name, path in files.items()}
    assert 45 < seconds["narrator"] < 90  # about a minute of a much longer narration
    assert seconds["male"] == pytest.approx(
        len("Hello,") * FakeEngine.SECONDS_PER_CHARACTER, abs=0.05
    )
    assert not list((tmp_path / "out" / "long").glob("*.mp3"))  # nothing else rendered
    assert "Tom" in printed and "Anna" in printed


def _seconds(path: Path) -> float:
    with wave.open(str(path), "rb") as audio:
        return audio.getnframes() / audio.getframerate()


def test_plan_as_json(story: Path, fake_voices: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, printed, log = run(
        "render", story, "-o", out, "--voices", fake_voices, "--plan", "--json"
    )
    assert code == 0, log
    plan = json.loads(printed)
    assert (plan["chapters"], plan["chapters_to_make"]) == (3, 3)
    assert plan["to_synthesize"] == plan["lines"] > 0
    assert plan["estimated_seconds"] == pytest.approx(sum(plan["stages"].values()))
    assert plan["stages"]["master"] > 0
    assert not out.exists() or not list(out.glob("*/*.mp3"))


def test_voices_story_shows_the_casting_a_render_uses(
    story: Path, fake_voices: Path, tmp_path: Path
) -> None:
    code, printed, log = run("voices", "--story", story, "--voices", fake_voices, "--json")
    assert code == 0, log
    cast = {row["character"]: row["voice"] for row in json.loads(printed)["cast"]}
    book = render(story, RenderOptions(out=tmp_path / "out", jobs=1, voices=[fake_voices]))
    assert cast == book.voices
    code, text, _ = run("voices", "--story", story, "--voices", fake_voices)
    assert all(re.search(rf"^{name}\s+{voice}\s", text, re.M) for name, voice in cast.items())


def test_voices_as_json(fake_voices: Path) -> None:
    code, printed, log = run("voices", "--voices", fake_voices, "--json")
    assert code == 0, log
    profiles = {p["name"]: p for p in json.loads(printed)["profiles"]}
    assert profiles["narrator"]["engine"] == "fake" and profiles["narrator"]["pitch"] == 40
