"""render and check: a story into a book folder, and the book's audio measured."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import typer

from storycast.cli.app import (
    CastOption,
    EngineName,
    MasterOption,
    duration,
    engine_name,
    progress_bars,
    user_errors,
)
from storycast.model import PresetName


def render(
    story: Path = typer.Argument(
        ...,
        metavar="STORY",
        help="A story (.txt, .md, .html, .epub, or a folder of "
        "chapter files) or a reviewed script (.yaml).",
    ),
    cast: Path | None = CastOption,
    engine: EngineName | None = typer.Option(
        None,
        "--engine",
        "-e",
        help="Use this engine for every voice: each profile is swapped for its "
        "twin, e.g. gene -> piper-gene.",
    ),
    out: Path = typer.Option(
        Path("output"),
        "--output",
        "-o",
        file_okay=False,
        help="Output folder; the book goes into OUT/<title>/.",
    ),
    jobs: int = typer.Option(
        0, "--jobs", "-j", min=0, help="Synthesis processes (0: one per CPU core)."
    ),
    front_matter: Literal["read", "skip"] = typer.Option(
        "skip",
        "--front-matter",
        help="'read' reads author's notes and disclaimer as an "
        "opening chapter; 'skip' leaves them out.",
    ),
    voices: list[Path] = typer.Option(
        [],
        "--voices",
        metavar="DIR",
        help="Extra folder of voice profiles (searched before ./voices); repeatable.",
        file_okay=False,
    ),
    cache: Path | None = typer.Option(
        None, "--cache", file_okay=False, help="Clip cache folder (default: OUT/.clips)."
    ),
    master: PresetName = MasterOption,
    cover: Path | None = typer.Option(
        None,
        "--cover",
        dir_okay=False,
        help="Cover image (made square, at least 1400 px). Default: one drawn from the title.",
    ),
    show_plan: bool = typer.Option(
        False,
        "--plan",
        help="Say how many chapters are already "
        "made, how many clips are cached and how many will be "
        "synthesized, and the time it should take; render nothing.",
    ),
) -> None:
    """Render STORY to per-chapter MP3s, the whole book as MP3 and M4B with chapters,
    transcripts (VTT, SRT), chapters.json, timing.json and script.yaml."""
    from storycast.render import RenderOptions, plan_render
    from storycast.render import render as render_book

    options = RenderOptions(
        out=out,
        cast_file=cast,
        engine=engine_name(engine),
        jobs=jobs,
        read_front_matter=front_matter == "read",
        voices=voices,
        cache=cache,
        master=master,
        cover=cover,
    )
    if show_plan:
        with user_errors():
            plan = plan_render(story, options)
        made = plan.chapters - plan.chapters_to_make
        work = (
            f"{plan.chapters_to_make} to make ({plan.lines_to_make} lines: {plan.cached} "
            f"clips cached, {plan.to_synthesize} to synthesize)"
            if plan.chapters_to_make
            else "nothing to make but the book files"
        )
        typer.echo(
            f"{plan.chapters} chapter(s), {plan.lines} lines: {made} already made; "
            f"{work}; about {duration(plan.estimated_seconds)}"
        )
        return
    with user_errors(), progress_bars() as progress:
        book = render_book(story, options, progress)
    minutes, seconds = divmod(round(book.seconds), 60)
    typer.echo(f"{book.title}: {len(book.chapter_files)} chapter(s), {minutes}:{seconds:02d}")
    typer.echo(f"  {book.folder}/")
    for path in (*book.chapter_files, *book.files.values()):
        typer.echo(f"    {path.name}")


def check(
    folder: Path = typer.Argument(
        ..., metavar="FOLDER", help="A rendered book's folder (output/STORY/)."
    ),
    master: PresetName | None = typer.Option(
        None,
        "--master",
        "-m",
        help="Preset to judge by: acx or podcast (default: the "
        "one the book was rendered with, else acx).",
    ),
) -> None:
    """Measure every audio file in FOLDER against a mastering preset; exit 1 if any fails."""
    from storycast.audio.master import preset
    from storycast.book import timing
    from storycast.book.layout import BookFolder
    from storycast.check import check_folder, table

    with user_errors():
        manifest = BookFolder(folder).timing
        if master is None:
            target = preset(timing.load(manifest).master if manifest.is_file() else "acx")
        else:
            target = preset(master)
        reports = check_folder(folder, target)
        typer.echo(table(reports, target))
    if not all(report.passed for report in reports):
        raise typer.Exit(1)
