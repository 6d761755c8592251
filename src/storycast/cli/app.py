"""The Typer app and what every command shares: the error boundary, the
progress bars and the options that several commands take."""

from __future__ import annotations

import errno
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from enum import Enum
from importlib.metadata import PackageNotFoundError, version

import typer

from storycast import engines
from storycast.errors import StorycastError
from storycast.model import Advance, ProgressFactory

app = typer.Typer(
    name="storycast",
    help="Turn a prose story into a multi-voice, chaptered audiobook.\n\n"
    "Start with `storycast render STORY.txt`; review who speaks each line with "
    "`storycast tag STORY.txt -o script.yaml`, then `storycast render script.yaml`.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

EngineName = Enum("EngineName", {name: name for name in engines.names()}, type=str)  # type: ignore[misc]
"""The installed engines (built-ins and plugins), as a choice typer checks."""

CastOption = typer.Option(
    None,
    "--cast",
    "-c",
    help="Cast file (YAML): characters, aliases, "
    "gender, voice. Default: STORY.cast.yaml beside the story, if present.",
    dir_okay=False,
)
MasterOption = typer.Option(
    "acx",
    "--master",
    "-m",
    help="Mastering preset: acx (audiobook: RMS -23..-18 dBFS, peak "
    "-3 dBFS, noise floor -60 dBFS) or podcast (-19 LUFS mono, "
    "true peak -1 dBTP).",
)


def engine_name(choice: Enum | None) -> str | None:
    return choice.value if choice is not None else None


def _show_version(asked: bool) -> None:
    if asked:
        try:
            typer.echo(f"storycast {version('storycast')}")
        except PackageNotFoundError:  # run from a tree that was never installed
            typer.echo("storycast (not installed)")
        raise typer.Exit()


@app.callback()
def main_options(
    show_version: bool = typer.Option(
        False, "--version", callback=_show_version, is_eager=True, help="Print the version."
    ),
) -> None:
    """Turn a prose story into a multi-voice, chaptered audiobook."""
    _print_warnings()


class _WarningLine(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        typer.echo(f"storycast: warning: {record.getMessage()}", err=True)


def _print_warnings() -> None:
    """storycast's warnings (errors.warn) as one line each on stderr."""
    logger = logging.getLogger("storycast")
    if not any(isinstance(handler, _WarningLine) for handler in logger.handlers):
        logger.addHandler(_WarningLine(logging.WARNING))
        logger.propagate = False


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn storycast's errors into one line on stderr and exit status 1."""
    try:
        yield
    except StorycastError as error:
        message = " ".join(str(error).split())  # one line, whatever the message held
        typer.echo(f"storycast: error: {message}", err=True)
        raise typer.Exit(1) from None
    except OSError as error:
        if error.errno not in (errno.ENOSPC, errno.EDQUOT):
            # Whatever the checks before the work could not foresee (a file
            # removed or made read-only meanwhile): one line, not a traceback.
            where = f"{error.filename}: " if error.filename else ""
            typer.echo(f"storycast: error: {where}{error.strerror or error}", err=True)
            raise typer.Exit(1) from None
        typer.echo(
            f"storycast: error: the disk is full ({error.filename or 'writing output'}); "
            "free some space and run again: finished clips are cached",
            err=True,
        )
        raise typer.Exit(1) from None
    except KeyboardInterrupt:
        typer.echo(
            "storycast: interrupted; finished clips are cached, run again to resume", err=True
        )
        raise typer.Exit(130) from None


@contextmanager
def progress_bars() -> Iterator[ProgressFactory]:
    """A rich progress bar per long step, with the time left; silent when piped."""
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    console = Console(stderr=True)
    with Progress(
        TextColumn("{task.description:20}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=False,
        disable=not console.is_terminal,
    ) as bar:

        def start(description: str, total: int) -> Advance:
            task = bar.add_task(description, total=total)

            def advance(n: int = 1) -> None:
                bar.advance(task, n)

            return advance

        yield start


def duration(seconds: float) -> str:
    minutes, seconds = divmod(round(seconds), 60)
    return f"{minutes} min {seconds} s" if minutes else f"{seconds} s"
