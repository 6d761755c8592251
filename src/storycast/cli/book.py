"""render and check: a story into a book folder, and the book's audio measured."""

from __future__ import annotations

import json
import math
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, get_args

import typer

from storycast.cli.app import (
    CastOption,
    JsonOption,
    MasterOption,
    VoicesOption,
    choices,
    duration,
    engine_option,
    jobs_option,
    output_folder_option,
    progress_bars,
    user_errors,
)
from storycast.model import PresetName

if TYPE_CHECKING:
    from storycast.check import Report
    from storycast.render import RenderOptions


def render(
    story: Path = typer.Argument(
        ...,
        metavar="STORY",
        help="A story (.txt, .md, .html, .epub, or a folder of "
        "chapter files) or a reviewed script (.yaml).",
    ),
    cast: Path | None = CastOption,
    engine: str | None = engine_option(
        "Use this engine for every voice: each profile is swapped for its "
        "twin, e.g. gene -> piper-gene."
    ),
    out: Path = output_folder_option("Output folder; the book goes into DIR/TITLE/."),
    jobs: int = jobs_option(),
    front_matter: Literal["read", "skip"] = typer.Option(
        "skip",
        "--front-matter",
        metavar=choices(["read", "skip"]),
        help="'read' reads author's notes and disclaimer as an "
        "opening chapter; 'skip' leaves them out.",
    ),
    voices: list[Path] = VoicesOption,
    cache: Path | None = typer.Option(
        None,
        "--cache",
        metavar="DIR",
        file_okay=False,
        help="Clip cache folder (default: OUT/.clips).",
    ),
    master: PresetName = MasterOption,
    cover: Path | None = typer.Option(
        None,
        "--cover",
        metavar="FILE",
        dir_okay=False,
        help="Cover image (made square, at least 1400 px). Default: one drawn from the title.",
    ),
    chapters: str | None = typer.Option(
        None,
        "--chapters",
        metavar="LIST",
        help="Render only these chapters, e.g. 2-3 or 1,4: their chapter files, "
        "and no whole-book file (the book's other files stay as they were).",
    ),
    preview: bool = typer.Option(
        False,
        "--preview",
        help="Render about a minute of each voice of the cast saying its own "
        "lines (DIR/TITLE/preview/VOICE.wav), to hear the casting first.",
    ),
    show_plan: bool = typer.Option(
        False,
        "--plan",
        help="Say how many chapters are already "
        "made, how many clips are cached and how many will be "
        "synthesized, and the time it should take; render nothing.",
    ),
    as_json: bool = typer.Option(False, "--json", help="With --plan: print the plan as JSON."),
) -> None:
    """Render STORY to per-chapter MP3s, the whole book as MP3 and M4B with chapters,
    transcripts (VTT, SRT), chapters.json, timing.json and script.yaml."""
    from storycast.render import RenderOptions
    from storycast.render import render as render_book

    options = RenderOptions(
        out=out,
        cast_file=cast,
        engine=engine,
        jobs=jobs,
        read_front_matter=front_matter == "read",
        voices=voices,
        cache=cache,
        master=master,
        cover=cover,
        chapters=chapter_numbers(chapters) if chapters else frozenset(),
    )
    if as_json and not show_plan:
        raise typer.BadParameter("--json goes with --plan", param_hint="--json")
    if show_plan:
        _print_plan(story, options, as_json)
        return
    if preview:
        _print_preview(story, options)
        return
    with user_errors(), progress_bars() as progress:
        book = render_book(story, options, progress)
    minutes, seconds = divmod(round(book.seconds), 60)
    what = f"chapter(s) {chapters} only" if chapters else f"{len(book.chapter_files)} chapter(s)"
    typer.echo(f"{book.title}: {what}, {minutes}:{seconds:02d}")
    typer.echo(f"  {book.folder}/")
    for path in (*book.chapter_files, *book.files.values()):
        typer.echo(f"    {path.name}")


def chapter_numbers(text: str) -> frozenset[int]:
    """--chapters: numbers and ranges, e.g. 2-3 or 1,4,6-8 (1 is the first chapter)."""
    numbers: set[int] = set()
    for piece in text.replace(" ", "").split(","):
        first, _, last = piece.partition("-")
        if not (first.isdigit() and (last.isdigit() or not _)) or int(first) < 1:
            raise typer.BadParameter(
                f"{text!r}: give chapter numbers from 1, e.g. 2-3 or 1,4", param_hint="--chapters"
            )
        low, high = int(first), int(last or first)
        if high < low:
            raise typer.BadParameter(
                f"{piece!r}: the range runs backwards", param_hint="--chapters"
            )
        numbers |= set(range(low, high + 1))
    return frozenset(numbers)


def _print_plan(story: Path, options: RenderOptions, as_json: bool) -> None:
    from storycast.plan import plan_render

    with user_errors():
        plan = plan_render(story, options)
    if as_json:
        typer.echo(json.dumps(asdict(plan), indent=2))
        return
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


def _print_preview(story: Path, options: RenderOptions) -> None:
    from storycast.preview import preview

    with user_errors(), progress_bars() as progress:
        previews = preview(story, options, progress)
    for voice in previews:
        typer.echo(
            f"{voice.file}  {voice.seconds:4.0f} s  {voice.voice}: {', '.join(voice.speakers)}"
        )


def check(
    folder: Path = typer.Argument(
        ..., metavar="FOLDER", help="A rendered book's folder (output/STORY/)."
    ),
    master: PresetName | None = typer.Option(
        None,
        "--master",
        "-m",
        metavar=choices(get_args(PresetName)),
        help="Preset to judge by: acx or podcast (default: the "
        "one the book was rendered with, else acx).",
    ),
    as_json: bool = JsonOption,
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
        typer.echo(_reports_json(reports, target.name) if as_json else table(reports, target))
    if not all(report.passed for report in reports):
        raise typer.Exit(1)


def _reports_json(reports: list[Report], preset_name: str) -> str:
    """check --json: each file's figures (null for silence's -inf), its
    failures, and whether the folder passes."""

    def finite(figures: dict[str, Any]) -> dict[str, Any]:
        return {
            k: None if isinstance(v, float) and math.isinf(v) else v for k, v in figures.items()
        }

    files = [
        {
            "file": Path(report.measurement.path).name,
            "chapter": report.chapter,
            "passed": report.passed,
            "info": asdict(report.measurement.info),
            "levels": finite(asdict(report.measurement.levels)),
            "failures": [asdict(failure) for failure in report.failures],
        }
        for report in reports
    ]
    passed = all(report.passed for report in reports)
    return json.dumps({"preset": preset_name, "passed": passed, "files": files}, indent=2)
