"""library: an output folder -> the rendered stories in it, as data.

Everything is read from the files themselves (durations and titles from the
audio tags, sizes from the file system, text and cast from script.yaml), so
the feed describes what is on disk, whatever produced it. Optional files
(M4B, chapters.json, transcripts, cover) are picked up when present."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from storycast.errors import InputError
from storycast.model import NARRATOR

CHAPTER_FILE = re.compile(r"^(\d+) - (.+)\.mp3$")
COVER_NAMES = (
    "cover.jpg",
    "cover.jpeg",
    "cover.png",
    "{slug}.jpg",
    "{slug}.jpeg",
    "{slug}.png",
    "folder.jpg",
    "folder.png",
)
MIME_TYPES = {
    ".mp3": "audio/mpeg",
    ".m4b": "audio/x-m4b",
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


def find_stories(output: Path) -> list[Story]:
    """Every rendered story in `output`: a folder with chapter MP3s or a book MP3."""
    if not output.is_dir():
        raise InputError(f"{output}: no such folder; render a story into it first")
    stories = []
    for folder in sorted(p for p in output.iterdir() if p.is_dir() and not p.name.startswith(".")):
        if (folder / f"{folder.name}.mp3").is_file() or _chapter_files(folder):
            stories.append(read_story(folder))
    if not stories:
        raise InputError(
            f"{output}: no rendered stories in it (storycast render STORY -o {output})"
        )
    return stories


def read_story(folder: Path) -> Story:
    slug = folder.name
    script = _load_script(folder / "script.yaml")
    chapters_text = _chapter_texts(script)
    episodes = []
    for number, path in _chapter_files(folder):
        audio = media_file(path, default_title=CHAPTER_FILE.match(path.name).group(2))
        queue = chapters_text.get(audio.title, [])
        segments = queue.pop(0) if queue else []
        episodes.append(ChapterEpisode(number, audio, _excerpt(segments), _people(segments)))
    book_path = folder / f"{slug}.mp3"
    book = media_file(book_path, default_title=slug) if book_path.is_file() else None
    all_segments = [s for chapter in script.get("chapters") or [] for s in _segment_list(chapter)]
    author = _text(script.get("author")) or None
    people = _people(all_segments)
    if author:
        people += (Person(author, "author", "writing"),)
    return Story(
        slug=slug,
        folder=folder,
        title=_text(script.get("title")) or (book.title if book else slug),
        author=author,
        summary=_excerpt(all_segments),
        book=book,
        chapters=tuple(episodes),
        people=people,
        m4b=_audio_if_present(folder / f"{slug}.m4b"),
        chapters_json=_present(folder / "chapters.json"),
        vtt=_present(folder / f"{slug}.vtt"),
        srt=_present(folder / f"{slug}.srt"),
        cover=_cover(folder),
    )


def media_file(path: Path, default_title: str) -> MediaFile:
    """Size from the file system; duration and title from the file's own tags."""
    import mutagen

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


def embedded_cover(path: Path) -> tuple[bytes, str] | None:
    """The front cover stored in an MP3's ID3 tags (APIC), as (bytes, suffix)."""
    from mutagen.id3 import ID3, ID3NoHeaderError

    try:
        pictures = ID3(path).getall("APIC")
    except ID3NoHeaderError:
        return None
    pictures.sort(key=lambda picture: picture.type != 3)  # 3: front cover first
    for picture in pictures:
        suffix = {"image/jpeg": ".jpg", "image/jpg": ".jpg", "image/png": ".png"}.get(
            picture.mime.lower()
        )
        if suffix and picture.data:
            return picture.data, suffix
    return None


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


def _chapter_files(folder: Path) -> list[tuple[int, Path]]:
    found = []
    for path in folder.glob("*.mp3"):
        match = CHAPTER_FILE.match(path.name)
        if match:
            found.append((int(match.group(1)), path))
    return sorted(found)


def _load_script(path: Path) -> dict[str, Any]:
    """script.yaml read leniently: the feed needs only titles, text and speakers,
    and must keep working when newer versions add fields."""
    if not path.is_file():
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        raise InputError(f"{path}: not a readable script ({error})") from None
    if not isinstance(data, dict):
        raise InputError(f"{path}: a script must be a mapping with title and chapters")
    return data


def _chapter_texts(script: dict[str, Any]) -> dict[str, list[list[dict]]]:
    """Chapter title -> the segments of each chapter so titled, in order (titles
    may repeat); the front matter under the title the renderer reads it as."""
    texts: dict[str, list[list[dict]]] = {}
    if script.get("front_matter"):
        texts["Author's note"] = [_segment_list({"segments": script["front_matter"]})]
    for chapter in script.get("chapters") or []:
        if isinstance(chapter, dict):
            texts.setdefault(_text(chapter.get("title")), []).append(_segment_list(chapter))
    return texts


def _segment_list(chapter: Any) -> list[dict]:
    segments = chapter.get("segments") if isinstance(chapter, dict) else None
    return [s for s in segments or [] if isinstance(s, dict)]


def _excerpt(segments: list[dict]) -> str:
    """The opening words, cut at a word boundary."""
    text = " ".join(_quoted(s) for s in segments if s.get("kind") != "heading")
    text = " ".join(text.split())
    if len(text) <= EXCERPT_CHARS:
        return text
    return text[:EXCERPT_CHARS].rsplit(" ", 1)[0] + "…"


def _quoted(segment: dict) -> str:
    """A segment's words, in quote marks when spoken (the script keeps them bare)."""
    text = _text(segment.get("text")).strip()
    return f"“{text}”" if segment.get("kind") in ("speech", "thought") and text else text


def _people(segments: list[dict]) -> tuple[Person, ...]:
    """The narrator, then each character who speaks, in order of first line."""
    speakers: list[str] = []
    for segment in segments:
        speaker = _text(segment.get("speaker")).strip().rstrip(".,;:!?") or NARRATOR
        if segment.get("kind") not in ("speech", "thought"):
            speaker = NARRATOR
        if speaker not in speakers:
            speakers.append(speaker)
    if not speakers:
        return ()
    people = [Person("Narrator", "narrator")] if NARRATOR in speakers else []
    people += [Person(name, "voice actor") for name in speakers if name != NARRATOR]
    return tuple(people)


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _audio_if_present(path: Path) -> MediaFile | None:
    return media_file(path, path.stem) if path.is_file() else None


def _present(path: Path) -> Path | None:
    return path if path.is_file() else None


def _cover(folder: Path) -> Path | None:
    for name in COVER_NAMES:
        path = folder / name.format(slug=folder.name)
        if path.is_file():
            return path
    images = sorted(
        p
        for p in folder.iterdir()
        if p.suffix.lower() in (".jpg", ".jpeg", ".png") and not p.name.startswith(".")
    )
    return images[0] if images else None
