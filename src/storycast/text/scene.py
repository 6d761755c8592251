"""The scene model: who is present in the scene being read.

A character enters when the narration names them, when they speak or when
they are spoken to; everyone leaves at a scene break or a new chapter, and
a character leaves when the narration says so ("Ray left the room")."""

from __future__ import annotations

import re
from collections.abc import Callable

from storycast.text.tags import NAME

_LEAVES = re.compile(
    rf"({NAME})\s+(?:\w+ly\s+)?(?:left|departed|went\s+(?:out|away|off)|walked\s+out|"
    r"hurried\s+(?:out|away|off)|ran\s+(?:out|off)|was\s+gone)\b"
)
_OWNER_OF_PLACE = re.compile(
    rf"({NAME})['’]s\s+(?:[a-z]+\s+)?(?:flat|house|home|office|room|rooms|shop|place|door|"
    r"restaurant|cottage|lodgings|study|garden|farm|estate|yard|bedroom|chambers|apartment|"
    r"hotel|inn|club|grave|funeral)\b"
)
"""A name only as the owner of a place (Dougie's flat) puts nobody in the scene."""


class Scene:
    """Characters present, most recently seen first."""

    def __init__(self) -> None:
        self.key: object = None
        self._seen: dict[str, int] = {}
        self._clock = 0

    def at(self, key: object) -> None:
        """Move to scene `key`; a new scene starts empty."""
        if key != self.key:
            self.key, self._seen = key, {}

    def enter(self, name: str) -> None:
        self._clock += 1
        self._seen[name] = self._clock

    @staticmethod
    def elsewhere(text: str) -> set[int]:
        """Where the narration names someone only as the owner of a place."""
        return {match.start() for match in _OWNER_OF_PLACE.finditer(text)}

    def narration(self, text: str, resolve: Callable[[str], str | None]) -> None:
        """Characters the narration says leave."""
        for match in _LEAVES.finditer(text):
            name = resolve(match.group(1))
            if name:
                self._seen.pop(name, None)

    def present(self) -> list[str]:
        return sorted(self._seen, key=lambda name: -self._seen[name])
