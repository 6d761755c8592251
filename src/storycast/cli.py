"""The command line: the only place errors become messages and exit codes.

Exit status: 0 done, 1 the input was wrong (the message says what and
where), 2 the command line was wrong (typer's usage errors)."""

from __future__ import annotations

import errno
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import typer

from storycast.errors import StorycastError

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


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn storycast's errors into one line on stderr and exit status 1."""
    try:
        yield
    except StorycastError as error:
        typer.echo(f"storycast: error: {error}", err=True)
        raise typer.Exit(1) from None
    except OSError as error:
        if error.errno not in (errno.ENOSPC, errno.EDQUOT):
            raise
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


@app.command()
def render(
    story: Path = typer.Argument(
        ...,
        help="A story (.txt, .md, .html, .epub, or a folder of "
        "chapter files) or a reviewed script (.yaml).",
    ),
    cast: Path | None = CastOption,
    engine: str | None = typer.Option(
        None,
        "--engine",
        "-e",
        help="Use this engine for every voice (espeak, piper): "
        "each profile is swapped for its twin, e.g. gene "
        "-> piper-gene.",
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
    front_matter: str = typer.Option(
        "skip",
        "--front-matter",
        help="'read' reads author's notes and disclaimer as an "
        "opening chapter; 'skip' leaves them out.",
    ),
    voices: list[Path] = typer.Option(
        [],
        "--voices",
        help="Extra folder of voice profiles (searched before ./voices).",
        file_okay=False,
    ),
    cache: Path | None = typer.Option(
        None, "--cache", file_okay=False, help="Clip cache folder (default: OUT/.clips)."
    ),
    master: str = MasterOption,
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
    if front_matter not in ("read", "skip"):
        raise typer.BadParameter("must be 'read' or 'skip'", param_hint="--front-matter")
    _check_preset(master)
    from storycast.render import RenderOptions, plan_render
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
            f"{work}; about {_duration(plan.estimated_seconds)}"
        )
        return
    with user_errors(), _progress() as progress:
        book = render_book(story, options, progress)
    minutes, seconds = divmod(round(book.seconds), 60)
    typer.echo(f"{book.title}: {len(book.chapter_files)} chapter(s), {minutes}:{seconds:02d}")
    typer.echo(f"  {book.folder}/")
    for path in dict.fromkeys(
        (*book.chapter_files, book.book_file, *book.other_files, book.script_file)
    ):
        typer.echo(f"    {Path(path).name}")


def _duration(seconds: float) -> str:
    minutes, seconds = divmod(round(seconds), 60)
    return f"{minutes} min {seconds} s" if minutes else f"{seconds} s"


@app.command()
def check(
    folder: Path = typer.Argument(..., help="A rendered book's folder (output/STORY/)."),
    master: str | None = typer.Option(
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
    from storycast.check import check_folder, table

    if master is not None:
        _check_preset(master)
    with user_errors():
        if master is None:
            manifest = folder / "timing.json"
            master = timing.load(manifest).master if manifest.is_file() else "acx"
        target = preset(master)
        reports = check_folder(folder, target)
        typer.echo(table(reports, target))
    if not all(report.passed for report in reports):
        raise typer.Exit(1)


def _check_preset(name: str) -> None:
    from storycast.audio.master import PRESETS

    if name not in PRESETS:
        raise typer.BadParameter(f"must be one of: {', '.join(PRESETS)}", param_hint="--master")


@app.command()
def tag(
    story: Path = typer.Argument(..., help="The story to tag."),
    cast: Path | None = CastOption,
    out: Path | None = typer.Option(
        None, "--output", "-o", dir_okay=False, help="Write the script as YAML here, for review."
    ),
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
    from storycast import script as scriptfile
    from storycast.files import atomic_path
    from storycast.render import load_script

    with user_errors():
        script = load_script(story, cast)
        if as_json:
            typer.echo(scriptfile.to_json(script))
        elif out:
            with atomic_path(out) as temporary:
                temporary.write_text(scriptfile.to_yaml(script), encoding="utf-8")
            typer.echo(f"wrote {out}", err=True)
        elif not (review or lint_only):
            typer.echo(scriptfile.to_yaml(script))
        if review:
            _print_review(script)
        if review or lint_only:
            _print_lint(script)


_REVIEW_BELOW = 0.7
"""Lines with a confidence under this are listed by --review."""


def _print_review(script) -> None:  # noqa: ANN001
    from storycast.text.review import lines_to_review

    doubtful = lines_to_review(script, _REVIEW_BELOW)
    for title, segment in doubtful:
        typer.echo(
            f"{title} @{segment.start}: {segment.speaker} ({segment.confidence:.2f}, "
            f"{segment.rule}): {segment.text[:70]}"
        )
    lines = sum(1 for c in script.chapters for s in c.segments if s.kind in ("speech", "thought"))
    typer.echo(
        f"{len(doubtful)} of {lines} line(s) to review (confidence < {_REVIEW_BELOW})", err=True
    )


def _print_lint(script) -> None:  # noqa: ANN001
    from storycast.text.lint import lint

    findings = lint(script)
    for finding in findings:
        segment = finding.segment
        typer.echo(
            f"lint: {finding.chapter} @{segment.start}: {segment.text[:50]!r}: {finding.message}"
        )
    typer.echo(f"{len(findings)} line(s) contradict their speech tag", err=True)


@app.command("cast")
def draft_cast(
    story: Path = typer.Argument(..., help="The story to find characters in."),
    out: Path | None = typer.Option(
        None, "--output", "-o", dir_okay=False, help="Write the draft cast file here."
    ),
) -> None:
    """Draft a cast file: the characters who speak or are spoken to, their other
    names merged as aliases, their gender guessed. Edit it, then pass --cast."""
    import yaml

    from storycast.script import to_data
    from storycast.text.attribute import attribute
    from storycast.text.parse import parse
    from storycast.text.read import read

    with user_errors():
        # A full reading, not just discovery: it learns nicknames and genders.
        script = attribute(parse(read(story)), None)
        cast = script.cast
        text = yaml.safe_dump(
            to_data(script.__class__(**{**script.__dict__, "cast": cast}))["cast"],
            sort_keys=False,
            allow_unicode=True,
        )
        if out:
            from storycast.files import atomic_path

            with atomic_path(out) as temporary:
                temporary.write_text(text, encoding="utf-8")
        else:
            typer.echo(text, nl=False)


@app.command()
def voices(
    engine: str | None = typer.Option(
        None, "--engine", "-e", help="Also list this engine's own voice ids."
    ),
    preview: str | None = typer.Option(None, "--preview", help="Render PROFILE saying TEXT."),
    text: str = typer.Argument("The rain had not stopped all week.", help="Text to preview."),
    out: Path = typer.Option(
        Path("preview.wav"),
        "--output",
        "-o",
        dir_okay=False,
        help="Where --preview writes its WAV.",
    ),
) -> None:
    """List voice profiles (and an engine's voices), or preview one profile."""
    from storycast import engines
    from storycast.cast import load_profiles, voice_dirs

    with user_errors():
        profiles = load_profiles(voice_dirs())
        if preview:
            _preview(profiles, preview, text, out)
            return
        for name, profile in sorted(profiles.items()):
            if engine and profile.engine != engine:
                continue
            variant = f"+{profile.variant}" if profile.variant else ""
            typer.echo(
                f"{name:14} {profile.engine:7} {profile.voice + variant:24} "
                f"{_settings(profile):38} {profile.description}"
            )
        if engine:
            typer.echo(f"\n{engine} voices:")
            for voice_id in engines.get(engine).voices():
                typer.echo(f"  {voice_id}")


def _settings(profile) -> str:  # noqa: ANN001
    """The settings the profile's engine reads, short: espeak-ng's rate and
    pitch, or the neural ones that differ from the model's own."""
    if profile.engine == "espeak":
        return f"rate {profile.rate} pitch {profile.pitch}"
    named = {
        "speaker": profile.speaker,
        "length": profile.length_scale,
        "noise": profile.noise_scale,
        "noise_w": profile.noise_w,
        "pitch": profile.pitch_shift or None,
        "formant": profile.formant_shift or None,
    }
    return " ".join(
        f"{key} {value:+g}" if key in ("pitch", "formant") else f"{key} {value}"
        for key, value in named.items()
        if value is not None
    )


def _preview(profiles, name: str, text: str, out: Path) -> None:  # noqa: ANN001
    import wave

    from storycast import engines
    from storycast.errors import InputError
    from storycast.files import atomic_path

    if name not in profiles:
        raise InputError(f"no voice profile {name!r}; have: {', '.join(sorted(profiles))}")
    profile = profiles[name]
    audio = engines.get(profile.engine).synthesize(text, profile)
    with atomic_path(out) as temporary, wave.open(str(temporary), "wb") as clip:
        clip.setnchannels(1)
        clip.setsampwidth(2)
        clip.setframerate(audio.sample_rate)
        clip.writeframes(audio.pcm)
    typer.echo(f"wrote {out} ({audio.seconds:.1f} s)")


@app.command()
def say(
    words: str = typer.Argument(..., help="A word, a name or a sentence."),
    voice: str = typer.Option("narrator", "--voice", help="The voice profile to say it in."),
    engine: str | None = typer.Option(
        None, "--engine", "-e", help="Use this engine instead of the profile's."
    ),
    story: Path | None = typer.Option(
        None, "--story", help="Also use STORY.lexicon.yaml beside this story."
    ),
    cast: Path | None = CastOption,
    out: Path = typer.Option(
        Path("say.wav"), "--output", "-o", dir_okay=False, help="Where to write the WAV."
    ),
) -> None:
    """Say WORDS as the pronunciation lexicon makes them: prints what the engine
    is given and writes a WAV to play."""
    from dataclasses import replace

    from storycast.cast import load_profiles, voice_dirs
    from storycast.errors import InputError
    from storycast.text.lexicon import lexicon_files, load_lexicon
    from storycast.text.speakable import speakable_text

    with user_errors():
        profiles = load_profiles(voice_dirs())
        if voice not in profiles:
            raise InputError(f"no voice profile {voice!r}; have: {', '.join(sorted(profiles))}")
        profile = replace(profiles[voice], engine=engine) if engine else profiles[voice]
        files = lexicon_files(story, cast)
        text = speakable_text(words, lexicon=load_lexicon(files), engine=profile.engine)
        if not text:
            raise InputError(f"{words!r} leaves nothing to say")
        typer.echo(f"{profile.engine}: {text}")
        _preview({voice: profile}, voice, text, out)


@app.command()
def feed(
    output: Path = typer.Argument(
        ..., help="The output folder holding rendered stories.", file_okay=False
    ),
    base_url: str = typer.Option(
        ...,
        "--base-url",
        help="The address OUTPUT is served at, "
        "e.g. http://192.168.1.20:8000/ (see `storycast serve`).",
    ),
    per: str = typer.Option(
        "auto",
        "--per",
        help="One episode per 'chapter' or per 'story'; "
        "'auto': per chapter when a story has several.",
    ),
    title: str | None = typer.Option(None, "--title", help="The podcast's title."),
    author: str | None = typer.Option(None, "--author", help="The podcast's author."),
    description: str | None = typer.Option(None, "--description"),
    language: str = typer.Option("en", "--language", help="Language code, e.g. en, en-GB."),
    explicit: bool = typer.Option(False, "--explicit", help="Mark the podcast explicit."),
) -> None:
    """Write OUTPUT/feed.xml: a podcast feed of every story rendered into OUTPUT."""
    if per not in ("auto", "chapter", "story"):
        raise typer.BadParameter("must be 'chapter', 'story' or 'auto'", param_hint="--per")
    from storycast.publish.feed import FeedOptions, write_feed

    options = FeedOptions(
        base_url=base_url,
        per=per,
        title=title,  # type: ignore[arg-type]
        author=author,
        description=description,
        language=language,
        explicit=explicit,
    )
    with user_errors():
        path = write_feed(output, options)
        typer.echo(f"wrote {path}")
        typer.echo(
            f"subscribe to {options.base_url.rstrip('/')}/{path.name} "
            f"(serve it with: storycast serve {output})"
        )


@app.command()
def serve(
    output: Path = typer.Argument(
        ..., help="The folder to serve (with feed.xml).", file_okay=False
    ),
    port: int = typer.Option(8000, "--port", "-p", min=0, max=65535),
    host: str = typer.Option(
        "127.0.0.1",
        "--host",
        help="0.0.0.0 to let phones on the same network in; the default serves this computer only.",
    ),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Do not log each request."),
) -> None:
    """Serve OUTPUT over HTTP (with seeking) so podcast apps can subscribe."""
    from storycast.publish.serve import lan_address, make_server

    with user_errors():
        server = make_server(output, host, port, quiet)
    bound_port = server.server_address[1]
    shown = (lan_address() or host) if host in ("0.0.0.0", "::", "") else host
    typer.echo(
        f"serving {output}/ at http://{shown}:{bound_port}/ "
        f"(feed: http://{shown}:{bound_port}/feed.xml); Ctrl-C stops",
        err=True,
    )
    if not (output / "feed.xml").is_file():
        typer.echo(
            f"no feed.xml yet: storycast feed {output} --base-url http://{shown}:{bound_port}/",
            err=True,
        )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


@contextmanager
def _progress():
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

        def start(description: str, total: int):
            task = bar.add_task(description, total=total)
            return lambda n=1: bar.advance(task, n)

        yield start


def main() -> None:
    app(prog_name="storycast")


if __name__ == "__main__":
    sys.exit(main())
