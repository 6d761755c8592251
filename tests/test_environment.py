"""What storycast says when the machine is not ready: missing programs, a
full disk. Each is one line saying what to install or free, before long work."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from storycast.cli import app

STORY = 'Short\n\n"Hi," said Gene.\n'


def run_with_path(tmp_path: Path, programs: list[str]) -> subprocess.CompletedProcess:
    """Render with a PATH holding only the named programs."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for program in programs:
        (bin_dir / program).symlink_to(shutil.which(program))
    story = tmp_path / "s.txt"
    story.write_text(STORY)
    env = {**os.environ, "PATH": str(bin_dir)}
    return subprocess.run(
        [sys.executable, "-m", "storycast", "render", str(story), "-o", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        env=env,
    )


def test_missing_ffmpeg_says_what_to_install(tmp_path):
    result = run_with_path(tmp_path, ["espeak-ng"])
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "ffmpeg" in result.stderr and "apt-get install ffmpeg" in result.stderr
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").rglob("*.mp3"))


def test_missing_espeak_says_what_to_install(tmp_path):
    result = run_with_path(tmp_path, ["ffmpeg", "ffprobe"])
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "apt-get install espeak-ng" in result.stderr


def test_too_little_disk_is_refused_before_synthesis(tmp_path, monkeypatch):
    import storycast.render as render_module

    monkeypatch.setattr(
        render_module.shutil,
        "disk_usage",
        lambda path: shutil._ntuple_diskusage(10**9, 10**9 - 1000, 1000),
    )
    story = tmp_path / "s.txt"
    story.write_text(STORY)
    result = CliRunner().invoke(app, ["render", str(story), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "free some space" in result.output
    assert not list(tmp_path.rglob("*.wav"))  # nothing was synthesized


@pytest.mark.slow
def test_disk_full_while_writing_is_one_line(tmp_path, monkeypatch):
    import storycast.synth as synth_module

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", str(tmp_path / "clip.wav"))

    monkeypatch.setattr(synth_module.ClipCache, "put", full)
    story = tmp_path / "s.txt"
    story.write_text(STORY)
    result = CliRunner().invoke(app, ["render", str(story), "-o", str(tmp_path / "out"), "-j", "1"])
    assert result.exit_code == 1
    assert "disk is full" in result.output and "free some space" in result.output
