"""Short stories rendered for real (espeak-ng, ffmpeg) for the feed, serve and
gPodder tests, and helpers to read a feed back."""

from __future__ import annotations

import json
from pathlib import Path

from lxml import etree
from mutagen.id3 import ID3

from storycast.render import RenderOptions, render

# A title with every character XML must escape, quotes and an emoji.
MARKUP_TITLE = 'Fish & Chips <Tonight> "Now" \'n\' Then 🐟'

FIRST_STORY = f"""Title: {MARKUP_TITLE}

by Ann & Bea

Chapter 1: Arrival

The rain fell on the harbour wall.

"You're late," said Gene.

"Traffic," Alex said.

Chapter 2: Departure

They left together.

"Goodnight," said Alex.
"""

SECOND_STORY = """Title: The Second Tale

by Cy

Chapter 1

Morning came early.

"Tea?" asked Sam.

Chapter 2

The kettle sang.
"""

NAMESPACES = {"itunes": "http://www.itunes.com/dtds/podcast-1.0.dtd",
              "podcast": "https://podcastindex.org/namespace/1.0"}


def render_story(text: str, name: str, out: Path, work: Path) -> Path:
    """Render `text` into OUT/<slug>/ and return that folder."""
    story = work / f"{name}.txt"
    story.write_text(text, encoding="utf-8")
    book = render(story, RenderOptions(out=out, jobs=2, cache=work / "clips"))
    return Path(book.folder)


def add_companion_files(folder: Path) -> None:
    """chapters.json and transcripts as the packager writes them, made here from
    the book's ID3 chapters when this checkout's packager does not yet."""
    slug = folder.name
    tags = ID3(folder / f"{slug}.mp3")
    chapters = sorted(tags.getall("CHAP"), key=lambda frame: frame.start_time)
    if not (folder / "chapters.json").exists():
        data = {"version": "1.2.0", "chapters": [
            {"startTime": frame.start_time / 1000, "title": str(frame.sub_frames["TIT2"])}
            for frame in chapters]}
        (folder / "chapters.json").write_text(json.dumps(data), encoding="utf-8")
    if not (folder / f"{slug}.vtt").exists():
        (folder / f"{slug}.vtt").write_text(
            "WEBVTT\n\n00:00:00.000 --> 00:00:02.000\n<v Narrator>The rain fell.\n",
            encoding="utf-8")
    if not (folder / f"{slug}.srt").exists():
        (folder / f"{slug}.srt").write_text(
            "1\n00:00:00,000 --> 00:00:02,000\nNarrator: The rain fell.\n", encoding="utf-8")


def parse_xml(path: Path) -> etree._Element:
    return etree.parse(str(path)).getroot()


def items_by_url(path: Path) -> dict[str, dict[str, str]]:
    """Enclosure URL -> the item's guid and date, from the feed as written."""
    found = {}
    for item in parse_xml(path).iter("item"):
        found[item.find("enclosure").get("url")] = {"guid": item.findtext("guid"),
                                                   "date": item.findtext("pubDate")}
    return found
