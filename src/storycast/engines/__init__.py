"""The Engine protocol and the registry of engines.

Every engine is registered by name with `register`. The built-ins load the
way outside plugins do, from the `storycast.engines` entry point group (a new
engine is one new file plus one line in its package's metadata); a test can
register a fake engine directly. Engine modules import their heavy
dependencies lazily, so listing engines, reading profiles and reading
lexicons stay instant.

An engine owns its details: which profile settings it reads and what values
it accepts, and how a lexicon's phonemes are written for it."""

from __future__ import annotations

from importlib import import_module
from importlib.metadata import entry_points
from pathlib import Path
from typing import ClassVar, Protocol

from storycast.errors import EngineError, StorycastError
from storycast.model import Audio, VoiceProfile

GROUP = "storycast.engines"
COMMON_FIELDS = frozenset({"engine", "voice", "volume", "description"})
"""Profile settings every engine reads (or, for the description, keeps)."""


class ProfileError(StorycastError):
    """A profile setting an engine cannot use; the profile's loader names the
    file and line."""

    def __init__(self, field: str, message: str):
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")


class Engine(Protocol):
    """A text-to-speech engine: one line of plain text in, mono PCM out."""

    name: ClassVar[str]
    profile_fields: ClassVar[frozenset[str]]
    """The VoiceProfile settings this engine reads besides COMMON_FIELDS;
    a profile for it that sets any other is refused."""

    @classmethod
    def phonemes(cls, written: str) -> str | None:
        """A lexicon entry written for this engine, as the engine is given it
        (its phoneme markup added where the entry leaves it out); None when
        the engine takes no phonemes, so an entry for it can only be a `say`."""
        ...

    @classmethod
    def checked(cls, profile: VoiceProfile, folder: Path | None) -> VoiceProfile:
        """`profile` as this engine will use it, or ProfileError naming the
        first setting it cannot use. `folder` holds the profile's file (files
        the profile names are relative to it); None for built-in profiles."""
        ...

    def version(self) -> str:
        """Changes whenever the same input could sound different (part of cache keys)."""
        ...

    def synthesize(self, text: str, profile: VoiceProfile) -> Audio:
        """Speak `text` (plain text, never markup) in the voice `profile` describes."""
        ...

    def voices(self) -> list[str]:
        """The engine's own voice ids."""
        ...


_registered: dict[str, type[Engine] | str] = {}
"""name -> the engine class, or "module:Class" until it is first used."""
_entry_points_read = False


def register(name: str, engine: type[Engine] | str) -> None:
    """Make `engine` (a class, or "module:Class" to import on first use)
    available as `name`, replacing any engine of that name."""
    _read_entry_points()
    _registered[name] = engine


def unregister(name: str) -> None:
    _registered.pop(name, None)


def _read_entry_points() -> None:
    """Register the installed engines (built-ins and plugins) once, before
    anything registered by hand."""
    global _entry_points_read
    if _entry_points_read:
        return
    _entry_points_read = True
    for entry in entry_points(group=GROUP):
        register(entry.name, entry.value)


def names() -> list[str]:
    _read_entry_points()
    return sorted(_registered)


def engine_class(name: str) -> type[Engine]:
    _read_entry_points()
    target = _registered.get(name)
    if target is None:
        raise EngineError(f"unknown engine {name!r}; available: {', '.join(names())}")
    if isinstance(target, str):
        target = _import(name, target)
        _registered[name] = target
    return target


def _import(name: str, target: str) -> type[Engine]:
    module_name, _, class_name = target.partition(":")
    try:
        return getattr(import_module(module_name), class_name)
    except (ImportError, AttributeError) as error:
        raise EngineError(f"engine {name!r} ({target}) cannot be loaded: {error}") from None


def get(name: str) -> Engine:
    """A ready engine instance by name."""
    return engine_class(name)()


def check_range(
    profile: VoiceProfile, field: str, low: float, high: float, expected: str = ""
) -> None:
    """ProfileError unless the setting is unset (None) or within low..high."""
    value = getattr(profile, field)
    if value is not None and not low <= value <= high:
        raise ProfileError(field, f"must be {expected or f'between {low} and {high}'}")
