"""tasks: what a library's workers run. Each takes paths and keys and
returns keys (and counts): clips and parts go to the shared folders, never
through the scheduler. Each is safe to run twice, or to be killed half way
and run again elsewhere: every file is written to a temporary name and
renamed, under a name made from its content's recipe, and a task first
looks for what it is asked to make."""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from storycast import engines
from storycast.audio.master import preset
from storycast.audio.parts import PartStore
from storycast.book.layout import BookFolder
from storycast.errors import StorycastError
from storycast.model import Clip, Line, VoiceProfile
from storycast.render import Prepared, draw_cover, folder_lock, make_part, write_book
from storycast.shelf.stories import code_fingerprint
from storycast.synth import ClipCache, engine_version, synthesize_one

Batch = list[tuple[str, VoiceProfile, str]]
"""Lines to say: (clip key, voice profile, engine text)."""


def synthesize_batch(cache_folder: str, batch: Batch) -> tuple[list[str], int]:
    """Say the lines whose clips are not in the cache yet; the keys, and how
    many clips this task made (the cache misses)."""
    cache = ClipCache(Path(cache_folder))
    made = 0
    for key, profile, text in batch:
        if cache.get(key) is None:
            cache.put(key, synthesize_one(profile, text))
            made += 1
    return [key for key, _, _ in batch], made


def make_chapter_part(
    cache_folder: str,
    book_folder: str,
    chapter: int,
    recipe: str,
    items: list[tuple[Line, str]],
    master: str,
    *after: Any,
) -> tuple[str, int]:
    """A chapter's part from its clips (`after`: the batches that made them);
    its recipe, and how many clips were missing and made here."""
    folder = BookFolder(Path(book_folder))
    store = PartStore(folder.parts)
    if store.get(recipe) is not None:  # made by an earlier try
        return recipe, 0
    cache = ClipCache(Path(cache_folder))
    clips: list[tuple[Line, Clip]] = []
    made = 0
    for line, key in items:
        clip = cache.get(key)
        if clip is None:  # damaged or removed since its batch: make it again
            clip = cache.put(key, synthesize_one(line.profile, line.text))
            made += 1
        clips.append((line, clip))
    # Scratch on the worker's own disk, a folder per attempt: the chapter's
    # raw and mastered PCM are most of the bytes a part moves (several times
    # the part), and two attempts at one chapter must never share a file.
    work = Path(tempfile.mkdtemp(prefix=f"storycast-chapter-{chapter + 1}-"))
    try:
        make_part(clips, work, store, recipe, preset(master))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return recipe, made


@dataclass(frozen=True)
class Joined:
    """A book joined: its folder, files and length."""

    folder: str
    files: int
    seconds: float


def join_book(
    job: Prepared, book_folder: str, recipes: list[str], master: str, cover: str | None, *after: Any
) -> Joined:
    """The book's files from its chapters' parts (`after`: the tasks that
    made them), as `render` writes them, under the folder's lock."""
    folder = BookFolder(Path(book_folder))
    store = PartStore(folder.parts)
    with folder_lock(folder):
        parts = [store.get(recipe) for recipe in recipes]
        if any(part is None for part in parts):
            raise StorycastError(f"{folder.path}: a chapter's part went missing; run again")
        store.keep_only(set(recipes))
        drawn = draw_cover(folder, job.script, Path(cover) if cover else None)
        book = write_book(job, folder, preset(master), [p for p in parts if p], drawn)
    return Joined(str(book.folder), len(book.chapter_files), book.seconds)


def worker_lacks(
    probe: str, fingerprint: str, needs: dict[str, list[str]], versions: dict[str, str]
) -> list[str]:
    """Run on every worker before the work: what it lacks to do it (empty
    when nothing). `probe` is a file the client wrote in the output folder;
    `needs` the engines and their voices; `versions` the engines' versions
    on the client, which the clips' keys assume."""
    lacks = []
    if not Path(probe).is_file():
        lacks.append(f"the output folder {Path(probe).parent.parent} (share it at the same path)")
    if code_fingerprint() != fingerprint:
        lacks.append("the same storycast and ffmpeg as this machine")
    for name, voices in sorted(needs.items()):
        try:
            version = engine_version(name)
            known = {voice.casefold() for voice in engines.get(name).voices()}
        except StorycastError as error:
            lacks.append(f"the {name} engine ({error})")
            continue
        if version != versions[name]:
            lacks.append(f"{versions[name]} (it has {version})")
        missing = [v for v in voices if v.casefold() not in known and not _is_file(v)]
        lacks += [f"the {name} voice {voice!r}" for voice in missing]
    return lacks


def _is_file(voice: str) -> bool:
    """A voice named by its file (a Piper model) that this worker can read."""
    return Path(voice).expanduser().is_file()
