"""library: an output folder -> the rendered stories in it, as data.

A story is a book folder with a timing manifest (timing.json): it names the
chapters and the book's files by role, and script.yaml (read by the script
module) gives each chapter's text and speakers. Sizes come from the file
system and durations and titles from the audio files' own tags, so the feed
describes exactly what is on disk."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from storycast.book import timing as manifest
from storycast.book.layout import BookFolder
from storycast.errors import InputError
from storycast.model import NARRATOR, Chapter, Script, Segment
from storycast.publish.urls import is_language
from storycast.script import load_yaml, spoken_chapters

MIME_TYPES = {
    ".mp3": "audio/mpeg",
    ".m4b": "audio/mp4",  # the registered type; feed and server say the same
    ".m4a": "audio/mp4",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".vtt": "text/vtt",
    ".srt": "application/x-subrip",
    ".json": "application/json",
    ".xml": "application/rss+xml",
}
EXCERPT_CHARS = 400
VERSION_CHARS = 12
"""Hex digits of a file's content hash in its enclosure URL (48 bits)."""


@dataclass(frozen=True)
class MediaFile:
    path: Path
    size: int
    """Exact length in bytes, as the enclosure needs it."""
    seconds: float
    mime: str
    title: str
    """The title in the file's tags, else from its name."""


@dataclass(frozen=True)
class Person:
    name: str
    role: str
    """A Podcasting 2.0 taxonomy role: narrator, voice actor, author."""
    group: str = "cast"


@dataclass(frozen=True)
class ChapterEpisode:
    number: int
    """1-based, from the file name: the reading order."""
    audio: MediaFile
    summary: str
    """The opening words of the chapter."""
    people: tuple[Person, ...]
    """Who speaks in this chapter."""


@dataclass(frozen=True)
class Story:
    slug: str
    """The folder's name: stable across renders, the key for guids."""
    folder: Path
    title: str
    author: str | None
    summary: str
    book: MediaFile | None
    """The whole-book MP3 with ID3 chapter frames."""
    chapters: tuple[ChapterEpisode, ...]
    people: tuple[Person, ...]
    m4b: MediaFile | None = None
    chapters_json: Path | None = None
    vtt: Path | None = None
    srt: Path | None = None
    cover: Path | None = None
    language: str | None = None
    """The story's language tag ("en-GB"), when its source or script.yaml says."""


def find_stories(output: Path) -> list[Story]:
    """Every story rendered into `output`: each folder with a timing manifest."""
    if not output.is_dir():
        raise InputError(f"{output}: no such folder; render a story into it first")
    books = [BookFolder(p) for p in sorted(output.iterdir()) if p.is_dir() and p.name[0] != "."]
    stories = [read_story(book) for book in books if book.timing.is_file()]
    if not stories:
        raise InputError(
            f"{output}: no rendered stories in it (storycast render STORY -o {output})"
        )
    return stories


def stories_language(stories: list[Story]) -> str:
    """The language most of the stories are in (the first named wins a tie), else "en".
    Only a well-formed code counts: a story's metadata is not to be trusted."""
    named = [story.language for story in stories if story.language and is_language(story.language)]
    return max(named, key=named.count) if named else "en"


def read_story(book: BookFolder) -> Story:
    timing = manifest.load(book.timing)
    files = {role: member(book, name) for role, name in timing.files.items()}
    script = load_yaml(book.script) if book.script.is_file() else None
    texts = _chapter_texts(script, len(timing.chapters))
    episodes = [
        ChapterEpisode(
            chapter.number,
            media_file(member(book, chapter.file), default_title=chapter.title),
            _excerpt(segments),
            _people(segments),
        )
        for chapter, segments in zip(timing.chapters, texts)
    ]
    whole = _audio_if_present(files.get("mp3"), default_title=book.slug)
    story_segments = [s for c in script.chapters for s in c.segments] if script else []
    author = script.author if script else timing.author
    people = _people(story_segments)
    if author:
        people += (Person(author, "author", "writing"),)
    return Story(
        slug=book.slug,
        folder=book.path,
        title=(script.title if script else timing.title) or book.slug,
        author=author,
        summary=_excerpt(story_segments),
        book=whole,
        chapters=tuple(episodes),
        people=people,
        m4b=_audio_if_present(files.get("m4b"), default_title=book.slug),
        chapters_json=_present(files.get("chapters")),
        vtt=_present(files.get("vtt")),
        srt=_present(files.get("srt")),
        cover=_present(files.get("cover")),
        language=script.meta.language if script else None,
    )


