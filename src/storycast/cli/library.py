"""library: every story in a folder rendered, on this machine or a Dask cluster."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import typer

from storycast.cli.app import (
    MasterOption,
    VoicesOption,
    choices,
    duration,
    engine_option,
    jobs_option,
    output_folder_option,
    user_errors,
)
from storycast.errors import StorycastError
from storycast.model import PresetName

if TYPE_CHECKING:
    from storycast.render import RenderOptions
    from storycast.shelf.run import LibraryReport, Tally


def library(
    folder: Path = typer.Argument(
        ...,
        metavar="DIR",
        help="A folder of stories: .txt, .md, .html, .epub, script .yaml files "
        "and folders of chapter files; each is a book.",
    ),
    out: Path = output_folder_option(
        "Output folder; each book goes into DIR/TITLE/, as `render` puts it."
    ),
    cluster: str | None = typer.Option(
        None,
        "--cluster",
        metavar="ADDRESS",
        help="A running Dask scheduler, e.g. tcp://HOST:8786, whose workers "
        "share DIR and the output folder at the same paths. Default: worker "
        "processes on this machine.",
    ),
    jobs: int = jobs_option(
        "Worker processes on this machine (0: one per CPU core); not with --cluster."
    ),
    engine: str | None = engine_option("Use this engine for every voice of every book."),
    master: PresetName = MasterOption,
    front_matter: Literal["read", "skip"] = typer.Option(
        "skip", "--front-matter", metavar=choices(["read", "skip"]), help="As for `render`."
    ),
    voices: list[Path] = VoicesOption,
    cache: Path | None = typer.Option(
        None, "--cache", metavar="DIR", file_okay=False, help="Clip cache (default: OUT/.clips)."
    ),
    feed: bool = typer.Option(False, "--feed", help="Rebuild OUT/feed.xml at the end."),
    base_url: str | None = typer.Option(
        None, "--base-url", metavar="URL", help="With --feed: where OUT is served."
    ),
    show_plan: bool = typer.Option(
        False, "--plan", help="Say which books are up to date and what the others need."
    ),
) -> None:
    """Render every story in DIR into the output folder, each as `storycast render`
    would; books already up to date are skipped."""
    from storycast.render import RenderOptions

    if feed and not base_url:
        raise typer.BadParameter("--feed needs --base-url", param_hint="--feed")
    if cluster and jobs:
        raise typer.BadParameter("--jobs is for this machine; not with --cluster")
    options = RenderOptions(
        out=out,
        engine=engine,
        jobs=jobs,
        read_front_matter=front_matter == "read",
        voices=voices,
        cache=cache,
        master=master,
    )
    if show_plan:
        _print_plan(folder, options)
        return
    from storycast.shelf.run import render_library

    with user_errors(), library_progress() as progress:
        report = render_library(folder, options, cluster, progress)
    _print_report(report)
    if feed and base_url:
        from storycast.publish.feed import FeedOptions, write_feed

        with user_errors():
            typer.echo(f"wrote {write_feed(out, FeedOptions(base_url=base_url))}")
    if report.failed:
        raise typer.Exit(1)


def _print_report(report: LibraryReport) -> None:
    for story, message in report.failed:
        typer.echo(f"storycast: error: {_about(story, message)}", err=True)
    where = f" on {report.workers} worker(s)" if report.workers else ""
    typer.echo(
        f"{report.stories} stories: {len(report.rendered)} rendered, "
        f"{len(report.skipped)} up to date, {len(report.failed)} failed; "
        f"{report.synthesized} clips synthesized, {report.parts_made} chapters made{where} "
        f"in {duration(report.seconds)}"
    )
    for _, joined in report.rendered:
        typer.echo(f"  {joined.folder}/  {joined.files} chapter(s), {duration(joined.seconds)}")


def _print_plan(folder: Path, options: RenderOptions) -> None:
    from storycast.plan import plan_render
    from storycast.shelf.stories import Stamps, find_stories

    with user_errors():
        stamps = Stamps(options)
        stories = find_stories(folder, options.out)
    total, failed = 0.0, False
    for story in stories:
        if stamps.fresh(story):
            typer.echo(f"{story.name}: up to date")
            continue
        try:
            plan = plan_render(story, options)
        except StorycastError as error:
            message = " ".join(str(error).split())
            typer.echo(f"storycast: error: {_about(story, message)}", err=True)
            failed = True
            continue
        total += plan.estimated_seconds
        typer.echo(
            f"{story.name}: {plan.chapters_to_make} of {plan.chapters} chapter(s) to make, "
            f"{plan.to_synthesize} clips to synthesize"
        )
    typer.echo(f"about {duration(total)} rendered one after another on this machine")
    if failed:
        raise typer.Exit(1)


def _about(story: Path, message: str) -> str:
    """The message, with the story it is about first unless it names it."""
    return message if str(story) in message else f"{story}: {message}"


@contextmanager
def library_progress() -> Iterator[Callable[[Tally], None]]:
    """Books and chapters, done and to do, with the time left: bars in a
    terminal, a line per book done in a log."""
    from rich.console import Console

    console = Console(stderr=True)
    if not console.is_terminal:
        yield _progress_lines(lambda text: typer.echo(text, err=True))
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    with Progress(
        TextColumn("{task.description:10}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[left]}"),
        console=console,
    ) as bars:
        books = bars.add_task("Books", total=None, left="")
        chapters = bars.add_task("Chapters", total=None, left="")

        def show(tally: Tally) -> None:
            left = "" if tally.seconds_left is None else f"{duration(tally.seconds_left)} left"
            bars.update(books, total=tally.books, completed=tally.books_done, left=left)
            bars.update(chapters, total=tally.chapters, completed=tally.chapters_done)

        yield show


def _progress_lines(echo: Callable[[str], None]) -> Callable[[Tally], None]:
    started = time.monotonic()

    def show(tally: Tally) -> None:
        if tally.finished is None:
            return
        left = "" if tally.seconds_left is None else f"; about {duration(tally.seconds_left)} left"
        echo(
            f"[{time.monotonic() - started:6.1f} s] {tally.finished}: done; books "
            f"{tally.books_done} of {tally.books}, chapters {tally.chapters_done} of "
            f"{tally.chapters} planned{left}"
        )

    return show
