"""Books rendered once per test run and shared by the audio tests: rendering
is the slow part, measuring is cheap. Everything lives in one temporary
folder, removed when the run ends."""

from __future__ import annotations

import atexit
import functools
import shutil
import subprocess
import tempfile
from pathlib import Path

import numpy as np

from storycast.model import Audiobook
from storycast.render import RenderOptions, render

ROOT = Path(__file__).resolve().parents[1]
BASE = Path(tempfile.mkdtemp(prefix="storycast-audio-tests-"))
atexit.register(shutil.rmtree, BASE, True)

SHORT_STORY = """\
The Night Bus

Chapter 1: The Stop

Rain drummed on the roof of the shelter. Nell checked the timetable again.

"It is late," said Nell. "It is always late on a Tuesday, and I am always cold and tired."

"Patience," said Tom. "The driver stops for tea at the depot."

Chapter 2: The Ride

The bus came at last, steaming and bright.

"Two singles, please," said Tom.

"Keep the change," said Nell, and she laughed. "We will walk home tomorrow, whatever the weather."
"""

SHORT_CAST = """\
narrator: narrator
characters:
  Nell:
    gender: female
    voice: quiet
  Tom:
    gender: male
    voice: gene
"""

# A deliberately quiet voice: mastering must bring it up to the others.
QUIET_VOICE = """\
description: a voice at a third of full volume
engine: espeak
voice: gmw/en
variant: f3
rate: 170
pitch: 60
volume: 0.3
"""


def _cache() -> Path:
    return BASE / "clips"


@functools.cache
def sample_book() -> Audiobook:
    """The Tab, a real sample story, mastered with the default (acx) preset."""
    return render(
        ROOT / "stories" / "the-tab.txt", RenderOptions(out=BASE / "acx", jobs=2, cache=_cache())
    )


@functools.cache
def short_book(master: str = "acx", cover: Path | None = None) -> Audiobook:
    """The short story above, with one quiet voice, under `master`."""
    story = BASE / "night-bus.txt"
    story.write_text(SHORT_STORY, encoding="utf-8")
    (BASE / "night-bus.cast.yaml").write_text(SHORT_CAST, encoding="utf-8")
    voices = BASE / "voices"
    voices.mkdir(exist_ok=True)
    (voices / "quiet.yaml").write_text(QUIET_VOICE, encoding="utf-8")
    out = BASE / f"short-{master}-{'cover' if cover else 'drawn'}"
    return render(
        story,
        RenderOptions(out=out, jobs=2, cache=_cache(), master=master, voices=[voices], cover=cover),
    )


def decode(path: Path, sample_rate: int = 44100) -> np.ndarray:
    """A file's audio as mono float samples, decoded by ffmpeg."""
    pcm = subprocess.run(
        [
            "ffmpeg",
            "-v",
            "error",
            "-nostdin",
            "-i",
            str(path),
            "-map",
            "0:a:0",
            "-f",
            "f32le",
            "-ac",
            "1",
            "-ar",
            str(sample_rate),
            "-",
        ],
        capture_output=True,
        check=True,
    ).stdout
    return np.frombuffer(pcm, dtype="<f4")
