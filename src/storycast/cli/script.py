"""tag and cast: a story's script and cast, drafted for review."""

from __future__ import annotations

from pathlib import Path

import typer

from storycast.cli.app import CastOption, output_file_option, user_errors
from storycast.model import Script
from storycast.text.review import REVIEW_BELOW, lines_to_review


def tag(
    story: Path = typer.Argument(..., metavar="STORY", help="The story to tag."),
    cast: Path | None = CastOption,
    out: Path | None = output_file_option(None, "Write the script as YAML here, for review."),
    as_json: bool = typer.Option(False, "--json", help="Print the script as JSON."),
    review: bool = typer.Option(
        False, "--review", help="List the lines whose speaker is uncertain, and the lint."
    ),
    lint_only: bool = typer.Option(
        False,
        "--lint",
        help="List the lines that contradict the speech tag beside "
        'them ("..." said Gene, spoken by Alex).',
    ),
) -> None:
    """Parse STORY and attribute every quote: the script, for review and correction.

    STORY may also be a script.yaml you edited: --lint then checks your edits."""
    from storycast.files import output_file
    from storycast.script import load_script, save, to_json, to_yaml

    with user_errors():
        target = output_file(out, [story]) if out else None  # a link: its target
        script = load_script(story, cast)
        if as_json:
            typer.echo(to_json(script))
        elif target:
            save(script, target)
            typer.echo(f"wrote {out}", err=True)
        elif not (review or lint_only):
            typer.echo(to_yaml(script))
        if review:
            _print_review(script)
        if review or lint_only:
            _print_lint(script)


def _print_review(script: Script) -> None:
    spoken = [(c.title, s) for c in script.chapters for s in c.segments if s.spoken]
    doubtful = lines_to_review(script, REVIEW_BELOW)
    for title, segment in doubtful:
        typer.echo(
            f"{title} @{segment.start}: {segment.speaker} ({segment.confidence:.2f}, "
            f"{segment.rule}): {segment.text[:70]}"
        )
    typer.echo(
        f"{len(doubtful)} of {len(spoken)} line(s) to review (confidence < {REVIEW_BELOW})",
        err=True,
    )


def _print_lint(script: Script) -> None:
    from storycast.text.lint import lint

    findings = lint(script)
    for finding in findings:
        segment = finding.segment
        typer.echo(
            f"lint: {finding.chapter} @{segment.start}: {segment.text[:50]!r}: {finding.message}"
        )
    typer.echo(f"{len(findings)} line(s) contradict their speech tag", err=True)


def draft_cast(
    story: Path = typer.Argument(..., metavar="STORY", help="The story to find characters in."),
    out: Path | None = output_file_option(None, "Write the draft cast file here."),
) -> None:
    """Draft a cast file: the characters who speak or are spoken to, their other
    names merged as aliases, their gender guessed, and, when Piper voices are
    installed (voices install), a real voice for each main character. Edit it,
    then pass --cast."""
    import yaml

    from storycast.cast import load_profiles, voice_dirs
    from storycast.files import output_file, write_text
    from storycast.script import cast_data
    from storycast.text.attribute import attribute
    from storycast.text.parse import parse
    from storycast.text.read import read
    from storycast.voicepool import with_real_voices

    with user_errors():
        target = output_file(out, [story]) if out else None  # a link: its target
        # A full reading, not just discovery: it learns nicknames and genders.
        script = attribute(parse(read(story)), None)
        # Installed Piper voices go to the main characters, by gender where known.
        script = with_real_voices(script, load_profiles(voice_dirs()))
        text = yaml.safe_dump(cast_data(script.cast), sort_keys=False, allow_unicode=True)
        if target:
            write_text(target, text)
        else:
            typer.echo(text, nl=False)
