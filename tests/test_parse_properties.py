"""Property tests: parsing never raises on arbitrary text, and segment offsets
are in order, inside the text, truthful, and cover every spoken word."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storycast.errors import InputError
from storycast.text import conventions, outline
from storycast.text.attribute import attribute
from storycast.text.parse import parse
from storycast.text.read import read_text

TOKENS = [
    "Gene",
    "Alex",
    "said",
    "she",
    "he",
    "asked",
    "the",
    "Bolly",
    "tea",
    " ",
    " ",
    " ",
    "\n",
    "\n\n",
    "\r\n",
    "\r",
    ".",
    ",",
    "!",
    "?",
    ":",
    '"',
    '"',
    "'",
    "“",
    "”",
    "‘",
    "’",
    "—",
    "*",
    "_",
    "Chapter 2",
    "CHAPTER IV",
    "# Part",
    "-/-/-",
    "* * *",
    "Fin.",
    "A/N:",
    "Disclaimer:",
    "by Someone",
    "'ello",
    "y'know",
    "o'",
    "é",
    "🙂",
    "שלום",
    "\t",
    "\x07",
    "<speak>",
    "&amp;",
    "123",
    "£5",
]

story_text = st.lists(st.sampled_from(TOKENS), max_size=120).map("".join) | st.text(max_size=300)
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def parsed(text: str):
    try:
        return attribute(parse(read_text(text, "story.txt")))
    except InputError:
        assert not text.strip() or not any(ch.isalnum() for ch in text)
        return None


def all_segments(script):
    return [s for c in script.chapters for s in c.segments]


@SETTINGS
@given(story_text)
def test_parsing_never_raises_and_offsets_are_ordered_and_inside(text):
    script = parsed(text)
    if script is None:
        return
    previous_end = 0
    for segment in all_segments(script):
        assert 0 <= segment.start <= segment.end <= len(text)
        assert segment.start >= previous_end
        previous_end = segment.end
        spoken = re.findall(r"\w+", segment.text)
        source_words = re.findall(r"\w+", text[segment.start : segment.end])
        if segment.kind == "heading" and script.author:  # the title announces its author
            source_words += ["by", *re.findall(r"\w+", script.author)]
        assert spoken == source_words[: len(spoken)] or set(spoken) <= set(source_words)


@SETTINGS
@given(story_text)
def test_every_word_is_spoken_or_is_structure(text):
    script = parsed(text)
    if script is None or not script.chapters:
        return
    covered = bytearray(len(text) + 1)
    for segment in (*all_segments(script), *script.front_matter, *script.back_matter):
        covered[segment.start : segment.end] = b"\x01" * (segment.end - segment.start)
    for match in re.finditer(r"[^\W_]", text):
        if not covered[match.start()]:
            line = _line_around(text, match.start())
            assert _is_structure(line), (line, text)


def _line_around(text: str, index: int) -> str:
    start = max(text.rfind("\n", 0, index), text.rfind("\r", 0, index)) + 1
    ends = [e for e in (text.find("\n", index), text.find("\r", index)) if e != -1]
    return text[start : min(ends) if ends else len(text)].strip()


def _is_structure(line: str) -> bool:
    """Lines that are read as structure, not words: scene breaks, the end
    marker and what follows it, the author line, headings."""
    line = re.sub(r"[\x00-\x1f\x7f]", " ", line).strip()  # as the reader sees it
    return bool(
        conventions.is_scene_break(line)
        or conventions.END_MARKER.match(line)
        or outline._AUTHOR_FIELD.match(line)
        or conventions.is_heading(line)
    )
