"""voices install, and voices --available: Piper voices from the public
catalog or a mirror."""

from __future__ import annotations

import typer

from storycast.cli.app import progress_bars, user_errors

MirrorOption = typer.Option(
    None,
    "--from",
    metavar="URL",
    help="A mirror of the Piper voice catalog (its voices.json and files in the same "
    "layout); default: $STORYCAST_VOICE_MIRROR, else the public catalog.",
)


def install(
    name: str = typer.Argument(
        ..., metavar="NAME", help="The catalog's voice name, e.g. en_US-lessac-medium."
    ),
    root: str | None = MirrorOption,
) -> None:
    """Download a Piper voice (NAME.onnx and NAME.onnx.json) from the catalog
    into ~/.local/share/storycast/voices ($XDG_DATA_HOME), checking its
    checksums; an interrupted download resumes. Then use it in a profile as
    `voice: NAME` (multi-speaker models: add `speaker: N`)."""
    from storycast.catalog import installed

    with user_errors():
        with progress_bars() as progress:
            voice = installed.install(name, installed.mirror(root), progress)
    speakers = f", {voice.speakers} speakers (speaker: 0..{voice.speakers - 1})"
    typer.echo(
        f"installed {voice.key} in {voice.model.parent}{speakers if voice.speakers > 1 else ''}"
    )


def print_available(root: str | None, language: str | None) -> None:
    """The catalog's voices (of one language), with size and speakers; installed ones marked."""
    from storycast.catalog import index, installed

    with user_errors():
        voices = index.in_language(installed.catalog(installed.mirror(root)), language)
        have = {voice.key for voice in installed.installed()}
    for voice in voices:
        mark = "installed" if voice.key in have else ""
        speakers = f"{voice.speakers} speakers" if voice.speakers > 1 else "1 speaker"
        typer.echo(
            f"{voice.key:36} {voice.language:6} {voice.quality:8} {speakers:13} "
            f"{voice.size / 1e6:6.1f} MB  {mark}".rstrip()
        )
    if not voices:
        typer.echo(f"no voices{f' in {language}' if language else ''} in the catalog")
