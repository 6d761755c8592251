"""voices check: the word error rate, pitch and spectral measures on known
signals, the command's errors, and the shipped Piper profiles held to the
intelligibility budget while staying apart (measured with the real engine
and recognizer)."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from typer.testing import CliRunner

from storycast.cli import app
from storycast.voicecheck import measures
from storycast.voicecheck.check import ALIKE_SEMITONES, ALIKE_SPECTRAL, BUDGET
from storycast.voicecheck.recognize import word_error_rate

RATE = 22050


def voiced(hz: float, seconds: float = 1.0, brightness: float = 1.0) -> np.ndarray:
    """A buzz with harmonics falling off by `brightness` (higher: brighter)."""
    t = np.arange(int(RATE * seconds)) / RATE
    harmonics = range(1, int(5000 / hz))
    x = sum(np.sin(2 * np.pi * hz * k * t) / k ** (2.0 / brightness) for k in harmonics)
    return 0.3 * x / np.abs(x).max()


@pytest.mark.parametrize(
    "reference, heard, rate",
    [
        ("The cat sat.", "the cat sat", 0.0),
        ("The cat sat.", "the hat sat", 1 / 3),
        ("The cat sat.", "the cat", 1 / 3),
        ("The cat sat.", "the cat sat down now", 2 / 3),
        ("Don't go!", "don't go", 0.0),
        ("", "", 0.0),
    ],
)
def test_word_error_rate(reference: str, heard: str, rate: float) -> None:
    assert word_error_rate(reference, heard) == pytest.approx(rate)


@pytest.mark.parametrize("hz", [80.0, 120.0, 210.0])
def test_median_pitch_of_a_buzz(hz: float) -> None:
    assert measures.median_pitch(voiced(hz), RATE) == pytest.approx(hz, rel=0.03)


def test_silence_has_no_pitch() -> None:
    assert math.isnan(measures.median_pitch(np.zeros(RATE), RATE))


def test_spectral_distance_grows_with_the_difference() -> None:
    dull, same, bright = (
        measures.mean_mfcc(voiced(110, brightness=b), RATE) for b in (1.0, 1.0, 3.0)
    )
    assert measures.spectral_distance(dull, same) == 0
    assert measures.spectral_distance(dull, bright) > ALIKE_SPECTRAL
    assert measures.semitones_apart(110, 220) == pytest.approx(12)


def test_an_unknown_profile_is_one_line() -> None:
    result = CliRunner().invoke(app, ["voices", "check", "nobody"])
    assert result.exit_code == 1
    assert result.output.startswith("storycast: error: no voice profile 'nobody'")


@pytest.fixture(scope="module")
def shipped() -> dict:
    """`voices check --json` on the shipped main Piper profiles (narrator, Gene, Alex)."""
    result = CliRunner().invoke(app, ["voices", "check", "--json"])
    start = result.output.index("{")  # after any progress lines
    report = json.loads(result.output[start:])
    report["exit_code"] = result.exit_code
    return report


@pytest.mark.slow
def test_the_shipped_profiles_keep_within_the_budget(shipped: dict) -> None:
    voices = {v["profile"]: v for v in shipped["voices"]}
    assert set(voices) == {"piper-narrator", "piper-gene", "piper-alex"}
    for voice in voices.values():
        assert voice["wer"] - voice["base_wer"] <= BUDGET, voice
    assert shipped["passed"] and shipped["exit_code"] == 0


@pytest.mark.slow
def test_the_shipped_profiles_stay_apart(shipped: dict) -> None:
    pitch = {v["profile"]: v["pitch_hz"] for v in shipped["voices"]}
    assert pitch["piper-gene"] < pitch["piper-narrator"] < pitch["piper-alex"]
    for pair in shipped["pairs"]:
        assert pair["semitones"] >= 1.5 * ALIKE_SEMITONES, pair
        assert pair["spectral"] >= 2 * ALIKE_SPECTRAL, pair


@pytest.mark.slow
def test_espeak_profiles_are_checked_alike(tmp_path) -> None:
    """espeak-ng's profiles, on a short text of the user's (--text)."""
    text = tmp_path / "short.txt"
    text.write_text("The rain had not stopped all week.\nNobody in the office was happy.\n")
    result = CliRunner().invoke(
        app, ["voices", "check", "narrator", "alex", "--text", str(text), "--json"]
    )
    report = json.loads(result.output[result.output.index("{") :])
    assert [v["engine"] for v in report["voices"]] == ["espeak", "espeak"]
    narrator, alex = report["voices"]
    assert narrator["base_wer"] == alex["base_wer"]  # one base voice, measured once
    assert alex["pitch_hz"] > 1.5 * narrator["pitch_hz"]
    assert report["pairs"][0]["profiles"] == ["narrator", "alex"]
    assert result.exit_code == (0 if report["passed"] else 1)


@pytest.mark.parametrize("command", ["check", "install"])
def test_subcommand_help_reads_as_the_others(command: str) -> None:
    result = CliRunner().invoke(app, ["voices", command, "--help"], prog_name="storycast")
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"Usage: storycast voices {command} [OPTIONS]")
    assert "<" not in result.output and "{" not in result.output.splitlines()[0]
