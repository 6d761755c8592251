"""render: the whole flow, top to bottom, and nothing else: story -> script
-> lines -> clips -> chapter parts -> the book's files. Each stage lives in a
module of its own; this one only sequences them."""

from __future__ import annotations

import fcntl
import os
import shutil
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from storycast import ffmpeg
from storycast.audio.assemble import Pauses, build_chapter, chapter_recipe
from storycast.audio.master import Preset, preset
from storycast.audio.parts import PartStore
from storycast.book.cover import make_cover, require_image
from storycast.book.layout import BookFolder
from storycast.book.package import package
from storycast.cast import assign_voices, load_profiles, voice_dirs
from storycast.errors import InputError, StorycastError
from storycast.files import output_folder
from storycast.model import (
    Audiobook,
    BookChapter,
    BookInfo,
    Chapter,
    Clip,
    Line,
    Part,
    ProgressFactory,
    Script,
    VoiceProfile,
)
from storycast.script import load_script, spoken_chapters, to_lines
from storycast.synth import (
    CHARS_PER_SPOKEN_SECOND,
    ClipCache,
    clip_keys,
    estimate_seconds,
    plan,
    synthesize,
)
from storycast.text.lexicon import lexicon_files, load_lexicon
from storycast.text.speakable import speakable

PAUSES = Pauses()


@dataclass(frozen=True)
class RenderOptions:
    out: Path = Path("output")
    """The output folder; the book goes into a folder named after its title."""
    cast_file: Path | None = None
    """A cast file; by default STORY.cast.yaml beside the story, if there is one."""
    engine: str | None = None
    """Speak with this engine: each profile is swapped for its twin for that
    engine (gene -> piper-gene), else that engine's default by gender."""
    jobs: int = 0
    """Synthesis worker processes; 0 means one per core."""
    read_front_matter: bool = False
    """Read the author's notes and disclaimer as an opening chapter."""
    voices: list[Path] = field(default_factory=list)
    """Extra folders of voice profiles, searched before ./voices."""
    cache: Path | None = None
    """The clip cache folder; by default OUT/.clips."""
    master: str = "acx"
    """The mastering preset (storycast.audio.master.PRESETS): acx or podcast."""
    cover: Path | None = None
    """Cover art; by default one is drawn from the title."""


@dataclass(frozen=True)
class Prepared:
    """Everything decided before any audio is made."""

    script: Script
    voices: dict[str, VoiceProfile]
    chapters: list[Chapter]
    lines: list[Line]
    cache: ClipCache


def render(
    story: Path, options: RenderOptions, progress: ProgressFactory | None = None
) -> Audiobook:
    job = prepare(story, options)
    target = preset(options.master)
    if options.cover:
        require_image(options.cover)  # before the long work
    script = job.script
    folder = BookFolder.for_title(options.out, script.title)
    claim(folder, story)
    with folder_lock(folder), ThreadPoolExecutor(max_workers=1) as aside:
        cover = aside.submit(
            make_cover, folder.cover, script.title, script.author, options.cover, script.meta.cover
        )
        parts = make_parts(job, folder, target, options.jobs, progress)
        info = BookInfo(script.title, script.author, len(job.chapters), cover.result())
        chapters = [
            BookChapter(number, chapter.title, part, folder.chapter(number, chapter.title))
            for number, (chapter, part) in enumerate(zip(job.chapters, parts), 1)
        ]
        book = package(script, info, chapters, folder, target.name, progress)
    return replace(book, voices={speaker: p.name for speaker, p in job.voices.items()})


def prepare(story: Path, options: RenderOptions) -> Prepared:
    ffmpeg.require()
    for folder in (options.out, options.cache):
        if folder:
            output_folder(folder, [story])
    script = load_script(story, options.cast_file)
    voices = assign_voices(script, load_profiles(voice_dirs(options.voices)), options.engine)
    chapters = spoken_chapters(script, options.read_front_matter)
    lines = speakable(
        to_lines(chapters, voices, script.cast.thought),
        load_lexicon(lexicon_files(story, options.cast_file)),
    )
    if not lines:
        raise InputError(f"{story}: there are no words to read aloud")
    require_disk_space(options.out, lines)
    cache = ClipCache(options.cache or options.out / ".clips")
    return Prepared(script, voices, chapters, lines, cache)


