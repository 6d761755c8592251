"""voices and say: the voice profiles, and how a word will be spoken."""

from __future__ import annotations

from pathlib import Path

import typer

from storycast.cli.app import CastOption, EngineName, engine_name, user_errors
from storycast.model import VoiceProfile


def voices(
    engine: EngineName | None = typer.Option(
        None, "--engine", "-e", help="Also list this engine's own voice ids."
    ),
    preview: str | None = typer.Option(None, "--preview", help="Render PROFILE saying TEXT."),
    text: str = typer.Argument(
        "The rain had not stopped all week.", metavar="TEXT", help="Text to preview."
    ),
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

    name = engine_name(engine)
    with user_errors():
        profiles = load_profiles(voice_dirs())
        if preview:
            _preview(profiles, preview, text, out)
            return
        for profile_name, profile in sorted(profiles.items()):
            if name and profile.engine != name:
                continue
            variant = f"+{profile.variant}" if profile.variant else ""
            typer.echo(
                f"{profile_name:14} {profile.engine:7} {profile.voice + variant:24} "
                f"{_settings(profile):38} {profile.description}"
            )
        if name:
            typer.echo(f"\n{name} voices:")
            for voice_id in engines.get(name).voices():
                typer.echo(f"  {voice_id}")


def _settings(profile: VoiceProfile) -> str:
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


def _preview(profiles: dict[str, VoiceProfile], name: str, text: str, out: Path) -> None:
    from storycast import engines
    from storycast.errors import InputError
    from storycast.files import output_file, write_wav
    from storycast.text.speakable import engine_safe

    if name not in profiles:
        raise InputError(f"no voice profile {name!r}; have: {', '.join(sorted(profiles))}")
    target = output_file(out)  # a link: its target
    profile = profiles[name]
    audio = engines.get(profile.engine).synthesize(engine_safe(text), profile)
    write_wav(target, audio)
    typer.echo(f"wrote {out} ({audio.seconds:.1f} s)")


def say(
    words: str = typer.Argument(..., metavar="WORDS", help="A word, a name or a sentence."),
    voice: str = typer.Option("narrator", "--voice", help="The voice profile to say it in."),
    engine: EngineName | None = typer.Option(
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

    name = engine_name(engine)
    with user_errors():
        profiles = load_profiles(voice_dirs())
        if voice not in profiles:
            raise InputError(f"no voice profile {voice!r}; have: {', '.join(sorted(profiles))}")
        profile = replace(profiles[voice], engine=name) if name else profiles[voice]
        files = lexicon_files(story, cast)
        text = speakable_text(words, lexicon=load_lexicon(files), engine=profile.engine)
        if not text:
            raise InputError(f"{words!r} leaves nothing to say")
        typer.echo(f"{profile.engine}: {text}")
        _preview({voice: profile}, voice, text, out)
