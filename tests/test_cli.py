"""The command line: help, odd stories that must still render, and bad input
that must end in one line of error and exit status 1."""

from __future__ import annotations

import subprocess
import sys

import pytest
from typer.testing import CliRunner

from storycast.cli import app

runner = CliRunner()


def test_every_command_explains_itself():
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("render", "tag", "cast", "voices"):
        assert command in result.output
        help_text = runner.invoke(app, [command, "--help"])
        assert help_text.exit_code == 0 and "Usage" in help_text.output


@pytest.mark.slow
@pytest.mark.parametrize(
    "name,text",
    [
        ("no-chapters", "A Quiet Day\n\nNothing happened. The kettle boiled, and that was all.\n"),
        (
            "no-dialogue",
            "Rain\n\nIt rained on Fenchurch Street.\n\n-/-/-\n\nIt rained on Brick Lane.\n",
        ),
        ("only-dialogue", '"Tea?"\n\n"Please."\n\n"Milk?"\n\n"No, ta."\n'),
    ],
)
def test_unusual_stories_still_make_a_valid_audiobook(tmp_path, name, text, duration):
    story = tmp_path / f"{name}.txt"
    story.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["render", str(story), "-o", str(tmp_path / "out"), "-j", "1"])
    assert result.exit_code == 0, result.output
    books = list((tmp_path / "out").glob("*/*.mp3"))
    assert books
    for book in books:
        assert duration(book) > 0.5


@pytest.mark.parametrize("content", [b"", b"   \n\n\t \r\n", b"\x00\x01\x02binary\x00\xff" * 20])
def test_empty_or_unreadable_story_is_one_line_error(tmp_path, content):
    story = tmp_path / "bad.txt"
    story.write_bytes(content)
    result = subprocess.run(
        [sys.executable, "-m", "storycast", "render", str(story), "-o", str(tmp_path / "out")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and str(story) in lines[0]
    assert not list((tmp_path / "out").glob("*/*.mp3"))


def test_missing_story_file_and_folder_are_errors(tmp_path):
    for target in (tmp_path / "nope.txt", tmp_path):
        result = runner.invoke(app, ["render", str(target), "-o", str(tmp_path / "out")])
        assert result.exit_code == 1
        assert "error" in result.output


def test_wrong_option_is_a_usage_error(tmp_path):
    result = runner.invoke(app, ["render", "x.txt", "--front-matter", "sometimes"])
    assert result.exit_code == 2