def make_parts(
    job: Prepared, folder: BookFolder, target: Preset, jobs: int, progress: ProgressFactory | None
) -> list[Part]:
    """Each chapter's part: kept from an earlier render when its recipe is
    unchanged; else its missing clips are synthesized, and it is assembled,
    mastered and encoded (chapters side by side, one per job)."""
    store = PartStore(folder.parts)
    chapters, recipes, parts = _chapter_state(job, store, target)
    todo = [number for number, part in parts.items() if part is None]
    lines = [line for number in todo for line, _ in chapters[number]]
    advance = progress("Synthesizing", len(lines)) if progress and lines else None
    clips = iter(synthesize(lines, job.cache, jobs, advance))
    made = {number: [(line, next(clips)) for line, _ in chapters[number]] for number in todo}
    advance = progress("Mastering chapters", len(todo)) if progress and todo else None
    pool = ThreadPoolExecutor(max_workers=max(1, min(jobs or os.cpu_count() or 1, len(todo))))
    try:
        futures = {
            pool.submit(
                _make_part, made[number], folder.work(number), store, recipes[number], target
            ): number
            for number in todo
        }
        for future in as_completed(futures):
            parts[futures[future]] = future.result()
            if advance:
                advance(1)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    store.keep_only(set(recipes))
    return [part for _, part in sorted(parts.items()) if part is not None]


def _chapter_state(
    job: Prepared, store: PartStore, target: Preset
) -> tuple[list[list[tuple[Line, str]]], list[str], dict[int, Part | None]]:
    """Each chapter's lines with their clip keys, its recipe, and its part if
    an earlier render made it."""
    chapters: list[list[tuple[Line, str]]] = [[] for _ in job.chapters]
    for line, key in zip(job.lines, clip_keys(job.lines)):
        chapters[line.chapter].append((line, key))
    recipes = [chapter_recipe(items, PAUSES, target) for items in chapters]
    return chapters, recipes, {number: store.get(recipe) for number, recipe in enumerate(recipes)}


def _make_part(
    items: list[tuple[Line, Clip]], work: Path, store: PartStore, recipe: str, target: Preset
) -> Part:
    audio = build_chapter(items, work, PAUSES, target)
    part = store.put(recipe, audio, target)
    shutil.rmtree(work, ignore_errors=True)
    return part


def claim(folder: BookFolder, story: Path) -> None:
    """Refuse a book folder that is (or is inside) the story folder, or one
    holding files of the user's that no render of storycast made."""
    output_folder(folder.path, [story])
    if folder.path.is_dir() and not folder.made_by_storycast():
        raise InputError(
            f"{folder.path}: a folder storycast did not make is in the way of the book; "
            "move it, or render to another folder with -o"
        )


@contextmanager
def folder_lock(folder: BookFolder) -> Iterator[None]:
    """One render at a time writes a book folder (another waits its turn); the
    holder clears what a killed render left behind."""
    folder.path.mkdir(parents=True, exist_ok=True)
    with open(folder.lock, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released by the kernel if we are killed
        for leftover in folder.leftovers():
            leftover.unlink(missing_ok=True)
        yield


# Bytes written per second of speech: cached clip and chapter work file (16-bit
# mono PCM), chapter and book MP3s, the M4B; rounded up.
_BYTES_PER_SECOND = 2 * 44_100 + 2 * 24_000 + 12_000


def require_disk_space(out: Path, lines: list[Line]) -> None:
    """Refuse before any long work when the output disk cannot hold the book."""
    seconds = sum(len(line.text) for line in lines) / CHARS_PER_SPOKEN_SECOND
    needed = int(seconds * _BYTES_PER_SECOND)
    existing = out if out.exists() else next((p for p in out.parents if p.exists()), Path("."))
    free = shutil.disk_usage(existing).free
    if free < needed:
        raise StorycastError(
            f"{existing}: about {needed / 1e6:.0f} MB of disk is needed and "
            f"only {free / 1e6:.0f} MB is free; free some space or render to "
            "another folder with -o"
        )


@dataclass(frozen=True)
class RenderPlan:
    lines: int
    chapters: int
    chapters_to_make: int
    """Chapters without a part from an earlier render (changed or new)."""
    lines_to_make: int
    """Lines of those chapters."""
    cached: int
    """Of those lines, the ones whose clip is already in the cache."""
    to_synthesize: int
    """Distinct clips the engine must make."""
    estimated_seconds: float


def plan_render(story: Path, options: RenderOptions) -> RenderPlan:
    """What `render` would do, without doing it: chapters to make, cached
    clips, new clips, time."""
    job = prepare(story, options)
    store = PartStore(BookFolder.for_title(options.out, job.script.title).parts)
    chapters, _, parts = _chapter_state(job, store, preset(options.master))
    lines = [line for number, part in parts.items() if part is None for line, _ in chapters[number]]
    work = plan(lines, job.cache)
    missing = set(work.missing)
    cached = sum(1 for key in work.keys if key not in missing)
    estimate = estimate_seconds(list(work.missing.values()), lines, options.jobs)
    return RenderPlan(
        len(job.lines),
        len(chapters),
        sum(part is None for part in parts.values()),
        len(lines),
        cached,
        len(work.missing),
        estimate,
    )
