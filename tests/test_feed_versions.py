"""Corrections reach subscribers: an episode whose audio changed gets a new
enclosure URL (its content hash), its new length and a new guid, and keeps
its date; an unchanged episode keeps all of them. The feed's language is the
stories' own unless --language says otherwise."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from feed_helpers import FIRST_STORY, parse_xml, render_story
from storycast.publish.feed import FeedOptions, write_feed
from storycast.publish.library import content_version
from storycast.publish.state import FeedState
from storycast.render import RenderOptions, render

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)
KEY = "tab/chapter-01"
BASE = "http://127.0.0.1:8000/"


def test_a_new_version_gets_a_new_guid_and_keeps_its_date(tmp_path: Path) -> None:
    state = FeedState.load(tmp_path)
    podcast = uuid.UUID(state.podcast(BASE + "feed.xml"))
    first = state.stamp_all([KEY], NOW, {KEY: "aaaa"})[KEY]
    assert first.guid == str(uuid.uuid5(podcast, KEY))  # as before versions existed
    same = state.stamp_all([KEY], NOW + timedelta(days=1), {KEY: "aaaa"})[KEY]
    assert same == first
    corrected = state.stamp_all([KEY], NOW + timedelta(days=2), {KEY: "bbbb"})[KEY]
    assert corrected.guid != first.guid and corrected.date == first.date
    assert corrected.version == "bbbb"
    state.save()
    assert FeedState.load(tmp_path).stamps[KEY] == corrected


def test_a_state_from_before_versions_keeps_its_guids(tmp_path: Path) -> None:
    state = FeedState.load(tmp_path)
    state.podcast(BASE + "feed.xml")
    old = state.stamp_all([KEY], NOW)[KEY]  # no versions known
    assert old.version is None
    adopted = state.stamp_all([KEY], NOW, {KEY: "aaaa"})[KEY]
    assert (adopted.guid, adopted.date, adopted.version) == (old.guid, old.date, "aaaa")


def test_content_version_follows_the_bytes(tmp_path: Path) -> None:
    path = tmp_path / "a.mp3"
    path.write_bytes(b"\xff\xfb" * 1000)
    before = content_version(path)
    path.write_bytes(b"\xff\xfb" * 999 + b"\xff\xfa")  # same length, one byte differs
    assert content_version(path) != before and len(before) == 12


def items(feed: Path) -> dict[str, dict[str, str]]:
    """Episode number -> guid, date, enclosure URL and length."""
    found = {}
    for item in parse_xml(feed).iter("item"):
        enclosure = item.find("enclosure")
        number = item.findtext("{http://www.itunes.com/dtds/podcast-1.0.dtd}episode")
        found[number] = {
            "guid": item.findtext("guid"),
            "date": item.findtext("pubDate"),
            "url": enclosure.get("url"),
            "length": enclosure.get("length"),
        }
    return found


def correct_a_speaker(folder: Path, work: Path) -> None:
    """Give Gene's line to the narrator in script.yaml and render it again."""
    script = folder / "script.yaml"
    text = script.read_text(encoding="utf-8")
    assert "speaker: Gene" in text
    edited = work / "edited.yaml"
    edited.write_text(text.replace("speaker: Gene", "speaker: narrator"), encoding="utf-8")
    render(edited, RenderOptions(out=folder.parent, jobs=2, cache=work / "clips"))


@pytest.mark.slow
def test_a_corrected_chapter_looks_new_to_podcast_apps(tmp_path: Path) -> None:
    folder = render_story(FIRST_STORY, "first", tmp_path / "output", tmp_path)
    output = folder.parent
    before = items(write_feed(output, FeedOptions(BASE), now=NOW))
    chapter_one = sorted(folder.glob("01 - *.mp3"))[0]
    old_bytes = chapter_one.read_bytes()

    correct_a_speaker(folder, tmp_path)
    assert chapter_one.read_bytes() != old_bytes
    after = items(write_feed(output, FeedOptions(BASE), now=NOW + timedelta(days=1)))

    changed, unchanged = after["1"], after["2"]
    assert changed["url"].endswith("?v=" + content_version(chapter_one))
    assert changed["url"] != before["1"]["url"]
    assert changed["length"] == str(chapter_one.stat().st_size)
    assert changed["guid"] != before["1"]["guid"]
    assert changed["date"] == before["1"]["date"]  # still in reading order
    assert unchanged == before["2"]


@pytest.mark.slow
def test_the_feed_speaks_the_stories_language(tmp_path: Path) -> None:
    folder = render_story(FIRST_STORY, "first", tmp_path / "output", tmp_path)
    output = folder.parent
    assert parse_xml(write_feed(output, FeedOptions(BASE))).findtext("channel/language") == "en"
    # A story whose source says en-GB (EPUB dc:language): script.yaml keeps it.
    script = folder / "script.yaml"
    text = script.read_text(encoding="utf-8")
    assert "\nmeta:" not in text
    script.write_text(text + "meta:\n  language: en-GB\n", encoding="utf-8")
    root = parse_xml(write_feed(output, FeedOptions(BASE)))
    assert root.findtext("channel/language") == "en-GB"
    transcript = root.find(".//{https://podcastindex.org/namespace/1.0}transcript")
    assert transcript.get("language") == "en-GB"
    chosen = parse_xml(write_feed(output, FeedOptions(BASE, language="fr")))
    assert chosen.findtext("channel/language") == "fr"
