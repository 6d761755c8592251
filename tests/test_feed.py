"""The podcast feed, built for short stories rendered for real, read back with
feedparser (as podcast apps parse feeds) and lxml (for the podcast: tags)."""

from __future__ import annotations

import shutil
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from pathlib import Path

import feedparser
import pytest
from mutagen.id3 import APIC, ID3
from typer.testing import CliRunner

from feed_helpers import (
    FIRST_STORY,
    MARKUP_TITLE,
    NAMESPACES,
    SECOND_STORY,
    add_companion_files,
    items_by_url,
    parse_xml,
    render_story,
)
from storycast import ffmpeg
from storycast.cli import app
from storycast.errors import InputError
from storycast.publish.feed import FeedOptions, write_feed

pytestmark = pytest.mark.slow

BASE = "http://127.0.0.1:8000/"


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> Path:
    """An output folder holding the first story, rendered once for the module."""
    root = tmp_path_factory.mktemp("feed")
    render_story(FIRST_STORY, "first", root / "output", root)
    return root


@pytest.fixture
def output(rendered: Path, tmp_path: Path) -> Path:
    """A private copy of the rendered output, so tests may add files to it."""
    copy = tmp_path / "output"
    shutil.copytree(rendered / "output", copy, ignore=shutil.ignore_patterns(".clips"))
    return copy


def story_folder(output: Path) -> Path:
    (folder,) = [
        p
        for p in output.iterdir()
        if p.is_dir() and not p.name.startswith(".") and p.name not in ("covers", "transcripts")
    ]  # the feed's own folders
    return folder


def test_feed_per_chapter_has_every_field(output: Path) -> None:
    path = write_feed(output, FeedOptions(BASE))
    parsed = feedparser.parse(str(path))
    assert not parsed.bozo, parsed.get("bozo_exception")
    channel = parsed.feed
    assert channel.title == MARKUP_TITLE
    assert channel.author == "Ann & Bea"
    assert channel.subtitle  # the description
    assert channel.language == "en"
    assert channel.image.href.startswith(BASE)
    assert {tag.term for tag in channel.tags} == {"Arts", "Books"}
    assert "itunes_explicit" in channel

    folder = story_folder(output)
    chapter_files = sorted(folder.glob("[0-9][0-9] - *.mp3"))
    assert len(parsed.entries) == len(chapter_files) == 2
    by_episode = sorted(parsed.entries, key=lambda e: int(e.itunes_episode))
    for number, (entry, audio) in enumerate(zip(by_episode, chapter_files), start=1):
        assert MARKUP_TITLE in entry.title
        assert entry.summary
        (enclosure,) = entry.enclosures
        assert enclosure.href.startswith(BASE + folder.name + "/")
        assert int(enclosure.length) == audio.stat().st_size
        assert enclosure.type == "audio/mpeg"
        seconds = float(ffmpeg.probe(audio)["format"]["duration"])
        assert abs(int(entry.itunes_duration) - seconds) <= 1
        assert entry.published_parsed
        assert entry.id and entry.guidislink is False
        assert int(entry.itunes_episode) == number
        assert int(entry.itunes_season) == 1
    # Reading order is date order.
    dates = [parsedate_to_datetime(e.published) for e in by_episode]
    assert dates == sorted(dates) and len(set(dates)) == len(dates)

    root = parse_xml(path)
    channel_xml = root.find("channel")
    # every rendered book has a cover.jpg now; the channel takes the story's
    assert channel_xml.find("itunes:image", NAMESPACES).get("href").endswith("/cover.jpg")
    assert channel_xml.findtext("podcast:guid", namespaces=NAMESPACES)
    for item in root.iter("item"):
        people = {(p.text, p.get("role")) for p in item.findall("podcast:person", NAMESPACES)}
        assert ("Narrator", "narrator") in people
        assert ("Ann & Bea", "author") in people
    (first,) = [
        i for i in root.iter("item") if i.findtext("itunes:episode", namespaces=NAMESPACES) == "1"
    ]
    voices = {
        p.text
        for p in first.findall("podcast:person", NAMESPACES)
        if p.get("role") == "voice actor"
    }
    assert voices == {"Gene", "Alex"}


def test_feed_per_story_links_chapters_and_transcripts(output: Path) -> None:
    folder = story_folder(output)
    add_companion_files(folder)
    path = write_feed(output, FeedOptions(BASE, per="story"))
    parsed = feedparser.parse(str(path))
    assert not parsed.bozo, parsed.get("bozo_exception")
    (entry,) = parsed.entries
    book = folder / f"{folder.name}.mp3"
    (enclosure,) = entry.enclosures
    assert enclosure.href == BASE + folder.name + "/" + book.name
    assert int(enclosure.length) == book.stat().st_size
    assert entry.title == MARKUP_TITLE

    (item,) = parse_xml(path).iter("item")
    chapters = item.find("podcast:chapters", NAMESPACES)
    assert chapters.get("url") == f"{BASE}{folder.name}/chapters.json"
    assert chapters.get("type") == "application/json+chapters"
    transcripts = {
        t.get("type"): t.get("url") for t in item.findall("podcast:transcript", NAMESPACES)
    }
    assert transcripts == {
        "text/vtt": f"{BASE}{folder.name}/{folder.name}.vtt",
        "application/x-subrip": f"{BASE}{folder.name}/{folder.name}.srt",
    }
    (alternate,) = item.findall("podcast:alternateEnclosure", NAMESPACES)
    m4b = folder / f"{folder.name}.m4b"
    assert alternate.get("type") == "audio/mp4"
    assert int(alternate.get("length")) == m4b.stat().st_size
    source = alternate.find("podcast:source", NAMESPACES)
    assert source.get("uri") == f"{BASE}{folder.name}/{m4b.name}"
    people = {(p.text, p.get("role")) for p in item.findall("podcast:person", NAMESPACES)}
    assert {("Gene", "voice actor"), ("Alex", "voice actor"), ("Narrator", "narrator")} <= people


