"""Crash safety: a render killed with SIGKILL at any moment costs only the time
since the last clip. The rerun resumes from the cache and writes files
byte-identical to an uninterrupted render, and nothing half-written ever
sits at a final path. Two renders of one story at once both finish right."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

STORY = """The Stake-out

by Anon

Chapter 1: Waiting

Rain ran down the windscreen. "How long now?" Alex asked.

"As long as it takes, Bolly," Gene said. He unwrapped a sandwich.

"That's not an answer."

"It's the only one you're getting."

Chapter 2: Moving

The door opened across the road. "Signorina! Signor Hunt!" Luigi waved a tea towel.

"Not now, Luigi," said Gene, and started the engine.
"""
KILLS = 20


def render_command(story: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "storycast", "render", str(story), "-o", str(out), "-j", "2"]


def book_files(out: Path) -> dict[str, bytes]:
    """Every file a listener or reviewer sees (hidden work files excluded)."""
    return {
        str(p.relative_to(out)): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(out).parts)
    }


def test_reruns_after_sigkill_are_byte_identical_to_a_clean_render(tmp_path):
    story = tmp_path / "stakeout.txt"
    story.write_text(STORY, encoding="utf-8")
    started = time.monotonic()
    subprocess.run(render_command(story, tmp_path / "clean"), check=True, capture_output=True)
    clean_seconds = time.monotonic() - started
    reference = book_files(tmp_path / "clean")
    assert any(name.endswith(".mp3") for name in reference)

    chooser = random.Random(8)
    killed = attempts = 0
    while killed < KILLS and attempts < 3 * KILLS:
        out = tmp_path / f"run{attempts}"
        for _ in range(1 + attempts % 4):  # an output killed up to four times over
            attempts += 1
            process = subprocess.Popen(
                render_command(story, out),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
            time.sleep(chooser.uniform(0.0, clean_seconds))
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)  # the render and its workers
                killed += 1
            process.wait()
            _assert_nothing_half_written(out, reference)
        subprocess.run(render_command(story, out), check=True, capture_output=True)
        assert book_files(out) == reference, f"the rerun in {out.name} differs"
    assert killed >= KILLS


def _assert_nothing_half_written(out: Path, reference: dict[str, bytes]) -> None:
    """Whatever a killed render left at a final path is complete: it is exactly
    the file a clean render makes (script.yaml and the audio alike)."""
    for name, data in book_files(out).items():
        assert name in reference, f"unexpected file {name}"
        assert data == reference[name], f"{name} is half-written"


def test_two_renders_of_one_story_at_once_both_finish_correctly(tmp_path):
    story = tmp_path / "stakeout.txt"
    story.write_text(STORY, encoding="utf-8")
    subprocess.run(render_command(story, tmp_path / "clean"), check=True, capture_output=True)
    reference = book_files(tmp_path / "clean")
    out = tmp_path / "shared"
    both = [
        subprocess.Popen(render_command(story, out), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(2)
    ]
    for process in both:
        _, errors = process.communicate()
        assert process.returncode == 0, errors.decode()
    assert book_files(out) == reference
