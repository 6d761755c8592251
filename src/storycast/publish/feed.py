"""feed: rendered stories -> OUTPUT/feed.xml, a podcast feed that podcast apps
subscribe to: RSS 2.0 with the iTunes and Podcasting 2.0 namespaces.

An episode is a chapter (the default for stories with several chapters: apps
list them in reading order) or a whole story (its MP3 carries chapter marks,
and chapters.json and the transcripts are linked). Guids and dates are kept
in OUTPUT/feed-state.json, so rebuilding the feed never duplicates episodes."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

from storycast.book.layout import BookFolder
from storycast.errors import InputError
from storycast.files import atomic_path, output_file
from storycast.model import EpisodesPer as Per
from storycast.publish.covers import channel_cover, with_cover
from storycast.publish.episode_transcripts import per_chapter
from storycast.publish.library import (
    MediaFile,
    Person,
    Story,
    find_stories,
    stories_language,
)
from storycast.publish.podcast_ns import (
    AlternateTag,
    PersonTag,
    PodcastIndexEntryExtension,
    PodcastIndexExtension,
    TranscriptTag,
)
from storycast.publish.state import FeedState, utc_now
from storycast.publish.urls import check_language, check_text_option, normalise_base_url
from storycast.publish.versions import VersionCache

FEED_FILE = "feed.xml"
TRANSCRIPTS = "transcripts"
"""OUTPUT/transcripts/<slug>/NN.vtt: the book's transcripts cut per chapter."""
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class FeedOptions:
    base_url: str
    """Where OUTPUT/ is served: enclosure and feed URLs start with it."""
    per: Per = "auto"
    """Episodes per chapter, per story, or (auto) per chapter when a story has several."""
    title: str | None = None
    """The podcast's title; by default the story's, or a list of them."""
    author: str | None = None
    description: str | None = None
    language: str | None = None
    """The feed's language tag; by default the stories' own (else "en")."""
    category: tuple[str, str | None] = ("Arts", "Books")
    """An Apple Podcasts category and subcategory."""
    explicit: bool = False


@dataclass(frozen=True)
class Episode:
    key: str
    """What the guid and date are kept under: slug/chapter-NN or slug/story."""
    title: str
    summary: str
    audio: MediaFile
    season: int
    number: int
    people: tuple[Person, ...]
    cover: Path | None
    author: str | None
    chapters_json: Path | None = None
    transcripts: tuple[Path, ...] = field(default=())
    alternates: tuple[MediaFile, ...] = field(default=())
    """The same episode in other formats (the M4B audiobook)."""


def write_feed(output: Path, options: FeedOptions, now: datetime | None = None) -> Path:
    """Build OUTPUT/feed.xml for every story in OUTPUT; return its path."""
    base_url = normalise_base_url(options.base_url)
    check_language(options.language)
    for name in ("title", "author", "description"):
        check_text_option(name, getattr(options, name))
    output_file(output / FEED_FILE)
    stories = [with_cover(story, output) for story in find_stories(output)]
    options = replace(options, language=options.language or stories_language(stories))
    state = FeedState.load(output)
    feed_url = base_url + FEED_FILE
    state.podcast(feed_url)
    # New stories enter the feed in the order they were rendered.
    stories.sort(key=lambda s: (s.slug not in state.seasons, _rendered_at(s), s.slug))
    episodes = [
        e
        for story in stories
        for e in story_episodes(story, options.per, state, output / TRANSCRIPTS)
    ]
    cover = channel_cover(output, stories)
    generator = _feed(stories, options, base_url, state, output, cover)
    now = now or utc_now()
    # A content hash per episode: a corrected file gets a new URL and guid.
    known = VersionCache(output)
    versions = {episode.key: known.of(episode.audio.path) for episode in episodes}
    stamps = state.stamp_all([episode.key for episode in episodes], now, versions)
    stamped = [(episode, stamps[episode.key]) for episode in episodes]
    for episode, stamp in sorted(stamped, key=lambda pair: pair[1].date, reverse=True):
        _add_item(generator, episode, stamp, output, base_url, options, known)
    path = output / FEED_FILE
    with atomic_path(path) as temporary:
        generator.rss_file(str(temporary), pretty=True, encoding="UTF-8", xml_declaration=True)
    state.save()
    known.save()
    return path


def story_episodes(
    story: Story, per: Per, state: FeedState, transcripts_folder: Path
) -> list[Episode]:
    """A story's episodes in reading order."""
    season = state.season(story.slug)
    by_chapter = per == "chapter" or (per == "auto" and len(story.chapters) > 1)
    transcripts = [p for p in (story.vtt, story.srt) if p]
    if by_chapter and story.chapters:
        cut = per_chapter(
            BookFolder(story.folder).timing,
            [c.number for c in story.chapters],
            transcripts_folder / story.slug,
        )
        return [
            Episode(
                f"{story.slug}/chapter-{c.number:02d}",
                _chapter_title(story, c.audio),
                c.summary or f"Chapter {c.number} of {story.title}.",
                c.audio,
                season,
                c.number,
                c.people + _writers(story),
                story.cover,
                story.author,
                transcripts=cut.get(c.number, ()),
            )
            for c in story.chapters
        ]
    audio = story.book or (story.chapters[0].audio if story.chapters else None)
    if audio is None:
        raise InputError(f"{story.folder}: no audio to publish")
    return [
        Episode(
            f"{story.slug}/story",
            story.title,
            story.summary or story.title,
            audio,
            season,
            season,
            story.people,
            story.cover,
            story.author,
            story.chapters_json,
            tuple(transcripts),
            (story.m4b,) if story.m4b and audio is story.book else (),
        )
    ]


