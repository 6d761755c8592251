"""How stories mark their structure in words: chapter headings, scene breaks,
titles, front-matter labels and end markers. One definition of each, shared
by the readers (which meet them inside a format's paragraphs) and by parse
(which finds the structure of plain text with them)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

_NUMBER = (
    r"(?:\d+|[ivxlcdm]+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|"
    r"twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty"
    r"(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?|thirty|forty|fifty)"
)
_HEADING = re.compile(
    rf"^(?:(?:chapter|part|book)\s+{_NUMBER}\b\.?(?:\s*[:.\-–—]\s*.*|\s+[A-Z\"'“‘].*)?"
    r"|(?:prologue|epilogue|interlude|afterword|foreword)\b(?:\s*[:.\-–—]\s*.*)?)$",
    re.IGNORECASE,
)
_MARKDOWN_HEADING = re.compile(r"^#{1,6}\s+(\S.*?)\s*#*$")
_MAX_HEADING_CHARS = 90
_MARK = r"[-*~=_#/\\+.•·°oOxX0<>◇◆❖§†‡—–]"
_SYMBOL = r"[#*~◇◆❖§†‡]"
SCENE_BREAK = re.compile(rf"^(?:{_MARK}\s*){{3,}}$|^{_SYMBOL}(?:\s*{_SYMBOL})?$")
"""A line of decoration between scenes (`* * *`, `~~~`, `-/-/-`, `oOo`, `#`, `§`)."""
# Decoration around the marker, but no quote marks: `End."` closes a wrapped quote.
END_MARKER = re.compile(r"^[-*~=_#.\s(\[]*(?:fin|the end|end)[-*~=_#.!\s)\]]*$", re.IGNORECASE)
MAX_BACK_MATTER = 12
"""An end marker counts only with at most this many paragraphs after it."""
_LABELS = (
    r"A\s*/\s*N|AN|Author['’]?s['’]?\s+Notes?|Notes?|Disclaimer|Summary|Rating|Pairings?|"
    r"Warnings?|Spoilers?|Word\s*count|Fandom|Characters|Category|Genre|Status|Published|"
    r"Updated|Dedication|Beta"
)
_FRONT_MATTER = re.compile(rf"^\W*(?:{_LABELS})\b\s*[:\-–—.]", re.IGNORECASE)
# As a section's whole title only the labels no chapter would be called.
_FRONT_MATTER_TITLE = re.compile(
    r"^\W*(?:A\s*/\s*N|Author['’]?s['’]?\s+Notes?|Notes?|Disclaimer|Summary|Dedication|"
    r"(?:Content\s+|Trigger\s+)?Warnings?)\W*$",
    re.IGNORECASE,
)
AUTHOR_NOTE = re.compile(r"^\W*(?:A\s*/\s*N|Author['’]?s['’]?\s+Notes?)\b", re.IGNORECASE)


def is_heading(line: str) -> str | None:
    """The chapter title if the line is a chapter heading, else None."""
    line = line.strip()
    if len(line) > _MAX_HEADING_CHARS:
        return None
    markdown = _MARKDOWN_HEADING.match(line)
    if markdown:
        return markdown.group(1)
    if _HEADING.match(line) and not line.endswith((",", ";")):
        return line.rstrip(".").strip()
    return None


def is_scene_break(line: str) -> bool:
    return bool(SCENE_BREAK.match(line.strip()))


def is_structural(line: str) -> bool:
    """A heading, scene break or end marker: never part of a paragraph."""
    return bool(is_heading(line) or is_scene_break(line) or END_MARKER.match(line))


def looks_like_title(text: str) -> bool:
    """A short line that reads as a story's title, not as its first sentence."""
    return (
        len(text) <= 100
        and len(text.split()) <= 14
        and not is_heading(text)
        and not is_scene_break(text)
        and not re.search(r"[\"“”]", text)
        and not text.startswith(("'", "‘"))
        and (not text.endswith((".", ",", ";", ":")) or text.endswith("..."))
    )


def is_front_matter(paragraph: str) -> bool:
    """A labelled paragraph before the story: "Author's note: ...", "Disclaimer: ..."."""
    return bool(_FRONT_MATTER.match(paragraph))


def is_front_matter_title(title: str) -> bool:
    """A section title that is such a label on its own ("Author's Note", "A/N")."""
    return bool(_FRONT_MATTER_TITLE.match(" ".join(title.split())))


def same(a: str, b: str) -> bool:
    """The same words, whatever the case, spacing and punctuation."""
    return re.sub(r"\W+", "", a).lower() == re.sub(r"\W+", "", b).lower()


def take_back_matter(body: list[T], text_of: Callable[[T], str]) -> tuple[list[T], list[T]]:
    """Split off everything from the end marker on (when little follows it),
    else closing author's notes. `text_of(item)` gives an item's words."""
    for index, item in enumerate(body):
        if END_MARKER.match(text_of(item)) and len(body) - index - 1 <= MAX_BACK_MATTER:
            return body[:index], body[index + 1 :]
    end = len(body)
    while end > 0 and AUTHOR_NOTE.match(text_of(body[end - 1])):
        end -= 1
    return body[:end], body[end:]
