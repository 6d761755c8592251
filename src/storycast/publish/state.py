"""The feed's memory: every episode's guid and publication date, and the
podcast's own guid, kept in OUTPUT/feed-state.json.

Podcast apps tell episodes apart by guid and order them by date; if either
changed when the feed is rebuilt, subscribers would get every episode again.
So each is decided once, the first time an episode appears, and kept."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from storycast.errors import InputError
from storycast.files import write_text

STATE_FILE = "feed-state.json"
PODCAST_NAMESPACE = uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6")
"""The namespace Podcasting 2.0 prescribes for podcast:guid (a UUIDv5 of the feed URL)."""
EPISODE_STEP = timedelta(minutes=1)
"""Gap between consecutive new episodes, so apps sort a story's chapters in order
(less when episodes came in the last minutes)."""


@dataclass(frozen=True)
class Stamp:
    guid: str
    date: datetime


class FeedState:
    """Guids and dates by episode key ("slug/chapter-03", "slug/story")."""

    def __init__(
        self,
        path: Path,
        podcast_guid: str | None,
        stamps: dict[str, Stamp],
        seasons: dict[str, int],
    ):
        self.path = path
        self.podcast_guid = podcast_guid
        self.stamps = stamps
        self.seasons = seasons

    @classmethod
    def load(cls, output: Path) -> FeedState:
        path = output / STATE_FILE
        if not path.is_file():
            return cls(path, None, {}, {})
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            stamps = {
                key: Stamp(value["guid"], datetime.fromisoformat(value["date"]))
                for key, value in data.get("episodes", {}).items()
            }
            seasons = {slug: int(n) for slug, n in data.get("seasons", {}).items()}
            return cls(path, data.get("podcast_guid"), stamps, seasons)
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            raise InputError(
                f"{path}: damaged feed state ({error}); it holds the episode "
                "guids subscribers know, so fix it rather than delete it"
            ) from None

    def podcast(self, feed_url: str) -> str:
        """The podcast's guid: derived from the first feed URL, then kept even
        when the URL changes (a new LAN address must not make a new podcast)."""
        if not self.podcast_guid:
            bare = feed_url.split("://", 1)[-1].rstrip("/")
            self.podcast_guid = str(uuid.uuid5(PODCAST_NAMESPACE, bare))
        return self.podcast_guid

    def season(self, slug: str) -> int:
        """A story's number in the order stories first entered the feed."""
        if slug not in self.seasons:
            self.seasons[slug] = max(self.seasons.values(), default=0) + 1
        return self.seasons[slug]

    def stamp_all(self, keys: list[str], now: datetime) -> dict[str, Stamp]:
        """Guids and dates for `keys` (in reading order): stored ones kept; new
        ones dated in order after every stored date, the last one `now`, so no
        episode is dated in the future (apps may hide those)."""
        new = [key for key in keys if key not in self.stamps]
        latest = max((s.date for s in self.stamps.values()), default=None)
        step = EPISODE_STEP
        if latest is not None and new:
            step = min(EPISODE_STEP, (now - latest) / len(new))
        step = max(step, timedelta(seconds=1))  # RSS dates have whole seconds
        start = now - step * (len(new) - 1)
        if latest is not None and start <= latest:  # a clock set back: go on from the last
            start = latest + step
        namespace = uuid.UUID(self.podcast_guid) if self.podcast_guid else uuid.NAMESPACE_URL
        for index, key in enumerate(new):
            date = (start + step * index).replace(microsecond=0)
            self.stamps[key] = Stamp(str(uuid.uuid5(namespace, key)), date)
        return {key: self.stamps[key] for key in keys}

    def save(self) -> None:
        data = {
            "podcast_guid": self.podcast_guid,
            "seasons": self.seasons,
            "episodes": {
                key: {"guid": s.guid, "date": s.date.isoformat()}
                for key, s in sorted(self.stamps.items())
            },
        }
        write_text(self.path, json.dumps(data, indent=1, ensure_ascii=False) + "\n")


def utc_now() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)
