"""Where storycast finds voice profiles and lexicons: the built-in ones that
ship inside the package, and the folders users keep their own in.

The built-ins are package data (storycast/data), read through
importlib.resources, so an installed wheel finds them as a source checkout
does; nothing here depends on where the code sits on disk."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

BUILTIN_VOICES = "voices"
BUILTIN_LEXICON = "lexicon.yaml"


def builtin(name: str) -> Traversable:
    """A file or folder of the package's own data."""
    return files("storycast") / "data" / name


def builtin_profiles() -> Iterator[Traversable]:
    """The built-in voice profiles (VOICE.yaml), by name."""
    folder = builtin(BUILTIN_VOICES)
    entries = folder.iterdir() if folder.is_dir() else iter(())
    yield from sorted((e for e in entries if e.name.endswith(".yaml")), key=lambda e: e.name)


def user_config() -> Path:
    """The user's storycast folder: $XDG_CONFIG_HOME/storycast, else ~/.config/storycast."""
    return Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config") / "storycast"


def installed_voices() -> Path:
    """Where `storycast voices install` puts Piper voices (NAME.onnx and
    NAME.onnx.json): $XDG_DATA_HOME/storycast/voices, else
    ~/.local/share/storycast/voices."""
    data = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(data) / "storycast" / "voices"


def voice_dirs(extra: Sequence[Path] | None = None) -> list[Path]:
    """The folders of the user's own profiles, first match wins: the given
    folders (--voices), ./voices, then the user's config folder. The built-in
    profiles come after all of them (see cast.load_profiles)."""
    dirs = [*(extra or ()), Path.cwd() / "voices", user_config() / "voices"]
    unique: list[Path] = []
    for folder in dirs:
        if folder.is_dir() and folder.resolve() not in [u.resolve() for u in unique]:
            unique.append(folder)
    return unique
