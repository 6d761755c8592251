"""Shared fixtures: the sample stories, two measures of an audio file that
several end-to-end tests read back, the lines the real engine is asked to say
(spoken_lines), and the fake engine (fake_engine.py) registered as a plugin.
Tests that only need ffprobe's view of a file call storycast.ffmpeg.probe
directly."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from fake_engine import FakeEngine
from storycast import engines, ffmpeg


@pytest.fixture(scope="session", autouse=True)
def calibration_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The machine's timing (render --plan) kept in a folder of the test
    session's, not the user's cache; timed once per session."""
    yield from _folder_in_place_of("XDG_CACHE_HOME", tmp_path_factory.mktemp("cache"))


@pytest.fixture(scope="session", autouse=True)
def no_installed_voices(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """An empty data folder: Piper voices the user installed (voices install)
    would change the casting the tests expect. Tests that install set their own."""
    yield from _folder_in_place_of("XDG_DATA_HOME", tmp_path_factory.mktemp("data"))


def _folder_in_place_of(variable: str, folder: Path) -> Iterator[Path]:
    """The environment variable points at folder for the test session, then
    back to what it was."""
    before = os.environ.get(variable)
    os.environ[variable] = str(folder)
    yield folder
    if before is None:
        del os.environ[variable]
    else:
        os.environ[variable] = before


@pytest.fixture
def spoken_lines(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The lines the real engine is asked to say in this process (jobs=1)."""
    from storycast import synth

    spoken: list[str] = []
    real = synth.synthesize_one

    def counting(profile, text):
        spoken.append(text)
        return real(profile, text)

    monkeypatch.setattr(synth, "synthesize_one", counting)
    return spoken


@pytest.fixture(scope="session")
def stories() -> Path:
    """The sample stories (original writing, with .cast.yaml and .gold.tsv)."""
    return Path(__file__).resolve().parents[1] / "stories"


@pytest.fixture(scope="session")
def duration() -> Callable[[Path], float]:
    """A file's length in seconds, as ffprobe reports it from the container."""

    def seconds(path: Path) -> float:
        return float(ffmpeg.probe(path)["format"]["duration"])

    return seconds


@pytest.fixture(scope="session")
def decoded_seconds() -> Callable[[Path], float]:
    """A file's length in seconds as a player decodes it: encoder delay and
    padding trimmed, so it can be compared with sample counts."""

    def seconds(path: Path, rate: int = 44100) -> float:
        pcm = ffmpeg.run(["-i", str(path), "-f", "s16le", "-ac", "1", "-ar", str(rate), "-"])
        return len(pcm) / 2 / rate

    return seconds


@pytest.fixture
def fake_engine() -> Iterator[type[FakeEngine]]:
    """FakeEngine, registered as "fake" the way plugins are, for one test."""
    engines.register(FakeEngine.name, FakeEngine)
    FakeEngine.spoken.clear()
    yield FakeEngine
    engines.unregister(FakeEngine.name)


@pytest.fixture
def fake_voices(fake_engine: type[FakeEngine], tmp_path: Path) -> Path:
    """A voices folder (for --voices) whose narrator and default voices are
    the fake engine's, at different pitches."""
    folder = tmp_path / "fake-voices"
    folder.mkdir()
    for name, pitch in {"narrator": 40, "male": 25, "female": 70, "other": 55}.items():
        (folder / f"{name}.yaml").write_text(f"engine: fake\nvoice: tone\npitch: {pitch}\n")
    return folder
