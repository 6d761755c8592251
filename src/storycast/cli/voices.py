"""voices and say: the voice profiles, and how a word will be spoken."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

import typer

from storycast.cli.app import (
    CastOption,
    JsonOption,
    VoicesOption,
    engine_option,
    output_file_option,
    user_errors,
)
from storycast.cli.voice_install import MirrorOption, print_available
from storycast.model import VoiceProfile


def voices(
    engine: str | None = engine_option(
        "Also list this engine's own voice ids; with --story, cast for this "
        "engine as `render --engine` does."
    ),
    story: Path | None = typer.Option(
        None,
        "--story",
        metavar="STORY",
        help="Show which voice each character of STORY would get (with --cast, as render).",
    ),
    cast: Path | None = CastOption,
    extra: list[Path] = VoicesOption,
    preview: str | None = typer.Option(
        None, "--preview", metavar="PROFILE", help="Render PROFILE saying TEXT."
    ),
    text: str = typer.Argument(
        "The rain had not stopped all week.", metavar="TEXT", help="Text to preview."
    ),
    out: Path = output_file_option(Path("preview.wav"), "Where --preview writes its WAV."),
    as_json: bool = JsonOption,
    available: bool = typer.Option(
        False, "--available", help="List the Piper voice catalog's voices (see --language)."
    ),
    language: str | None = typer.Option(
        None, "--language", metavar="LANG", help="With --available: only this language (en, en_GB)."
    ),
    root: str | None = MirrorOption,
) -> None:
    """List voice profiles (and an engine's voices), show a story's casting,
    or preview one profile; --available lists the Piper voice catalog. Also:
    `storycast voices check [PROFILE...]` measures how intelligible and
    distinct profiles are; `storycast voices install NAME` installs a Piper voice."""
    from storycast import engines
    from storycast.cast import load_profiles, voice_dirs

    if available:
        print_available(root, language)
        return
    with user_errors():
        profiles = load_profiles(voice_dirs(extra))
        if preview:
            _preview(profiles, preview, text, out)
            return
        if story:
            _print_casting(story, cast, profiles, engine, as_json)
            return
        listed = {
            name: profile
            for name, profile in sorted(profiles.items())
            if not engine or profile.engine == engine
        }
        own = engines.get(engine).voices() if engine else []
    if as_json:
        data: dict[str, Any] = {"profiles": [_profile_data(p) for p in listed.values()]}
        if engine:
            data["engine_voices"] = {engine: own}
        typer.echo(json.dumps(data, indent=2))
        return
    for profile_name, profile in listed.items():
        variant = f"+{profile.variant}" if profile.variant else ""
        typer.echo(
            f"{profile_name:14} {profile.engine:7} {profile.voice + variant:24} "
            f"{_settings(profile):38} {profile.description}"
        )
    if engine:
        typer.echo(f"\n{engine} voices:")
        for voice_id in own:
            typer.echo(f"  {voice_id}")


def _profile_data(profile: VoiceProfile) -> dict[str, Any]:
    """A profile as JSON: its name, engine, voice and the settings it sets."""
    return {key: value for key, value in asdict(profile).items() if value is not None}


def _print_casting(
    story: Path,
    cast: Path | None,
    profiles: dict[str, VoiceProfile],
    engine: str | None,
    as_json: bool,
) -> None:
    """Each character of the story (the narrator first, then by lines
    spoken) with the voice a render would give them."""
    from collections import Counter

    from storycast.cast import assign_voices
    from storycast.script import load_script

    script = load_script(story, cast)
    voices = assign_voices(script, profiles, engine)
    lines = Counter(
        segment.voiced_by for chapter in script.chapters for segment in chapter.segments
    )
    rows = [
        {
            "character": speaker,
            "voice": profile.name,
            "engine": profile.engine,
            "engine_voice": profile.voice,
            "lines": lines.get(speaker, 0),
        }
        for speaker, profile in voices.items()
    ]
    if as_json:
        typer.echo(json.dumps({"story": script.title, "cast": rows}, indent=2))
        return
    for row in rows:
        typer.echo(
            f"{row['character']:20} {row['voice']:14} {row['engine']:7} "
            f"{row['engine_voice']:24} {row['lines']:5} line(s)"
        )


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
        "tilt": profile.tilt or None,
    }
    return " ".join(
        f"{key} {value:+g}" if key in ("pitch", "formant", "tilt") else f"{key} {value}"
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
    voice: str = typer.Option(
        "narrator", "--voice", metavar="PROFILE", help="The voice profile to say it in."
    ),
    engine: str | None = engine_option("Use this engine instead of the profile's."),
    story: Path | None = typer.Option(
        None, "--story", metavar="STORY", help="Also use STORY.lexicon.yaml beside this story."
    ),
    cast: Path | None = CastOption,
    out: Path = output_file_option(Path("say.wav"), "Where to write the WAV."),
) -> None:
    """Say WORDS as the pronunciation lexicon makes them: prints what the engine
    is given and writes a WAV to play."""
    from dataclasses import replace

    from storycast.cast import load_profiles, voice_dirs
    from storycast.errors import InputError
    from storycast.text.lexicon import lexicon_files, load_lexicon
    from storycast.text.speakable import speakable_text

    name = engine
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
