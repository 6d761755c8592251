"""The Engine protocol and the registry of engines.

Built-in engines register through the same entry point group as outside
plugins (`storycast.engines`), so a new engine is one new file plus one line
in its package's metadata. Engine modules import their heavy dependencies
lazily, so listing engines stays instant."""

from __future__ import annotations

from functools import cache
from importlib.metadata import entry_points
from typing import ClassVar, Protocol

from storycast.errors import EngineError
from storycast.model import Audio, VoiceProfile

_BUILTIN = {
    "espeak": "storycast.engines.espeak:EspeakEngine",
    "piper": "storycast.engines.piper:PiperEngine",
}


class Engine(Protocol):
    """A text-to-speech engine: one line of plain text in, mono PCM out."""

    name: ClassVar[str]

    def version(self) -> str:
        """Changes whenever the same input could sound different (part of cache keys)."""
        ...

    def synthesize(self, text: str, profile: VoiceProfile) -> Audio:
        """Speak `text` (plain text, never markup) in the voice `profile` describes."""
        ...

    def voices(self) -> list[str]:
        """The engine's own voice ids."""
        ...


@cache
def registry() -> dict[str, str]:
    """Engine name -> "module:Class", built-ins first, then installed plugins."""
    found = dict(_BUILTIN)
    for entry in entry_points(group="storycast.engines"):
        found[entry.name] = entry.value
    return found


def names() -> list[str]:
    return sorted(registry())


def engine_class(name: str) -> type[Engine]:
    target = registry().get(name)
    if target is None:
        raise EngineError(f"unknown engine {name!r}; available: {', '.join(names())}")
    module_name, _, class_name = target.partition(":")
    module = __import__(module_name, fromlist=[class_name])
    return getattr(module, class_name)


def get(name: str) -> Engine:
    """A ready engine instance by name."""
    return engine_class(name)()
