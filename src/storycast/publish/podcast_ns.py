"""A feedgen extension for the Podcasting 2.0 namespace (podcast:*).

feedgen's own podcast extension covers only itunes:*; this one adds the tags
storycast uses: podcast:guid and podcast:person on the channel, and
podcast:chapters, podcast:transcript, podcast:person, podcast:season,
podcast:episode and podcast:alternateEnclosure on each item. Values are set as
plain data and turned into elements only when feedgen writes the feed, so lxml
does the escaping."""

from __future__ import annotations

from dataclasses import dataclass

import lxml.etree  # noqa: F401  (feedgen.util uses lxml.etree without importing it)
from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.util import xml_elem

NAMESPACE = "https://podcastindex.org/namespace/1.0"
CHAPTERS_TYPE = "application/json+chapters"


def _tag(name: str) -> str:
    return f"{{{NAMESPACE}}}{name}"


@dataclass(frozen=True)
class PersonTag:
    name: str
    role: str
    group: str = "cast"
    href: str | None = None
    img: str | None = None


@dataclass(frozen=True)
class TranscriptTag:
    url: str
    type: str
    rel: str | None = None
    language: str | None = None


@dataclass(frozen=True)
class AlternateTag:
    """Another encoding of the episode (podcast:alternateEnclosure)."""

    url: str
    type: str
    length: int
    title: str


def _add_people(parent, people: list[PersonTag]) -> None:  # noqa: ANN001
    for person in people:
        element = xml_elem(_tag("person"), parent, role=person.role, group=person.group)
        for attribute in ("href", "img"):
            if getattr(person, attribute):
                element.set(attribute, getattr(person, attribute))
        element.text = person.name


class PodcastIndexExtension(BaseExtension):
    """Channel-level podcast:* tags."""

    def __init__(self) -> None:
        self.guid: str | None = None
        self.people: list[PersonTag] = []

    def extend_ns(self) -> dict[str, str]:
        return {"podcast": NAMESPACE}

    def extend_rss(self, rss_feed):  # noqa: ANN001, ANN201
        channel = rss_feed[0]
        if self.guid:
            xml_elem(_tag("guid"), channel).text = self.guid
        _add_people(channel, self.people)
        return rss_feed


class PodcastIndexEntryExtension(BaseEntryExtension):
    """Item-level podcast:* tags."""

    def __init__(self) -> None:
        self.chapters_url: str | None = None
        self.transcripts: list[TranscriptTag] = []
        self.people: list[PersonTag] = []
        self.season: int | None = None
        self.episode: int | None = None
        self.alternates: list[AlternateTag] = []

    def extend_ns(self) -> dict[str, str]:
        return {"podcast": NAMESPACE}

    def extend_rss(self, item):  # noqa: ANN001, ANN201
        if self.season is not None:
            xml_elem(_tag("season"), item).text = str(self.season)
        if self.episode is not None:
            xml_elem(_tag("episode"), item).text = str(self.episode)
        if self.chapters_url:
            xml_elem(_tag("chapters"), item, url=self.chapters_url, type=CHAPTERS_TYPE)
        for transcript in self.transcripts:
            element = xml_elem(_tag("transcript"), item, url=transcript.url, type=transcript.type)
            if transcript.language:
                element.set("language", transcript.language)
            if transcript.rel:
                element.set("rel", transcript.rel)
        for alternate in self.alternates:
            element = xml_elem(
                _tag("alternateEnclosure"),
                item,
                type=alternate.type,
                length=str(alternate.length),
                title=alternate.title,
            )
            xml_elem(_tag("source"), element, uri=alternate.url)
        _add_people(item, self.people)
        return item
