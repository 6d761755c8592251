"""The feed's memory: every episode's guid and publication date, and the
podcast's own guid, kept in OUTPUT/feed-state.json.

Podcast apps tell episodes apart by guid and order them by date; if either
changed when the feed is rebuilt, subscribers would get every episode again.
So each is decided once, the first time an episode appears, and kept; only
an episode whose audio changed (a correction) gets a new guid, so apps fetch
it again (docs/feed.md says why the date stays)."""

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
    version: str | None = None
    """A hash of the episode's audio when the guid was given (None in older states)."""


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
                _text(key): Stamp(
                    _text(value["guid"]),
                    _aware(value["date"]),
                    None if value.get("version") is None else _text(value["version"]),
                )
                for key, value in data.get("episodes", {}).items()
            }
            seasons = {_text(slug): int(n) for slug, n in data.get("seasons", {}).items()}
            podcast_guid = data.get("podcast_guid")
            if podcast_guid is not None:
                podcast_guid = str(uuid.UUID(_text(podcast_guid)))
            return cls(path, podcast_guid, stamps, seasons)
        except (ValueError, KeyError, TypeError, AttributeError, RecursionError) as error:
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

    def stamp_all(
        self, keys: list[str], now: datetime, versions: dict[str, str] | None = None
    ) -> dict[str, Stamp]:
        """Guids and dates for `keys` (in reading order): stored ones kept; new
        ones dated in order after every stored date, the last one `now`, so no
        episode is dated in the future (apps may hide those). An episode whose
        audio `versions` differ from the stored one gets a new guid (apps fetch
        it again) and keeps its date (its place in reading order)."""
        versions = versions or {}
        self._revise(versions)
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
            self.stamps[key] = Stamp(str(uuid.uuid5(namespace, key)), date, versions.get(key))
        return {key: self.stamps[key] for key in keys}

    def _revise(self, versions: dict[str, str]) -> None:
        namespace = uuid.UUID(self.podcast_guid) if self.podcast_guid else uuid.NAMESPACE_URL
        for key, version in versions.items():
            stamp = self.stamps.get(key)
            if stamp is None or stamp.version == version:
                continue
            guid = stamp.guid  # a state written before versions: adopt this one
            if stamp.version is not None:
                guid = str(uuid.uuid5(namespace, f"{key}@{version}"))
            self.stamps[key] = Stamp(guid, stamp.date, version)

    def save(self) -> None:
        data = {
            "podcast_guid": self.podcast_guid,
            "seasons": self.seasons,
            "episodes": {
                key: {"guid": s.guid, "date": s.date.isoformat()}
                | ({"version": s.version} if s.version else {})
                for key, s in sorted(self.stamps.items())
            },
        }
        write_text(self.path, json.dumps(data, indent=1, ensure_ascii=False) + "\n")


def _text(value: object) -> str:
    """A guid or key: printable text (it goes into the feed's XML as it is)."""
    if not isinstance(value, str) or not value or not value.isprintable():
        raise ValueError(f"{value!r} is not a guid or name")
    return value


def _aware(value: object) -> datetime:
    """A date with its time zone (dates are compared with the clock's, in UTC)."""
    date = datetime.fromisoformat(_text(value))
    if date.tzinfo is None or date.utcoffset() is None:
        raise ValueError(f"{value!r} has no time zone")
    if not 1900 <= date.year <= 9000:  # no room to date new episodes after it
        raise ValueError(f"{value!r} is out of range")
    return date


def utc_now() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)
