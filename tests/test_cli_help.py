"""The command line's own ergonomics: help that lists choices and never a
Python type, shell completion, and --engine checked against the engines
that are installed when the command runs."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from fake_engine import FakeEngine
from storycast import engines
from storycast.cli import app

runner = CliRunner()
COMMANDS = sorted(get_command(app).commands)  # type: ignore[attr-defined]
ENGINE_COMMANDS = [
    name for name in COMMANDS if "--engine" in runner.invoke(app, [name, "--help"]).output
]


def help_of(command: str) -> str:
    result = runner.invoke(app, [command, "--help"], prog_name="storycast")
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("command", COMMANDS)
def test_help_shows_placeholders_not_python_types(command: str) -> None:
    text = help_of(command)
    usage = text.splitlines()[0]
    assert usage.startswith(f"Usage: storycast {command} [OPTIONS]")
    assert "{" not in usage and "}" not in usage
    assert not re.search(r"<[a-z][\w \[\]|]*>", text), text  # <path>, <str>, <int range>
    assert "list[" not in text


@pytest.mark.parametrize("command", COMMANDS)
def test_every_option_and_argument_is_explained(command: str) -> None:
    for param in get_command(app).commands[command].params:  # type: ignore[attr-defined]
        assert getattr(param, "help", None), f"{command} {param.name} has no help text"


@pytest.mark.parametrize(
    "command,option,values",
    [
        ("render", "--master", ["acx", "podcast"]),
        ("render", "--front-matter", ["read", "skip"]),
        ("check", "--master", ["acx", "podcast"]),
        ("feed", "--per", ["auto", "chapter", "story"]),
        *[(command, "--engine", engines.names()) for command in ENGINE_COMMANDS],
    ],
)
def test_choices_are_listed_in_help(command: str, option: str, values: list[str]) -> None:
    line = next(line for line in help_of(command).splitlines() if option in line)
    assert f"[{'|'.join(values)}]" in line


def test_the_feed_description_is_explained() -> None:
    text = help_of("feed")
    assert re.search(r"--description TEXT\s+\S", text)


@pytest.mark.parametrize("command", ENGINE_COMMANDS)
def test_an_unknown_engine_is_a_usage_error_naming_the_installed_ones(command: str) -> None:
    args = {"say": ["hello"], "render": ["story.txt"]}.get(command, [])
    result = runner.invoke(app, [command, *args, "--engine", "nonesuch"])
    assert result.exit_code == 2
    assert "nonesuch" in result.output
    for name in engines.names():
        assert name in result.output


def test_an_engine_registered_after_start_is_accepted(fake_engine: type[FakeEngine]) -> None:
    result = runner.invoke(app, ["voices", "--engine", "fake"])
    assert result.exit_code == 0, result.output
    assert "tone" in result.output  # the fake engine's own voice list


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.output.startswith("storycast")


def test_completion_script_and_completions() -> None:
    shown = subprocess.run(
        [sys.executable, "-m", "storycast", "--show-completion", "bash"],
        capture_output=True,
        text=True,
    )
    assert shown.returncode == 0
    assert "complete" in shown.stdout and "_STORYCAST_COMPLETE" in shown.stdout
    env = {
        **os.environ,
        "_STORYCAST_COMPLETE": "complete_bash",
        "COMP_WORDS": "storycast render --engine ",
        "COMP_CWORD": "3",
    }
    completed = subprocess.run(
        [sys.executable, "-c", "from storycast.cli import main; main()"],
        capture_output=True,
        text=True,
        env=env,
    )
    assert completed.stdout.split() == engines.names()