def test_per_chapter_transcripts_share_out_the_book(output: Path) -> None:
    folder = story_folder(output)
    add_companion_files(folder)
    path = write_feed(output, FeedOptions(BASE, per="chapter"))
    assert not feedparser.parse(str(path)).bozo
    items = sorted(
        parse_xml(path).iter("item"),
        key=lambda i: int(i.findtext("itunes:episode", namespaces=NAMESPACES)),
    )
    for suffix, mime in ((".vtt", "text/vtt"), (".srt", "application/x-subrip")):
        book_cues = (folder / f"{folder.name}{suffix}").read_text(encoding="utf-8").count("-->")
        total = 0
        for number, item in enumerate(items, start=1):
            (link,) = [
                t for t in item.findall("podcast:transcript", NAMESPACES) if t.get("type") == mime
            ]
            relative = f"transcripts/{folder.name}/{number:02d}{suffix}"
            assert link.get("url") == BASE + relative
            text = (output / relative).read_text(encoding="utf-8")
            total += text.count("-->")
            # Every chapter's transcript starts at its own zero.
            assert "00:00:00" in text.split("-->")[0]
        assert total == book_cues
    assert (output / f"transcripts/{folder.name}/01.vtt").read_text().startswith("WEBVTT")


def make_png(path: Path) -> bytes:
    ffmpeg.run(
        [
            "-f",
            "lavfi",
            "-i",
            "color=c=red:s=1400x1400",
            "-frames:v",
            "1",
            "-f",
            "image2",
            "-c:v",
            "png",
            str(path),
        ]
    )
    return path.read_bytes()


def test_cover_file_or_cover_in_tags(output: Path, tmp_path: Path) -> None:
    folder = story_folder(output)
    picture = make_png(tmp_path / "picture.png")
    (folder / "cover.jpg").unlink()  # render's own cover: this test is about finding one
    tags = ID3(folder / f"{folder.name}.mp3")
    tags.delall("APIC")
    tags.add(APIC(encoding=3, mime="image/png", type=3, desc="Cover", data=picture))
    tags.save(v2_version=3)
    path = write_feed(output, FeedOptions(BASE))
    copied = f"covers/{folder.name}.png"
    assert (output / copied).read_bytes() == picture
    root = parse_xml(path)
    assert root.find("channel/itunes:image", NAMESPACES).get("href") == BASE + copied
    for item in root.iter("item"):
        assert item.find("itunes:image", NAMESPACES).get("href") == BASE + copied

    # The cover the book records (timing.json names cover.jpg) wins over its tags.
    (folder / "cover.jpg").write_bytes(picture)
    path = write_feed(output, FeedOptions(BASE))
    assert parse_xml(path).find("channel/itunes:image", NAMESPACES).get("href") == (
        f"{BASE}{folder.name}/cover.jpg"
    )


def test_markup_in_titles_is_escaped(output: Path) -> None:
    path = write_feed(output, FeedOptions(BASE, title=MARKUP_TITLE + " & more <b>"))
    raw = path.read_text(encoding="utf-8")
    assert "Fish &amp; Chips &lt;Tonight&gt;" in raw
    assert "<b>" not in raw and "🐟" in raw
    parsed = feedparser.parse(str(path))
    assert not parsed.bozo
    assert parsed.feed.title == MARKUP_TITLE + " & more <b>"


def test_rerun_keeps_guids_and_dates(output: Path, tmp_path: Path) -> None:
    first_run = datetime(2026, 1, 1, 12, 0, tzinfo=timezone.utc)
    path = write_feed(output, FeedOptions(BASE), now=first_run)
    before = items_by_url(path)

    render_story(SECOND_STORY, "second", output, tmp_path)
    path = write_feed(output, FeedOptions(BASE), now=first_run + timedelta(days=1))
    after = items_by_url(path)

    assert {url: after[url] for url in before} == before
    new = {url: item for url, item in after.items() if url not in before}
    assert len(new) == 2
    guids = [item["guid"] for item in after.values()]
    assert len(set(guids)) == len(guids)
    old_dates = [parsedate_to_datetime(i["date"]) for i in before.values()]
    new_dates = [parsedate_to_datetime(new[url]["date"]) for url in sorted(new)]
    assert min(new_dates) > max(old_dates)
    assert new_dates == sorted(new_dates)  # chapter 01 before chapter 02
    parsed = feedparser.parse(str(path))
    seasons = {e.title.split(":")[0]: int(e.itunes_season) for e in parsed.entries}
    assert seasons["The Second Tale"] == 2


def test_cli_feed_and_its_errors(output: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["feed", str(output), "--base-url", "http://192.168.1.5:8000"])
    assert result.exit_code == 0, result.output
    assert (output / "feed.xml").is_file()
    assert "http://192.168.1.5:8000/feed.xml" in result.output

    result = runner.invoke(app, ["feed", str(output), "--base-url", "not a url"])
    assert result.exit_code == 1
    assert "storycast: error: --base-url" in result.output
    assert "Traceback" not in result.output

    result = runner.invoke(app, ["feed", str(output), "--base-url", BASE, "--per", "scene"])
    assert result.exit_code == 2

    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(InputError, match="no rendered stories"):
        write_feed(empty, FeedOptions(BASE))
