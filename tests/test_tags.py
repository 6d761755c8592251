"""The book's tags, read back by the tools players and librarians use:
mutagen, ffprobe, and where installed AtomicParsley, eyeD3 and mediainfo.
Track, year, description and narrator where the story says them; the
chapter MP3s carry the album artist as the M4B does."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from mutagen.id3 import ID3
from mutagen.mp4 import MP4

from storycast import ffmpeg
from storycast.model import BookInfo
from storycast.render import RenderOptions, render

pytestmark = pytest.mark.slow

STORY = """---
title: The Lamp
author: Ida Vale
date: 2019-05-01
summary: A lamp is lit at dusk.
language: en-GB
---

# Dusk

The lamp was lit.

"At last," said Ivo.

# Night

It burned till dawn.
"""


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    root = tmp_path_factory.mktemp("tags")
    story = root / "lamp.md"
    story.write_text(STORY, encoding="utf-8")
    return render(story, RenderOptions(out=root / "out", jobs=2, cache=root / "clips"))


def tool(*argv: str) -> str:
    if shutil.which(argv[0]) is None:
        pytest.skip(f"{argv[0]} is not installed (scripts/setup.sh installs it)")
    return subprocess.run(argv, capture_output=True, text=True, check=True, timeout=60).stdout


def test_m4b_tags(book) -> None:
    tags = MP4(book.files["m4b"]).tags
    assert tags["trkn"] == [(1, 1)]
    assert tags["\xa9day"] == ["2019"]
    assert tags["desc"] == tags["ldes"] == ["A lamp is lit at dusk."]
    narrator = tags["\xa9wrt"][0]
    assert narrator == tags["\xa9nrt"][0] and "narrator" in narrator
    assert tags["aART"] == tags["\xa9ART"] == ["Ida Vale"]
    listed = tool("AtomicParsley", str(book.files["m4b"]), "-t")
    assert "trkn" in listed and "1 of 1" in listed and '©day" contains: 2019' in listed


def test_mp3_tags_match_the_m4b(book) -> None:
    for path in (*book.chapter_files, book.files["mp3"]):
        tags = ID3(path)
        assert tags.version[:2] == (2, 3)
        assert str(tags["TPE2"]) == str(tags["TPE1"]) == "Ida Vale"
        assert str(tags["TDRC"]) == "2019"
        assert "narrator" in str(tags["TCOM"])
        assert str(tags.getall("COMM")[0]) == "A lamp is lit at dusk."
        probed = ffmpeg.probe(path)["format"]["tags"]
        assert probed["album_artist"] == "Ida Vale" and probed["date"] == "2019"
    assert str(ID3(book.files["mp3"])["TRCK"]) == "1/1"
    assert str(ID3(book.chapter_files[1])["TRCK"]) == "2/2"
    shown = tool("eyeD3", str(book.chapter_files[0]))
    assert "album artist: Ida Vale" in shown and "composer:" in shown


def test_mediainfo_reads_every_tag_and_a_real_bitrate(book) -> None:
    shown = tool("mediainfo", str(book.files["m4b"]))
    for field in ("Composer", "Description", "Recorded date", "Track name/Position"):
        assert field in shown, field
    (line,) = [row for row in shown.splitlines() if row.startswith("Bit rate  ")]
    assert float(line.split(":")[1].split()[0]) > 0


def test_the_book_info_is_completed_from_the_script_only_where_unknown() -> None:
    from storycast.book.package import described
    from storycast.model import BookMeta, Script

    script = Script("T", "t.txt", (), meta=BookMeta(date="c. 1890", summary="S."))
    info = described(BookInfo("T", None, 1), script)
    assert (info.year, info.description) == ("1890", "S.")
    kept = described(BookInfo("T", None, 1, year="2001"), Script("T", "t.txt", ()))
    assert (kept.year, kept.description) == ("2001", None)


def test_the_feed_speaks_the_storys_language(book) -> None:
    from lxml import etree

    from storycast.publish.feed import FeedOptions, write_feed

    feed = write_feed(Path(book.folder).parent, FeedOptions("http://127.0.0.1:8000/"))
    assert etree.parse(str(feed)).findtext("channel/language") == "en-GB"
