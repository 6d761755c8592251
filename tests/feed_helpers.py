"""Short stories rendered for real (espeak-ng, ffmpeg) for the feed, serve and
gPodder tests, and helpers to read a feed back."""

from __future__ import annotations

import json
from pathlib import Path

from lxml import etree
from mutagen.id3 import ID3

from storycast import ffmpeg
from storycast.render import RenderOptions, render

# A title with every character XML must escape, quotes and an emoji.
MARKUP_TITLE = "Fish & Chips <Tonight> \"Now\" 'n' Then 🐟"

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

NAMESPACES = {
    "itunes": "http://www.itunes.com/dtds/podcast-1.0.dtd",
    "podcast": "https://podcastindex.org/namespace/1.0",
}


def render_story(text: str, name: str, out: Path, work: Path) -> Path:
    """Render `text` into OUT/<slug>/ and return that folder."""
    story = work / f"{name}.txt"
    story.write_text(text, encoding="utf-8")
    book = render(story, RenderOptions(out=out, jobs=2, cache=work / "clips"))
    return Path(book.folder)


def add_companion_files(folder: Path) -> None:
    """The M4B, chapters.json and transcripts as the packager writes them, made here from
    the book's ID3 chapters when this checkout's packager does not yet."""
    slug = folder.name
    if not (folder / f"{slug}.m4b").exists():
        ffmpeg.run(
            [
                "-i",
                str(folder / f"{slug}.mp3"),
                "-c:a",
                "aac",
                "-b:a",
                "48k",
                "-f",
                "ipod",
                str(folder / f"{slug}.m4b"),
            ]
        )
    tags = ID3(folder / f"{slug}.mp3")
    chapters = sorted(tags.getall("CHAP"), key=lambda frame: frame.start_time)
    if not (folder / "chapters.json").exists():
        data = {
            "version": "1.2.0",
            "chapters": [
                {"startTime": frame.start_time / 1000, "title": str(frame.sub_frames["TIT2"])}
                for frame in chapters
            ],
        }
        (folder / "chapters.json").write_text(json.dumps(data), encoding="utf-8")
    # One cue at the start of each chapter and one in its middle.
    cues = []
    for frame in chapters:
        start, end = frame.start_time / 1000, frame.end_time / 1000
        title = str(frame.sub_frames["TIT2"])
        cues += [(start, start + 1, title), ((start + end) / 2, (start + end) / 2 + 1, "middle")]
    if not (folder / f"{slug}.vtt").exists():
        (folder / f"{slug}.vtt").write_text(
            "WEBVTT\n\n"
            + "\n\n".join(
                f"{_stamp(a, '.')} --> {_stamp(b, '.')}\n<v Narrator>{text}" for a, b, text in cues
            )
            + "\n",
            encoding="utf-8",
        )
    if not (folder / f"{slug}.srt").exists():
        (folder / f"{slug}.srt").write_text(
            "\n\n".join(
                f"{n}\n{_stamp(a, ',')} --> {_stamp(b, ',')}\nNarrator: {text}"
                for n, (a, b, text) in enumerate(cues, start=1)
            )
            + "\n",
            encoding="utf-8",
        )


def _stamp(seconds: float, separator: str) -> str:
    whole = int(seconds)
    return (
        f"{whole // 3600:02d}:{whole // 60 % 60:02d}:{whole % 60:02d}"
        f"{separator}{round((seconds - whole) * 1000) % 1000:03d}"
    )


def parse_xml(path: Path) -> etree._Element:
    return etree.parse(str(path)).getroot()


def items_by_url(path: Path) -> dict[str, dict[str, str]]:
    """Enclosure URL -> the item's guid and date, from the feed as written."""
    found = {}
    for item in parse_xml(path).iter("item"):
        found[item.find("enclosure").get("url")] = {
            "guid": item.findtext("guid"),
            "date": item.findtext("pubDate"),
        }
    return found