def _chapter_title(story: Story, audio: MediaFile) -> str:
    return story.title if audio.title == story.title else f"{story.title}: {audio.title}"


def _writers(story: Story) -> tuple[Person, ...]:
    return tuple(p for p in story.people if p.group == "writing")


def _rendered_at(story: Story) -> float:
    audio = story.book or (story.chapters[0].audio if story.chapters else None)
    return audio.path.stat().st_mtime if audio else 0.0


def _feed(
    stories: list[Story],
    options: FeedOptions,
    base_url: str,
    state: FeedState,
    output: Path,
    cover: Path,
):
    from feedgen.feed import FeedGenerator

    generator = FeedGenerator()
    generator.load_extension("podcast")
    generator.register_extension("podcastindex", PodcastIndexExtension, PodcastIndexEntryExtension)
    single = stories[0] if len(stories) == 1 else None
    authors = list(dict.fromkeys(s.author for s in stories if s.author))
    author = options.author or ", ".join(authors) or "storycast"
    title = options.title or (
        single.title if single else "Stories: " + ", ".join(s.title for s in stories)
    )
    description = options.description or (
        single.summary
        if single and single.summary
        else "Audiobooks made with storycast: " + "; ".join(s.title for s in stories) + "."
    )
    generator.title(clean(title))
    generator.description(clean(description))
    generator.link(href=base_url + FEED_FILE, rel="self")
    generator.link(href=base_url, rel="alternate")
    generator.language(options.language)
    generator.author({"name": clean(author)})
    generator.generator("storycast")
    image_url = file_url(base_url, cover.relative_to(output))
    generator.image(url=image_url, title=clean(title), link=base_url)
    podcast = generator.podcast
    podcast.itunes_author(clean(author))
    podcast.itunes_summary(clean(description))
    podcast.itunes_image(image_url)
    category, subcategory = options.category
    podcast.itunes_category({"cat": category, **({"sub": subcategory} if subcategory else {})})
    podcast.itunes_explicit("yes" if options.explicit else "no")
    podcast.itunes_type("serial" if any(len(s.chapters) > 1 for s in stories) else "episodic")
    generator.podcastindex.guid = state.podcast_guid
    generator.podcastindex.people = [PersonTag(clean(a), "author", "writing") for a in authors]
    return generator


def _add_item(
    generator,
    episode: Episode,
    stamp,
    output: Path,
    base_url: str,  # noqa: ANN001
    options: FeedOptions,
    known: VersionCache,
) -> None:
    entry = generator.add_entry(order="append")
    url = versioned_url(base_url, episode.audio.path, output, stamp.version)
    entry.title(clean(episode.title))
    entry.description(clean(episode.summary))
    entry.guid(stamp.guid, permalink=False)
    entry.pubDate(stamp.date)
    entry.enclosure(url, str(episode.audio.size), episode.audio.mime)
    entry.link(href=url)
    itunes = entry.podcast
    itunes.itunes_title(clean(episode.audio.title))
    itunes.itunes_duration(max(1, round(episode.audio.seconds)))
    itunes.itunes_season(episode.season)
    itunes.itunes_episode(episode.number)
    itunes.itunes_episode_type("full")
    itunes.itunes_explicit("yes" if options.explicit else "no")
    if episode.author:
        itunes.itunes_author(clean(episode.author))
    if episode.cover:
        itunes.itunes_image(file_url(base_url, episode.cover.relative_to(output)))
    tags = entry.podcastindex
    tags.season, tags.episode = episode.season, episode.number
    if episode.chapters_json:
        tags.chapters_url = file_url(base_url, episode.chapters_json.relative_to(output))
    for path in episode.transcripts:
        mime = "text/vtt" if path.suffix.lower() == ".vtt" else "application/x-subrip"
        tags.transcripts.append(
            TranscriptTag(
                file_url(base_url, path.relative_to(output)),
                mime,
                rel="captions",
                language=options.language,
            )
        )
    for alternate in episode.alternates:
        tags.alternates.append(
            AlternateTag(
                versioned_url(base_url, alternate.path, output, known.of(alternate.path)),
                alternate.mime,
                alternate.size,
                "Audiobook (M4B)",
            )
        )
    tags.people = [PersonTag(clean(p.name), p.role, p.group) for p in episode.people]


def file_url(base_url: str, relative: Path) -> str:
    """The URL of a file under OUTPUT/: each path part percent-encoded (UTF-8)."""
    return base_url + "/".join(quote(part, safe="") for part in relative.parts)


def versioned_url(base_url: str, path: Path, output: Path, version: str | None) -> str:
    """A file's URL with its content hash as the query (the server ignores it):
    a corrected file has a new URL, so no app or cache keeps the old bytes."""
    url = file_url(base_url, path.relative_to(output))
    return f"{url}?v={version}" if version else url


def clean(text: str) -> str:
    """Text as XML can hold it: characters XML 1.0 forbids are dropped (lxml
    escapes &, < and quotes itself)."""
    return _CONTROL.sub("", text)
