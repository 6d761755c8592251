"""The Typer app and what every command shares: the error boundary, the
progress bars and the options that several commands take."""

from __future__ import annotations

import errno
import logging
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING, Any, get_args

import typer
from typer.core import TyperCommand

from storycast import engines
from storycast.errors import StorycastError
from storycast.model import Advance, PresetName, ProgressFactory

if TYPE_CHECKING:  # typer carries its own copy of click
    from typer._click import Context, HelpFormatter

app = typer.Typer(
    name="storycast",
    help="Turn a prose story into a multi-voice, chaptered audiobook.\n\n"
    "Start with `storycast render STORY.txt`; review who speaks each line with "
    "`storycast tag STORY.txt -o script.yaml`, then `storycast render script.yaml`.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


class Command(TyperCommand):
    """A command whose help reads as a user writes it: `storycast render STORY`
    (no braces around required arguments), and arguments listed by their
    placeholder alone, never by a Python type."""

    def collect_usage_pieces(self, ctx: Context) -> list[str]:
        return [piece.strip("{}") for piece in super().collect_usage_pieces(ctx)]

    def format_options(self, ctx: Context, formatter: HelpFormatter) -> None:
        arguments, options = [], []
        for param in self.get_params(ctx):
            record = param.get_help_record(ctx)
            if record is None:
                continue
            if param.param_type_name == "argument":
                arguments.append((param.metavar or (param.name or "").upper(), record[1]))
            else:
                options.append(record)
        for title, rows in (("Arguments", arguments), ("Options", options)):
            if rows:
                with formatter.section(title):
                    formatter.write_dl(rows)


def choices(names: Iterable[str]) -> str:
    """A metavar that lists an option's choices: [acx|podcast]."""
    return f"[{'|'.join(names)}]"


def _installed_engine(value: str | None) -> str | None:
    """The engine named on the command line, checked against the registry when
    the command runs (so plugins registered since import count): a usage
    error naming the installed engines, before any work."""
    if value is not None and value not in engines.names():
        raise typer.BadParameter(f"no engine {value!r}; installed: {', '.join(engines.names())}")
    return value


def _complete_engine(incomplete: str) -> list[str]:
    return [name for name in engines.names() if name.startswith(incomplete)]


def engine_option(help: str) -> Any:
    """--engine/-e: one of the installed engines (built-ins and plugins)."""
    return typer.Option(
        None,
        "--engine",
        "-e",
        metavar=choices(engines.names()),
        help=help,
        callback=_installed_engine,
        autocompletion=_complete_engine,
    )


def output_file_option(default: Path | None, help: str) -> Any:
    """-o/--output FILE: where a command writes its one file."""
    return typer.Option(default, "--output", "-o", metavar="FILE", dir_okay=False, help=help)


def output_folder_option(help: str) -> Any:
    """-o/--output DIR: the output folder books go into (default `output`)."""
    return typer.Option(Path("output"), "--output", "-o", metavar="DIR", file_okay=False, help=help)


def jobs_option(help: str = "Synthesis processes (0: one per CPU core).") -> Any:
    """-j/--jobs N: processes on this machine, 0 for one per core."""
    return typer.Option(0, "--jobs", "-j", min=0, metavar="N", help=help)


VoicesOption = typer.Option(
    [],
    "--voices",
    metavar="DIR",
    file_okay=False,
    help="Extra folder of voice profiles (searched before ./voices); repeatable.",
)
CastOption = typer.Option(
    None,
    "--cast",
    "-c",
    metavar="FILE",
    help="Cast file (YAML): characters, aliases, "
    "gender, voice. Default: STORY.cast.yaml beside the story, if present.",
    dir_okay=False,
)
MasterOption = typer.Option(
    "acx",
    "--master",
    "-m",
    metavar=choices(get_args(PresetName)),
    help="Mastering preset: acx (audiobook: RMS -23..-18 dBFS, peak "
    "-3 dBFS, noise floor -60 dBFS) or podcast (-19 LUFS mono, "
    "true peak -1 dBTP).",
)
JsonOption = typer.Option(False, "--json", help="Print the result as JSON, for scripts.")


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
    """A rich progress bar per long step, with the time left, in a terminal;
    else (a log, a pipe, CI) plain lines with the elapsed time, and the total
    time at the end."""
    from rich.console import Console

    console = Console(stderr=True)
    if not console.is_terminal:
        log = ProgressLines(lambda text: typer.echo(text, err=True))
        yield log.start
        log.finish()
        return
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TaskProgressColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    with Progress(
        TextColumn("{task.description:20}"),
        BarColumn(),
        TaskProgressColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=False,
    ) as bar:

        def start(description: str, total: int) -> Advance:
            task = bar.add_task(description, total=total)

            def advance(n: int = 1) -> None:
                bar.advance(task, n)

            return advance

        yield start


class ProgressLines:
    """Progress as lines on stderr: every item of a short task (chapters, the
    book's files), every tenth of a long one (lines, seconds of audio
    mastered), and each task's end, each with the time since the command
    started."""

    EVERY_ITEM_UP_TO = 50

    def __init__(self, echo: Callable[[str], None]):
        self.echo = echo
        self.started = time.monotonic()

    def elapsed(self) -> str:
        return f"{time.monotonic() - self.started:6.1f} s"

    def start(self, description: str, total: int) -> Advance:
        began, done, shown = time.monotonic(), 0, 0
        step = 1 if total <= self.EVERY_ITEM_UP_TO else max(1, total // 10)

        def advance(n: int = 1) -> None:
            nonlocal done, shown
            done += n
            if done >= total:
                took = time.monotonic() - began
                count = f" ({total})" if 1 < total <= self.EVERY_ITEM_UP_TO else ""
                self.echo(f"[{self.elapsed()}] {description}{count}: done in {took:.1f} s")
            elif done - shown >= step:
                count = f"{done} of {total}" if step == 1 else f"{100 * done // total}%"
                self.echo(f"[{self.elapsed()}] {description}: {count}")
            else:
                return
            shown = done

        return advance

    def finish(self) -> None:
        self.echo(f"[{self.elapsed()}] done in {duration(time.monotonic() - self.started)}")


def duration(seconds: float) -> str:
    minutes, seconds = divmod(round(seconds), 60)
    return f"{minutes} min {seconds} s" if minutes else f"{seconds} s"
