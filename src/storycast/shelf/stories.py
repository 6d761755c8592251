"""stories: the books in a library folder, and whether each is up to date.

A book is up to date when its stamp (OUT/.library/<story>.json, written
after its join) records the same inputs (the story's bytes, its cast and
lexicons, the voice profiles, the options, storycast's code and ffmpeg), the
same engine versions, and book files still as the join left them (size and
modification time). Checking costs a hash of the inputs and a few stats:
no story is read, parsed or attributed."""

from __future__ import annotations

import functools
import hashlib
import json
import os
from pathlib import Path
from typing import Any

import storycast
from storycast import ffmpeg
from storycast.book.layout import BookFolder
from storycast.cast import voice_dirs
from storycast.errors import InputError, StorycastError
from storycast.files import write_text
from storycast.render import RenderOptions
from storycast.script import is_script, sibling_cast
from storycast.synth import engine_version
from storycast.text.lexicon import lexicon_files
from storycast.text.read import EPUB_SUFFIXES, HTML_SUFFIXES, MARKDOWN_SUFFIXES

STORY_SUFFIXES = (".txt", *MARKDOWN_SUFFIXES, *HTML_SUFFIXES, *EPUB_SUFFIXES)
"""What read() takes as a story file (it would read any file as text; a
library takes only these)."""
SIDE_FILES = (".cast.yaml", ".cast.yml", ".lexicon.yaml", ".lexicon.yml")
"""A story's own cast and lexicon, read with it: never a story themselves."""


def find_stories(folder: Path, out: Path) -> list[Path]:
    """The stories in `folder`, by name: story files, script files and
    folders of chapter files (hidden entries and the output folder left out)."""
    if not folder.is_dir():
        raise InputError(f"{folder}: {'not a folder' if folder.exists() else 'no such folder'}")
    skip = out.resolve()
    found = []
    for entry in sorted(folder.iterdir()):
        name = entry.name.lower()
        if name.startswith(".") or name.endswith(SIDE_FILES) or name == "lexicon.yaml":
            continue
        if entry.is_dir() and skip not in (entry.resolve(), *entry.resolve().parents):
            found.append(entry)
        elif entry.is_file() and (entry.suffix.lower() in STORY_SUFFIXES or is_script(entry)):
            found.append(entry)
    if not found:
        raise InputError(
            f"{folder}: no stories in it (.txt, .md, .html, .epub, script.yaml, "
            "or a folder of chapter files)"
        )
    return found


@functools.cache
def code_fingerprint() -> str:
    """storycast's code and data as installed, and the ffmpeg it runs: a
    worker must match the machine that planned the work (its keys and
    recipes assume this code), and any change makes every book worth a look."""
    package = Path(storycast.__file__).parent
    digest = hashlib.sha256(ffmpeg.version().encode("utf-8"))
    for path in sorted(package.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(package)).encode("utf-8") + b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()


class Stamps:
    """The stamps of one output folder's books, for one set of options."""

    def __init__(self, options: RenderOptions):
        self.options = options
        self.folder = options.out / ".library"
        self._voices = _files_digest(
            p for d in voice_dirs(options.voices) for p in sorted(d.rglob("*"))
        )

    def path(self, story: Path) -> Path:
        return self.folder / f"{_digest(str(story.resolve()).encode('utf-8'))[:32]}.json"

    def inputs(self, story: Path) -> str:
        """A hash of everything a render of `story` reads."""
        options = self.options
        cast = options.cast_file or sibling_cast(story)
        files = [*_story_files(story), *(p for p in (cast, options.cover) if p)]
        settings = [options.engine, options.master, options.read_front_matter, code_fingerprint()]
        return _digest(
            json.dumps(settings).encode("utf-8"),
            _files_digest(files).encode("utf-8"),
            _files_digest(lexicon_files(story, options.cast_file)).encode("utf-8"),
            self._voices.encode("utf-8"),
        )

    def fresh(self, story: Path) -> bool:
        """Whether the book of `story` is up to date (nothing to do)."""
        try:
            stamp = json.loads(self.path(story).read_text(encoding="utf-8"))
            book = self.options.out / stamp["book"]
            return (
                stamp["inputs"] == self.inputs(story)
                and all(engine_version(name) == v for name, v in stamp["engines"].items())
                and stamp["files"] == _book_files(book)
            )
        except (OSError, ValueError, KeyError, TypeError, StorycastError):
            return False  # no stamp, a damaged one, a file or an engine gone: render it

    def write(self, story: Path, folder: BookFolder, engines: set[str], inputs: str) -> None:
        """Record a book just joined from `inputs` (their hash when it was planned)."""
        stamp: dict[str, Any] = {
            "story": str(story),
            "inputs": inputs,
            "engines": {name: engine_version(name) for name in sorted(engines)},
            "book": folder.slug,
            "files": _book_files(folder.path),
        }
        write_text(self.path(story), json.dumps(stamp, indent=1))

    def book(self, story: Path) -> str | None:
        """The book folder's name the last join of `story` recorded."""
        try:
            return str(json.loads(self.path(story).read_text(encoding="utf-8"))["book"])
        except (OSError, ValueError, KeyError, TypeError):
            return None


def _story_files(story: Path) -> list[Path]:
    if story.is_dir():
        return sorted(p for p in story.rglob("*") if p.is_file())
    return [story]


def _book_files(book: Path) -> dict[str, list[int]]:
    """The book's files as a join left them: name -> [size, mtime in ns]."""
    found = {}
    for path in sorted(book.iterdir()):
        if path.is_file() and not path.name.startswith("."):
            status = path.stat()
            found[path.name] = [status.st_size, status.st_mtime_ns]
    return found


def _files_digest(paths: Any) -> str:
    digest = hashlib.sha256()
    for path in paths:
        if Path(path).is_file():
            digest.update(os.fsencode(path) + b"\0")
            digest.update(Path(path).read_bytes())
    return digest.hexdigest()


def _digest(*blobs: bytes) -> str:
    digest = hashlib.sha256()
    for blob in blobs:
        digest.update(blob + b"\0")
    return digest.hexdigest()
