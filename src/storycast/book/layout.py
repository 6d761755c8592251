"""layout: the one owner of a book folder's paths and names. Every other
module asks a BookFolder where a file goes; none spells a name itself.

    OUT/<slug>/
      NN - <chapter title>.mp3   one per chapter, in reading order
      <slug>.mp3, <slug>.m4b     the whole book
      <slug>.vtt, <slug>.srt     transcripts
      chapters.json, cover.jpg, script.yaml, timing.json
      .parts/ .work/ .lock       kept parts, scratch space, the render lock"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from storycast.errors import InputError
from storycast.files import TEMPORARY_PREFIX, output_folder, safe_name

BOOK_ROLES = ("mp3", "m4b", "vtt", "srt", "chapters", "script")
"""The book's files by role, as timing.json lists them (plus the cover)."""
_CHAPTER_FILE = re.compile(r"^\d+ - .+\.mp3$")


@dataclass(frozen=True)
class BookFolder:
    path: Path

    @classmethod
    def for_title(cls, out: Path, title: str) -> BookFolder:
        """The folder `render` writes a book with this title to."""
        return cls(out / book_slug(title))

    @property
    def slug(self) -> str:
        """The folder's name: stable across renders, the key of the feed's guids."""
        return self.path.name

    @property
    def lock(self) -> Path:
        return self.path / ".lock"

    @property
    def parts(self) -> Path:
        """The store of encoded chapters (audio/parts.py)."""
        return self.path / ".parts"

    def work(self, chapter: int) -> Path:
        """Scratch space for making one chapter's part."""
        return self.path / ".work" / str(chapter)

    @property
    def work_root(self) -> Path:
        return self.path / ".work"

    @property
    def cover(self) -> Path:
        return self.path / "cover.jpg"

    @property
    def timing(self) -> Path:
        return self.path / "timing.json"

    @property
    def script(self) -> Path:
        return self.path / "script.yaml"

    def chapter(self, number: int, title: str) -> Path:
        """Chapter `number` (1-based): its number first, so names sort in reading order."""
        return self.path / f"{number:02d} - {safe_name(title)}.mp3"

    def made_by_storycast(self) -> bool:
        """An empty folder, or one a render has worked in (its lock or its manifest)."""
        return (
            self.lock.exists()
            or self.timing.is_file()
            or not any(True for _ in self.path.iterdir())
        )

    def preview(self, voice: str) -> Path:
        """A voice's preview (render --preview): its first lines, as a WAV."""
        return self.path / "preview" / f"{safe_name(voice)}.wav"

    def claim(self, story: Path) -> None:
        """Refuse a book folder that is (or is inside) the story's folder, or one
        holding files of the user's that no render of storycast made."""
        output_folder(self.path, [story])
        if self.path.is_dir() and not self.made_by_storycast():
            raise InputError(
                f"{self.path}: a folder storycast did not make is in the way of the book; "
                "move it, or render to another folder with -o"
            )

    def is_chapter(self, path: Path) -> bool:
        """Named as a chapter file (for folders without a timing manifest)."""
        return path.parent == self.path and bool(_CHAPTER_FILE.match(path.name))

    def chapter_files(self) -> list[Path]:
        """The chapter files on disk now, in reading order."""
        return sorted(p for p in self.path.glob("*.mp3") if self.is_chapter(p))

    def book_files(self, cover: Path | None) -> dict[str, str]:
        """The book's files by role, relative to the folder (timing.json's `files`)."""
        names = {
            "mp3": f"{self.slug}.mp3",
            "m4b": f"{self.slug}.m4b",
            "vtt": f"{self.slug}.vtt",
            "srt": f"{self.slug}.srt",
            "chapters": "chapters.json",
            "script": self.script.name,
        }
        if cover:
            names["cover"] = cover.name
        return names

    def leftovers(self) -> list[Path]:
        """Temporary files a killed render left behind."""
        pattern = f"{TEMPORARY_PREFIX}*"
        return [*self.path.glob(pattern), *self.parts.glob(pattern)]


def book_slug(title: str) -> str:
    """A folder name from a title: lower case, words joined by hyphens."""
    slug = re.sub(r"[^\w]+", "-", title.lower(), flags=re.UNICODE).strip("-_")[:60].strip("-_")
    return safe_name(slug or "story")
