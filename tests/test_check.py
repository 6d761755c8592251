"""`storycast check`: measures files and fails the ones that break a preset."""

from __future__ import annotations

import json
import math
import re
import subprocess
import wave
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from _books import short_book
from storycast.audio.master import PRESETS
from storycast.audio.measure import FileInfo, Levels, Measurement
from storycast.check import judge
from storycast.cli import app

RATE = 44100
runner = CliRunner()


def _room_tone(seconds: float, seed: int = 7) -> np.ndarray:
    return np.random.default_rng(seed).normal(0, 10 ** (-70 / 20), round(seconds * RATE))


def _tone(seconds: float, rms_db: float) -> np.ndarray:
    t = np.arange(round(seconds * RATE)) / RATE
    return math.sqrt(2) * 10 ** (rms_db / 20) * np.sin(2 * np.pi * 440 * t)


def _mp3(path: Path, samples: np.ndarray) -> Path:
    """Samples (clipped to full scale, as a converter would) -> CBR 192k MP3."""
    wav = path.with_suffix(".wav")
    with wave.open(str(wav), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes((np.clip(samples, -1, 1) * 32767).astype("<i2").tobytes())
    subprocess.run(
        [
            "ffmpeg",
            "-v",
            "error",
            "-y",
            "-i",
            str(wav),
            "-c:a",
            "libmp3lame",
            "-b:a",
            "192k",
            str(path),
        ],
        check=True,
    )
    wav.unlink()
    return path


def _chapter(folder: Path, speech: np.ndarray, head=None, tail=None) -> Path:
    """A chapter file: room tone, the 'speech', room tone."""
    folder.mkdir(exist_ok=True)
    head = _room_tone(0.75, 1) if head is None else head
    tail = _room_tone(2.0, 2) if tail is None else tail
    return _mp3(folder / "01 - Chapter.mp3", np.concatenate([head, speech, tail]))


def _check(folder: Path, *options: str):
    return runner.invoke(app, ["check", str(folder), *options])


@pytest.mark.slow
def test_a_file_made_to_the_rules_passes(tmp_path):
    # a tone at -20 dBFS RMS (peak -17) between room tone: within every acx rule
    _chapter(tmp_path / "good", _tone(6, -19.0))
    result = _check(tmp_path / "good")
    assert result.exit_code == 0, result.output
    assert "01 - Chapter.mp3" in result.output and "pass" in result.output


@pytest.mark.slow
def test_a_clipped_file_fails_on_its_peak(tmp_path):
    _chapter(tmp_path / "clipped", _tone(6, -19.0) * 8)  # +18 dB: clipped at full scale
    result = _check(tmp_path / "clipped")
    assert result.exit_code == 1
    assert "FAIL 01 - Chapter.mp3:" in result.output
    # clipped at full scale (the MP3 decoder gives it back a fraction of a dB lower)
    assert re.search(r"peak -?0\.\d dBFS above -3", result.output), result.output


@pytest.mark.slow
def test_a_too_quiet_file_fails_on_rms_and_loudness(tmp_path):
    _chapter(tmp_path / "quiet", _tone(6, -40.0))
    result = _check(tmp_path / "quiet")
    assert result.exit_code == 1
    assert re.search(r"RMS -4\d\.\d dBFS outside -23 to -18", result.output), result.output
    podcast = _check(tmp_path / "quiet", "--master", "podcast")
    assert podcast.exit_code == 1
    assert "loudness" in podcast.output and "within 1 LU of -19" in podcast.output


@pytest.mark.slow
def test_digital_silence_and_missing_room_tone_fail(tmp_path):
    silence = np.zeros(round(0.2 * RATE))
    _chapter(tmp_path / "silent", _tone(6, -19.0), head=silence, tail=silence)
    result = _check(tmp_path / "silent")
    assert result.exit_code == 1
    for figure in ("digital silence", "head room tone 0.", "tail room tone 0."):
        assert figure in result.output, result.output


@pytest.mark.slow
def test_a_rendered_book_passes_its_own_check():
    book = short_book("acx")
    result = _check(Path(book.folder))
    assert result.exit_code == 0, result.output
    names = [Path(f).name for f in (*book.chapter_files, book.book_file, book.files["m4b"])]
    assert len(names) == 4  # two chapters, the book as MP3 and M4B
    for name in names:
        assert re.search(re.escape(name) + r" .* pass$", result.output, re.M), result.output
    assert "4 of 4 file(s) pass the acx preset" in result.output


def test_check_of_an_empty_or_missing_folder_is_an_error(tmp_path):
    result = _check(tmp_path)
    assert result.exit_code == 1 and "no audio files" in result.output
    assert _check(tmp_path / "nowhere").exit_code == 1
    assert _check(tmp_path, "--master", "loud").exit_code == 2


def _measurement(**changes) -> Measurement:
    levels = dict(
        rms=-20.5,
        peak=-4.5,
        noise_floor=-70.0,
        loudness=-19.5,
        true_peak=-4.4,
        head=0.75,
        tail=2.0,
        digital_silence=0.0,
        samples=RATE * 60,
    )
    info = dict(
        codec="mp3",
        sample_rate=RATE,
        channels=1,
        seconds=60.0,
        bitrate=192000,
        constant_bitrate=True,
    )
    levels.update({k: v for k, v in changes.items() if k in levels})
    info.update({k: v for k, v in changes.items() if k in info})
    return Measurement("x.mp3", FileInfo(**info), Levels(**levels))


@pytest.mark.parametrize(
    "change, figure",
    [
        ({"rms": -23.5}, "RMS"),
        ({"rms": -17.0}, "RMS"),
        ({"peak": -2.9}, "peak"),
        ({"noise_floor": -55.0}, "noise floor"),
        ({"digital_silence": 0.5}, "digital silence"),
        ({"sample_rate": 48000}, "sample rate"),
        ({"bitrate": 128000}, "bitrate"),
        ({"constant_bitrate": False}, "bitrate"),
        ({"codec": "aac"}, "codec"),
        ({"seconds": 121 * 60}, "duration"),
        ({"head": 0.3}, "head"),
        ({"tail": 6.0}, "tail"),
    ],
)
def test_each_acx_rule_names_its_figure(change, figure):
    assert judge(_measurement(), PRESETS["acx"], chapter=True) == []
    assert [f.figure for f in judge(_measurement(**change), PRESETS["acx"], chapter=True)] == [
        figure
    ]


def test_book_files_are_not_held_to_the_chapter_file_rules():
    long_aac = _measurement(codec="aac", seconds=200 * 60, bitrate=96000, constant_bitrate=None)
    assert judge(long_aac, PRESETS["acx"], chapter=False) == []


@pytest.mark.parametrize(
    "channels, loudness, ok",
    [(1, -19.0, True), (1, -20.1, False), (2, -16.5, True), (2, -19.0, False)],
)
def test_podcast_loudness_depends_on_the_channels(channels, loudness, ok):
    m = _measurement(channels=channels, loudness=loudness)
    assert (judge(m, PRESETS["podcast"], chapter=True) == []) is ok
    assert [
        f.figure
        for f in judge(
            _measurement(true_peak=-0.5, loudness=-19.0), PRESETS["podcast"], chapter=True
        )
    ] == ["true peak"]


@pytest.mark.slow
def test_check_as_json_gives_the_figures_and_failures(tmp_path):
    _chapter(tmp_path / "good", _tone(6, -19.0))
    _mp3(tmp_path / "good" / "02 - Chapter.mp3", _tone(6, -40.0))  # too quiet, no room tone
    table = _check(tmp_path / "good")
    result = _check(tmp_path / "good", "--json")
    assert result.exit_code == table.exit_code == 1
    report = json.loads(result.stdout)
    assert report["preset"] == "acx" and report["passed"] is False
    files = {f["file"]: f for f in report["files"]}
    assert set(files) == {"01 - Chapter.mp3", "02 - Chapter.mp3"}
    assert files["01 - Chapter.mp3"]["passed"] and not files["01 - Chapter.mp3"]["failures"]
    quiet = files["02 - Chapter.mp3"]
    assert {"RMS", "head"} <= {f["figure"] for f in quiet["failures"]}
    assert quiet["levels"]["rms"] == pytest.approx(-40, abs=1)
    assert quiet["info"]["codec"] == "mp3" and quiet["info"]["sample_rate"] == RATE
    for name, entry in files.items():  # the figures the table prints
        assert re.search(re.escape(name) + rf"\s+{entry['levels']['rms']:.1f}\s", table.output)
