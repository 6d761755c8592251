"""The one place that runs ffmpeg and ffprobe: argument lists, exit status
always checked, stderr kept on the error."""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import threading
from pathlib import Path

from storycast.errors import ToolError

_INSTALL = "install it: sudo apt-get install ffmpeg"
_SLOTS = threading.BoundedSemaphore(os.cpu_count() or 1)
"""At most one ffmpeg per core at once (stages run several side by side):
more would only fight over the cores, and each holds some 50 MB."""


def require() -> None:
    """Fail early, before long work, when ffmpeg or ffprobe is missing."""
    for program in ("ffmpeg", "ffprobe"):
        if shutil.which(program) is None:
            raise ToolError(f"{program} is not installed; {_INSTALL}")


def pcm_input(path: Path | str, sample_rate: int) -> list[str]:
    """Input arguments for a file of raw mono 16-bit PCM."""
    return ["-f", "s16le", "-ar", str(sample_rate), "-ac", "1", "-i", str(path)]


NO_TAGS = ["-map_metadata", "-1", "-id3v2_version", "0", "-write_id3v1", "0"]
"""Output arguments: no tags of ffmpeg's own (storycast writes its own)."""


def run(args: list[str], stdin: bytes | None = None) -> bytes:
    """Run ffmpeg with `args`; return its stdout."""
    quiet = ["-nostdin"] if stdin is None else []
    return _run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-y", *quiet, *args], stdin)


def version() -> str:
    """ffmpeg's version line (what made an encoding)."""
    return run(["-version"]).decode("utf-8", "replace").splitlines()[0]


def probe_raw(args: list[str]) -> bytes:
    """ffprobe with `args`; its stdout."""
    return _run(["ffprobe", *args])


def measure(args: list[str]) -> tuple[bytes, str]:
    """Run ffmpeg for what its meters report: (stdout, stderr). The summaries
    of ebur128 and astats come on stderr at the info log level."""
    argv = ["ffmpeg", "-hide_banner", "-nostdin", "-nostats", "-loglevel", "info", *args]
    result = _completed(argv)
    return result.stdout, result.stderr.decode("utf-8", "replace")


def probe(path: Path | str, max_pixels: int | None = None) -> dict:
    """ffprobe's JSON view of a file: format, streams and chapters. With
    `max_pixels`, a larger picture is not decoded (its width reads 0)."""
    limit = ["-max_pixels", str(max_pixels)] if max_pixels else []
    out = _run(
        [
            "ffprobe",
            *limit,
            "-v",
            "error",
            "-print_format",
            "json",
            "-show_format",
            "-show_streams",
            "-show_chapters",
            str(path),
        ]
    )
    return json.loads(out)


def _run(argv: list[str], stdin: bytes | None = None) -> bytes:
    return _completed(argv, stdin).stdout


def _completed(argv: list[str], stdin: bytes | None = None) -> subprocess.CompletedProcess:
    try:
        with _SLOTS:
            result = subprocess.run(argv, input=stdin, capture_output=True, check=False)
    except FileNotFoundError:
        raise ToolError(f"{argv[0]} is not installed; {_INSTALL}", argv) from None
    if result.returncode != 0:
        if _disk_full(argv, result.stderr):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), argv[-1])
        raise ToolError(
            f"{argv[0]} failed (exit {result.returncode})",
            argv,
            result.stderr.decode("utf-8", "replace"),
        )
    return result


_LOW_SPACE = 1_000_000
"""Free bytes below which a failed write is taken for a full disk."""


def _disk_full(argv: list[str], stderr: bytes) -> bool:
    """Whether ffmpeg failed for want of disk space: it says so, or it says
    only "Conversion failed!" and the disk of its output is (nearly) full."""
    if b"No space left on device" in stderr or b"Disk quota exceeded" in stderr:
        return True
    output = Path(argv[-1]).parent
    try:
        return bool(argv[-1]) and shutil.disk_usage(output).free < _LOW_SPACE
    except OSError:
        return False
