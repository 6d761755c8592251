"""publish/state: the feed's memory. Guids, dates and season numbers are
decided once and kept; new episodes are dated in reading order, after every
stored one and never after now; a damaged state file is refused, not reset."""

from __future__ import annotations

import json
import uuid
from datetime import datetime, timedelta, timezone

import pytest

from storycast.errors import InputError
from storycast.publish.state import EPISODE_STEP, STATE_FILE, FeedState, utc_now

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)
KEYS = ["tab/chapter-01", "tab/chapter-02", "tab/chapter-03"]


def test_no_state_file_is_an_empty_state(tmp_path):
    state = FeedState.load(tmp_path)
    assert state.path == tmp_path / STATE_FILE
    assert (state.podcast_guid, state.stamps, state.seasons) == (None, {}, {})


def test_the_podcast_guid_follows_the_podcasting_2_0_rule(tmp_path):
    # The namespace's own example: the feed URL without scheme or trailing slash.
    state = FeedState.load(tmp_path)
    guid = state.podcast("https://mp3s.nashownotes.com/pc20rss.xml/")
    assert guid == "917393e3-1b1e-5cef-ace4-edaa54e1f810"


def test_the_podcast_guid_is_kept_when_the_address_changes(tmp_path):
    state = FeedState.load(tmp_path)
    first = state.podcast("http://192.168.1.20:8000/feed.xml")
    assert state.podcast("http://192.168.1.99:8000/feed.xml") == first


def test_seasons_number_stories_in_the_order_they_first_appear(tmp_path):
    state = FeedState.load(tmp_path)
    assert [state.season(s) for s in ("tab", "quattro", "tab", "third")] == [1, 2, 1, 3]


def test_new_episodes_are_dated_in_order_ending_now(tmp_path):
    state = FeedState.load(tmp_path)
    stamps = state.stamp_all(KEYS, NOW)
    assert list(stamps) == KEYS
    dates = [stamps[key].date for key in KEYS]
    assert dates == [NOW - EPISODE_STEP * 2, NOW - EPISODE_STEP, NOW]


def test_episode_guids_are_uuid5_of_the_key_in_the_podcasts_namespace(tmp_path):
    state = FeedState.load(tmp_path)
    podcast = state.podcast("http://localhost:8000/feed.xml")
    stamps = state.stamp_all(KEYS, NOW)
    for key in KEYS:
        assert stamps[key].guid == str(uuid.uuid5(uuid.UUID(podcast), key))
    assert len({s.guid for s in stamps.values()}) == len(KEYS)


def test_without_a_podcast_guid_episode_guids_use_the_url_namespace(tmp_path):
    stamps = FeedState.load(tmp_path).stamp_all(KEYS[:1], NOW)
    assert stamps[KEYS[0]].guid == str(uuid.uuid5(uuid.NAMESPACE_URL, KEYS[0]))


def test_stored_stamps_are_kept_and_new_ones_come_after_them(tmp_path):
    state = FeedState.load(tmp_path)
    first = state.stamp_all(KEYS[:2], NOW)
    later = NOW + timedelta(days=2)
    second = state.stamp_all(KEYS, later)
    assert {k: second[k] for k in KEYS[:2]} == first
    assert second[KEYS[2]].date == later
    assert second[KEYS[2]].date > max(s.date for s in first.values())


def test_episodes_added_soon_after_are_squeezed_between_the_last_date_and_now(tmp_path):
    state = FeedState.load(tmp_path)
    state.stamp_all(["old/story"], NOW)
    soon = NOW + timedelta(seconds=90)
    stamps = state.stamp_all(KEYS, soon)
    dates = [stamps[key].date for key in KEYS]
    assert NOW < dates[0] < dates[1] < dates[2] == soon


def test_dates_stay_after_the_last_one_when_the_clock_went_back(tmp_path):
    state = FeedState.load(tmp_path)
    state.stamp_all(["old/story"], NOW)
    stamps = state.stamp_all(KEYS, NOW - timedelta(hours=1))
    dates = [stamps[key].date for key in KEYS]
    assert NOW < dates[0] < dates[1] < dates[2]


def test_dates_have_whole_seconds_and_never_tie(tmp_path):
    state = FeedState.load(tmp_path)
    state.stamp_all(["old/story"], NOW)
    soon = NOW + timedelta(seconds=7, microseconds=500_000)
    keys = [f"long/chapter-{n:02}" for n in range(1, 6)]
    dates = [state.stamp_all(keys, soon)[key].date for key in keys]
    assert all(date.microsecond == 0 for date in dates)
    assert all(a < b for a, b in zip(dates, dates[1:]))


def test_save_and_load_give_back_the_same_state(tmp_path):
    state = FeedState.load(tmp_path)
    state.podcast("http://localhost:8000/feed.xml")
    state.season("tab")
    state.season("quattro")
    stamps = state.stamp_all(KEYS, NOW)
    state.save()
    again = FeedState.load(tmp_path)
    assert again.podcast_guid == state.podcast_guid
    assert again.seasons == {"tab": 1, "quattro": 2}
    assert again.stamps == stamps
    assert again.season("new") == 3  # numbering goes on after a reload


def test_the_saved_file_is_json_sorted_by_episode_with_nothing_left_beside_it(tmp_path):
    state = FeedState.load(tmp_path)
    state.stamp_all(list(reversed(KEYS)), NOW)
    state.save()
    text = (tmp_path / STATE_FILE).read_text(encoding="utf-8")
    assert text.endswith("\n")
    assert list(json.loads(text)["episodes"]) == sorted(KEYS)
    assert [p.name for p in tmp_path.iterdir()] == [STATE_FILE]


@pytest.mark.parametrize(
    "damage",
    [
        "{not json",
        '{"episodes": {"tab/story": {"date": "2026-03-01T12:00:00+00:00"}}}',
        '{"episodes": {"tab/story": {"guid": "x", "date": "yesterday"}}}',
        '{"seasons": {"tab": "first"}}',
        '["a list"]',
    ],
)
def test_a_damaged_state_file_is_refused_not_reset(tmp_path, damage):
    (tmp_path / STATE_FILE).write_text(damage, encoding="utf-8")
    with pytest.raises(InputError, match="damaged feed state.*fix it rather than delete it"):
        FeedState.load(tmp_path)
    assert (tmp_path / STATE_FILE).read_text(encoding="utf-8") == damage


def test_utc_now_is_aware_and_whole_seconds():
    now = utc_now()
    assert now.tzinfo is not None and now.utcoffset() == timedelta(0)
    assert now.microsecond == 0