def _chapter_texts(script: Script | None, chapter_count: int) -> list[list[Segment]]:
    """Each chapter's segments, in the order the book reads them; none when the
    script does not match the book (better no summary than a wrong one)."""
    if script is not None:
        read_front_matter = chapter_count > len(script.chapters)
        chapters: list[Chapter] = spoken_chapters(script, read_front_matter)
        if len(chapters) == chapter_count:
            return [list(chapter.segments) for chapter in chapters]
    return [[] for _ in range(chapter_count)]


def member(book: BookFolder, name: str) -> Path:
    """A file timing.json names: a plain name in the book folder, nothing else."""
    if not isinstance(name, str) or name != Path(name).name or name.startswith("."):
        raise InputError(f"{book.timing}: {name!r} is not a file of the book folder")
    return book.path / name


def media_file(path: Path, default_title: str) -> MediaFile:
    """Size from the file system; duration and title from the file's own tags.
    Only a regular file inside its folder is opened (a pipe would never end)."""
    import mutagen

    real = path.resolve()
    if not real.is_file() or not real.is_relative_to(path.parent.resolve()):
        raise InputError(f"{path}: not a regular file in the book folder")
    try:
        audio = mutagen.File(path)
    except mutagen.MutagenError as error:
        raise InputError(f"{path}: unreadable audio file ({error})") from None
    if audio is None or audio.info is None:
        raise InputError(f"{path}: not an audio file storycast can read")
    title = _tag_title(audio) or default_title
    return MediaFile(
        path,
        path.stat().st_size,
        float(audio.info.length),
        MIME_TYPES.get(path.suffix.lower(), "application/octet-stream"),
        title,
    )


def content_version(path: Path) -> str:
    """A short hash of the file's bytes: it changes whenever the audio does."""
    digest = hashlib.blake2b(digest_size=16)
    with open(path, "rb") as file:
        while chunk := file.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()[:VERSION_CHARS]


def _tag_title(audio: Any) -> str | None:
    tags = audio.tags
    if tags is None:
        return None
    for key in ("TIT2", "\xa9nam", "title"):
        if key in tags:
            value = tags[key]
            text = value.text if hasattr(value, "text") else value
            return str(text[0]) if isinstance(text, list) and text else str(text)
    return None


def _excerpt(segments: list[Segment]) -> str:
    """The opening words, cut at a word boundary."""
    text = " ".join(_quoted(s) for s in segments if s.kind != "heading")
    text = " ".join(text.split())
    if len(text) <= EXCERPT_CHARS:
        return text
    return text[:EXCERPT_CHARS].rsplit(" ", 1)[0] + "…"


def _quoted(segment: Segment) -> str:
    """A segment's words, in quote marks when spoken (the script keeps them bare)."""
    text = segment.text.strip()
    return f"“{text}”" if segment.spoken and text else text


def _people(segments: list[Segment]) -> tuple[Person, ...]:
    """The narrator, then each character who speaks, in order of first line."""
    speakers: list[str] = []
    for segment in segments:
        speaker = segment.voiced_by.strip().rstrip(".,;:!?") or NARRATOR
        if speaker not in speakers:
            speakers.append(speaker)
    if not speakers:
        return ()
    people = [Person("Narrator", "narrator")] if NARRATOR in speakers else []
    people += [Person(name, "voice actor") for name in speakers if name != NARRATOR]
    return tuple(people)


def _audio_if_present(path: Path | None, default_title: str) -> MediaFile | None:
    present = _present(path)
    return media_file(present, default_title) if present else None


def _present(path: Path | None) -> Path | None:
    """`path` if it is a regular file inside its folder (not a link out of it)."""
    if path and path.is_file() and path.resolve().is_relative_to(path.parent.resolve()):
        return path
    return None
