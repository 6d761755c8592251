"""Helpers the hostile-input tests share: run the CLI in-process and check
that a failure is one line of error with exit status 1."""

from __future__ import annotations

import re
from pathlib import Path

from typer.testing import CliRunner

from storycast.cli import app

runner = CliRunner()
PROGRESS = re.compile(r"\[ *\d+\.\d s\] ")
"""A progress line, as render prints them when stderr is not a terminal."""


def run(*args: str | Path):
    return runner.invoke(app, [str(arg) for arg in args])


def one_line_error(result, *words: str) -> str:
    """The error line, after checking there is exactly one and exit status 1."""
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = [
        line
        for line in result.output.strip().splitlines()
        if "warning:" not in line and not PROGRESS.match(line)
    ]
    assert len(lines) == 1 and lines[0].startswith("storycast: error:"), result.output
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


def alias_bomb(levels: int = 9, width: int = 9) -> str:
    """Each level an anchored list of `width` aliases of the one before."""
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for level in range(1, levels):
        refs = ", ".join([f"*a{level - 1}"] * width)
        lines.append(f"a{level}: &a{level} [{refs}]")
    return "\n".join(lines) + "\n"
