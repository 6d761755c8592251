"""Newcomers: a character the narration brings in by a description before
naming them ("a huge man in a fisherman's jumper came down the steps", and
three paragraphs on, "Fratelli shrugged"). The he after the description
means neither of the men named so far: the newcomer is the first character
of the description's sex whom the book names for the first time soon after,
in the same scene. From the description on, "the big man" and "the man" in
that scene mean the newcomer too."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from storycast.model import Chapter
from storycast.text.kin import KIN
from storycast.text.names import DESCRIPTION_GENDER, RANKS, Names

_PEOPLE = {
    noun: sex
    for noun, sex in DESCRIPTION_GENDER.items()
    if noun not in KIN and noun not in RANKS and noun != "sir"
}
"""Nouns that bring in a stranger (kin and rank name someone known)."""
_HEAD = "|".join(_PEOPLE)
_BROUGHT_IN = re.compile(
    rf"(?:^|[.!?;:]\s+|\band\s+|\bthen\s+)[Aa]n?\s+(?:[a-z][\w'’-]*\s+){{0,2}}?({_HEAD})\b"
    r"(?!['’]|\s+and\b)(?=[^.!?;]{0,80}?\b(?:came|entered|appeared|stepped|walked|ran|hurried|"
    r"strode|followed|emerged|approached|arrived|stood|sat|rose|looked up|"
    r"was (?:sitting|standing|bending|coming|waiting|leaning|passing))\b)"
)
"""A stranger who comes on: "A woman in a red coat stood up", "the door
opened, and a huge man came down the steps"."""
_NAMED_WITHIN = 10
"""Paragraphs after the description in which the name must come."""


@dataclass(frozen=True)
class Newcomer:
    scene: int
    paragraph: int
    """The paragraph that brings them in."""
    name: str
    sex: str
    description: re.Pattern[str]
    """How the scene goes on to call them: a/the, up to two words, the noun."""


def newcomers(chapters: Sequence[Chapter], names: Names) -> list[list[Newcomer]]:
    """Per chapter, the strangers its narration brings in who are named soon
    after for the first time in the book."""
    named: set[str] = set()
    found = []
    for chapter in chapters:
        narration = [s for s in chapter.segments if s.kind == "narration"]
        mentions = [names.mentions(s.text) for s in narration]
        in_chapter = []
        for at, segment in enumerate(narration):
            for match in _BROUGHT_IN.finditer(segment.text):
                later = [
                    name
                    for offset, (s, found_in) in enumerate(zip(narration[at:], mentions[at:]))
                    if s.scene == segment.scene and s.paragraph - segment.paragraph <= _NAMED_WITHIN
                    for position, name in found_in
                    if offset or position > match.end()
                ]
                noun = match.group(1)
                name = _first_new(later, named, names, _PEOPLE[noun])
                if name:
                    described = re.compile(
                        rf"\b(?:[Aa]n?|[Tt]he)\s+(?:[a-z][\w'’-]*\s+){{0,2}}?{noun}\b"
                    )
                    in_chapter.append(
                        Newcomer(segment.scene, segment.paragraph, name, _PEOPLE[noun], described)
                    )
            named.update(name for _, name in mentions[at])
        found.append(in_chapter)
    return found


def _first_new(later: list[str], named: set[str], names: Names, sex: str) -> str | None:
    """The first of `later` who may be of this sex and was never named before."""
    for name in later:
        if name not in named and names.gender.get(name, "unknown") in (sex, "unknown"):
            return name
    return None


def mentions_of(newcomers: Sequence[Newcomer], text: str) -> list[tuple[int, str]]:
    """(position, character) for each description of a newcomer in the text."""
    return [(m.start(), n.name) for n in newcomers for m in n.description.finditer(text)]


def newcomer_named(newcomers: Sequence[Newcomer], mention: str) -> str | None:
    """The newcomer a description means ("the big man", "the man looked"), if any."""
    return next((n.name for n in newcomers if n.description.match(mention)), None)
