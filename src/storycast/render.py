"""render: the whole flow, top to bottom, and nothing else: story -> script
-> lines -> clips -> chapter parts -> the book's files. Each stage lives in a
module of its own; this one only sequences them."""

from __future__ import annotations

import fcntl
import os
import shutil
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from storycast import ffmpeg
from storycast.audio.assemble import STEPS, Pauses, build_chapter, chapter_recipe
from storycast.audio.master import Preset, preset
from storycast.audio.parts import PartStore
from storycast.book.cover import make_cover, require_image
from storycast.book.layout import BookFolder
from storycast.book.package import package, package_chapters
from storycast.cast import assign_voices, load_profiles, voice_dirs
from storycast.errors import InputError, StorycastError
from storycast.estimate import learn_book, learn_mastering
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
from storycast.synth import CHARS_PER_SPOKEN_SECOND, ClipCache, clip_keys, synthesize
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
    chapters: frozenset[int] = frozenset()
    """Render only these chapters (numbered from 1, as the chapter files are):
    their files, and no whole-book file. Empty: the whole book."""


@dataclass(frozen=True)
class Prepared:
    """Everything decided before any audio is made."""

    script: Script
    voices: dict[str, VoiceProfile]
    chapters: list[Chapter]
    lines: list[Line]
    cache: ClipCache
    numbers: tuple[int, ...] = ()
    """Each of `chapters`' number in the book (1 = the first); all by default."""
    book_chapters: int = 0
    """How many chapters the whole book has."""


def select_chapters(job: Prepared, wanted: frozenset[int]) -> Prepared:
    """The job cut down to the chapters numbered in `wanted` (all if empty),
    their lines renumbered to match."""
    count = len(job.chapters)
    if not wanted:
        return replace(job, numbers=tuple(range(1, count + 1)), book_chapters=count)
    beyond = sorted(n for n in wanted if not 1 <= n <= count)
    if beyond:
        raise InputError(
            f"the story has {count} chapter(s); there is no chapter "
            f"{', '.join(map(str, beyond))}: choose from 1-{count}"
        )
    numbers = tuple(sorted(wanted))
    index = {number - 1: position for position, number in enumerate(numbers)}
    lines = [
        replace(line, chapter=index[line.chapter]) for line in job.lines if line.chapter in index
    ]
    chapters = [job.chapters[number - 1] for number in numbers]
    return replace(job, chapters=chapters, lines=lines, numbers=numbers, book_chapters=count)


def render(
    story: Path, options: RenderOptions, progress: ProgressFactory | None = None
) -> Audiobook:
    reading = progress("Reading the story", 1) if progress else None
    job = select_chapters(prepare(story, options), options.chapters)
    if reading:
        reading(1)
    target = preset(options.master)
    if options.cover:
        require_image(options.cover)  # before the long work
    folder = BookFolder.for_title(options.out, job.script.title)
    folder.claim(story)
    with folder_lock(folder), ThreadPoolExecutor(max_workers=1) as aside:
        cover = aside.submit(draw_cover, folder, job.script, options.cover)
        parts = make_parts(job, folder, target, options.jobs, progress)
        started = time.perf_counter()
        whole = not options.chapters
        book = write_book(job, folder, target, parts, cover.result(), progress, whole)
        if whole:  # for --plan's estimates
            learn_book(book.seconds, len(parts), True, time.perf_counter() - started)
        return book


def draw_cover(folder: BookFolder, script: Script, given: Path | None) -> Path | None:
    """The book's cover: the one given, an EPUB's own, else one drawn from the title."""
    return make_cover(folder.cover, script.title, script.author, given, script.meta.cover)


def write_book(
    job: Prepared,
    folder: BookFolder,
    target: Preset,
    parts: list[Part],
    cover: Path | None,
    progress: ProgressFactory | None = None,
    whole: bool = True,
) -> Audiobook:
    """The join stage: the book's files from its chapters' parts (with
    `whole` false, the chosen chapters' files only). The caller holds the
    folder's lock."""
    script = job.script
    info = BookInfo(script.title, script.author, job.book_chapters, cover)
    chapters = [
        BookChapter(number, chapter.title, part, folder.chapter(number, chapter.title))
        for number, chapter, part in zip(job.numbers, job.chapters, parts)
    ]
    if not whole:
        return package_chapters(script, info, chapters, folder, progress)
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
    chapters, recipes, parts = chapter_state(job, store, target)
    todo = [number for number, part in parts.items() if part is None]
    lines = [line for number in todo for line, _ in chapters[number]]
    advance = progress("Synthesizing", len(lines)) if progress and lines else None
    clips = iter(synthesize(lines, job.cache, jobs, advance))
    made = {number: [(line, next(clips)) for line, _ in chapters[number]] for number in todo}
    steps = _mastering_steps(made, progress)
    finished = progress("Chapters made", len(todo)) if progress and todo else None
    started = time.perf_counter()
    pool = ThreadPoolExecutor(max_workers=max(1, min(jobs or os.cpu_count() or 1, len(todo))))
    try:
        futures = {
            pool.submit(
                make_part,
                made[number],
                folder.work(number),
                store,
                recipes[number],
                target,
                steps(number),
            ): number
            for number in todo
        }
        for future in as_completed(futures):
            parts[futures[future]] = future.result()
            if finished:
                finished(1)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    seconds = [p.samples / p.sample_rate for n, p in parts.items() if n in todo and p]
    learn_mastering(seconds, jobs, time.perf_counter() - started)  # for --plan's estimates
    if len(job.chapters) == job.book_chapters:  # a partial render keeps the others' parts
        store.keep_only(set(recipes))
    return [part for _, part in sorted(parts.items()) if part is not None]


_STEPS = len(STEPS) + 1
"""A chapter's steps on the mastering bar: build_chapter's, then encoding."""


def _mastering_steps(
    made: dict[int, list[tuple[Line, Clip]]], progress: ProgressFactory | None
) -> Callable[[int], Callable[[], None] | None]:
    """A step callback per chapter for one bar that moves while chapters are
    mastered: each step counts a share of its chapter's seconds of audio, so
    a long chapter moves the bar more than a short one."""
    weights = {  # tenths of a second per step
        number: max(1, round(10 * sum(c.samples / c.sample_rate for _, c in items) / _STEPS))
        for number, items in made.items()
    }
    if progress is None or not made:
        return lambda number: None
    advance = progress("Mastering", _STEPS * sum(weights.values()))
    return lambda number: lambda: advance(weights[number])


def chapter_state(
    job: Prepared, store: PartStore, target: Preset
) -> tuple[list[list[tuple[Line, str]]], list[str], dict[int, Part | None]]:
    """Each chapter's lines with their clip keys, its recipe, and its part if
    an earlier render made it."""
    chapters: list[list[tuple[Line, str]]] = [[] for _ in job.chapters]
    for line, key in zip(job.lines, clip_keys(job.lines)):
        chapters[line.chapter].append((line, key))
    recipes = [chapter_recipe(items, PAUSES, target) for items in chapters]
    return chapters, recipes, {number: store.get(recipe) for number, recipe in enumerate(recipes)}


def make_part(
    items: list[tuple[Line, Clip]],
    work: Path,
    store: PartStore,
    recipe: str,
    target: Preset,
    step: Callable[[], None] | None = None,
) -> Part:
    audio = build_chapter(items, work, PAUSES, target, step)
    part = store.put(recipe, audio, target)
    if step:
        step()
    shutil.rmtree(work, ignore_errors=True)
    return part


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
