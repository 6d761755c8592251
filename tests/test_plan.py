"""render --plan's estimate: from this machine's measured rates, timed once
and kept in the user's cache folder (the session's own here, see conftest),
and from the work a render would do. How close it comes is measured by
benchmarks/plan_accuracy.py; here, that it is built from the right parts."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from fake_engine import FakeEngine
from storycast.calibrate import LONG_LINE, SHORT_LINE, cache_file
from storycast.estimate import speedup
from storycast.plan import plan_render
from storycast.render import RenderOptions, render

CHAPTER = """Chapter {n}: Part {n}

"Is anyone there?" Anna asked, for the {n}th time.

The line went dead, and she waited by the window for the rain to stop.
"""


def story_of(folder: Path, chapters: int) -> Path:
    path = folder / f"story-{chapters}.txt"
    body = "\n".join(CHAPTER.format(n=n) for n in range(1, chapters + 1))
    path.write_text(f"A Story of {chapters}\n\n{body}", encoding="utf-8")
    return path


def test_the_machine_is_timed_once_and_the_figures_kept(
    fake_voices: Path, tmp_path: Path, fake_engine: type[FakeEngine]
) -> None:
    options = RenderOptions(out=tmp_path / "out", jobs=1, voices=[fake_voices])
    plan_render(story_of(tmp_path, 1), options)
    kept = cache_file().read_text(encoding="utf-8")
    (machine,) = json.loads(kept).values()
    assert machine["master"][1] > 0 and machine["join"][0] > 0 and 1 <= machine["pair"] <= 2
    assert {"per_line", "per_char", "speech_per_char"} <= set(
        next(iter(machine["voices"].values()))
    )
    fake_engine.spoken.clear()
    plan_render(story_of(tmp_path, 2), options)
    assert cache_file().read_text(encoding="utf-8") == kept
    assert SHORT_LINE not in fake_engine.spoken and LONG_LINE not in fake_engine.spoken


@pytest.mark.slow  # times the machine again: some seconds
def test_a_damaged_record_is_timed_again(
    fake_voices: Path, tmp_path: Path, fake_engine: type[FakeEngine]
) -> None:
    options = RenderOptions(out=tmp_path / "out", jobs=1, voices=[fake_voices])
    plan_render(story_of(tmp_path, 1), options)
    path = cache_file()
    kept = path.read_text(encoding="utf-8")
    try:
        path.write_text("{not json", encoding="utf-8")
        assert plan_render(story_of(tmp_path, 1), options).estimated_seconds > 0
        assert json.loads(path.read_text(encoding="utf-8"))
    finally:
        path.write_text(kept, encoding="utf-8")  # the session's figures, for later tests


def test_the_estimate_follows_the_work_left(
    fake_voices: Path, tmp_path: Path, fake_engine: type[FakeEngine]
) -> None:
    options = RenderOptions(out=tmp_path / "out", jobs=1, voices=[fake_voices])
    short, long = story_of(tmp_path, 1), story_of(tmp_path, 4)
    cold = plan_render(long, options)
    assert plan_render(short, options).stages["master"] < cold.stages["master"]
    render(long, options)
    warm = plan_render(long, options)
    assert warm.stages["synthesize"] == warm.stages["master"] == 0
    assert cold.stages["master"] > 0 and warm.stages["book"] > 0
    assert warm.estimated_seconds == pytest.approx(sum(warm.stages.values()))
    one = plan_render(long, RenderOptions(**{**options.__dict__, "chapters": frozenset({2})}))
    assert one.chapters == 1 and one.stages["book"] < warm.stages["book"]


def test_a_render_teaches_the_estimate_its_measured_time(
    fake_voices: Path, tmp_path: Path, fake_engine: type[FakeEngine]
) -> None:
    options = RenderOptions(out=tmp_path / "out", jobs=1, voices=[fake_voices])
    story = story_of(tmp_path, 2)
    plan_render(story, options)  # the machine is timed (once a session)
    path = cache_file()
    kept = path.read_text(encoding="utf-8")
    try:
        (figures,) = json.loads(kept).values()
        figures["scales"] = {"master": 3.0}  # as if renders had taken three times the figures
        path.write_text(json.dumps({key: figures for key in json.loads(kept)}))
        before = plan_render(story, options).stages["master"]
        render(story, options)
        (learnt,) = json.loads(path.read_text(encoding="utf-8")).values()
        assert learnt["scales"]["master"] < 3.0  # a real render took less: the scale came down
        assert learnt["scales"]["book"] > 0
        fresh = RenderOptions(out=tmp_path / "fresh", jobs=1, voices=[fake_voices])
        after = plan_render(story, fresh)  # the same work to do, in an empty folder
        assert after.chapters_to_make == 2 and 0 < after.stages["master"] < before
    finally:
        path.write_text(kept, encoding="utf-8")


def test_workers_help_only_as_much_as_measured() -> None:
    from storycast.calibrate import Rates

    assert speedup(Rates(pair=1.0), 8) == 1.0
    assert speedup(Rates(pair=2.0), 4) == 4.0
    assert speedup(Rates(pair=1.5), 3) == 2.0


@pytest.mark.slow
def test_the_estimate_is_near_a_real_render(tmp_path: Path) -> None:
    """A loose check (the benchmark measures the error): a short real render
    takes between half and twice its estimate, machine timing excluded."""
    story = story_of(tmp_path, 2)
    command = [sys.executable, "-m", "storycast", "render", str(story), "-o", str(tmp_path / "o")]
    subprocess.run([*command, "--plan"], check=True, capture_output=True)  # times the machine
    planned = subprocess.run([*command, "--plan", "--json"], check=True, capture_output=True)
    estimate = json.loads(planned.stdout)["estimated_seconds"]
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    measured = time.perf_counter() - started
    assert 0.5 < estimate / measured < 2, (estimate, measured)
