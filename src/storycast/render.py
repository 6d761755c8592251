"""The whole flow, top to bottom: story -> script -> lines -> clips ->
chapter audio -> files."""

from __future__ import annotations

import fcntl
import os
import re
import shutil
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from storycast import ffmpeg
from storycast import script as scriptfile
from storycast.audio.assemble import Pauses, build_chapter, chapter_recipe
from storycast.audio.master import Preset, preset
from storycast.audio.parts import Part, PartStore
from storycast.book import timing as manifest
from storycast.book import transcripts
from storycast.book.cover import make_cover, require_image
from storycast.book.m4b import write_m4b
from storycast.book.mp3 import BookInfo, write_book_mp3, write_chapter
from storycast.cast import assign_voices, load_cast, load_profiles, voice_dirs
from storycast.errors import InputError, StorycastError
from storycast.files import atomic_path, safe_name
from storycast.model import (
    NARRATOR,
    Audiobook,
    Chapter,
    Clip,
    Line,
    Script,
    ThoughtStyle,
    VoiceProfile,
)
from storycast.synth import Advance, ClipCache, clip_keys, estimate_seconds, plan, synthesize
from storycast.text.attribute import attribute
from storycast.text.chunk import chunks
from storycast.text.emphasis import apply_emphasis, thought_voice
from storycast.text.lexicon import lexicon_files, load_lexicon
from storycast.text.parse import parse
from storycast.text.read import read
from storycast.text.speakable import speakable

ProgressFactory = Callable[[str, int], Advance]
"""progress(description, total) -> advance(n): how stages report long work."""
PARTS = ".parts"
"""The book folder's store of encoded chapters (audio/parts.py)."""
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
    folder = options.out / book_slug(job.script.title)
    with folder_lock(folder), ThreadPoolExecutor(max_workers=1) as aside:
        cover = aside.submit(
            make_cover,
            folder / "cover.jpg",
            job.script.title,
            job.script.author,
            options.cover,
            job.script.meta.cover,
        )
        parts = make_parts(job, folder, target, options.jobs, progress)
        info = BookInfo(job.script.title, job.script.author, len(job.chapters), cover.result())
        book = package(
            job.script, info, parts, [c.title for c in job.chapters], folder, target, progress
        )
    return replace(book, voices={speaker: p.name for speaker, p in job.voices.items()})


def make_parts(
    job: Prepared, folder: Path, target: Preset, jobs: int, progress: ProgressFactory | None
) -> list[Part]:
    """Each chapter's part: kept from an earlier render when its recipe is
    unchanged; else its missing clips are synthesized, and it is assembled,
    mastered and encoded (chapters side by side, one per job)."""
    store = PartStore(folder / PARTS)
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
                _make_part,
                made[number],
                folder / ".work" / str(number),
                store,
                recipes[number],
                target,
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
    return [parts[number] for number in range(len(recipes))]


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


@contextmanager
def folder_lock(folder: Path) -> Iterator[None]:
    """One render at a time writes a book folder (another waits its turn); the
    holder clears what a killed render left behind."""
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / ".lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released by the kernel if we are killed
        for leftover in [*folder.glob(".tmp-*"), *(folder / PARTS).glob(".tmp-*")]:
            leftover.unlink(missing_ok=True)
        yield


def prepare(story: Path, options: RenderOptions) -> Prepared:
    ffmpeg.require()
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
    return Prepared(
        script, voices, chapters, lines, ClipCache(options.cache or options.out / ".clips")
    )


# Bytes written per second of speech: cached clip and chapter work file (16-bit
# mono PCM), chapter and book MP3s, the M4B; rounded up.
_BYTES_PER_SECOND = 2 * 44_100 + 2 * 24_000 + 12_000
_CHARS_PER_SECOND = 14


def require_disk_space(out: Path, lines: list[Line]) -> None:
    """Refuse before any long work when the output disk cannot hold the book."""
    seconds = sum(len(line.text) for line in lines) / _CHARS_PER_SECOND
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
    store = PartStore(options.out / book_slug(job.script.title) / PARTS)
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


def load_script(story: Path, cast_file: Path | None = None) -> Script:
    """A story file parsed and attributed, or a reviewed script.yaml as it is."""
    if scriptfile.is_script(story):
        script = scriptfile.load(story)
        if cast_file:
            script = Script(**{**script.__dict__, "cast": load_cast(cast_file)})
        return script
    document = read(story)
    script = attribute(parse(document), load_cast(cast_file or sibling_cast(story)))
    return replace(apply_emphasis(script, document), meta=document.meta)


def sibling_cast(story: Path) -> Path | None:
    candidate = story.with_name(f"{story.stem}.cast.yaml")
    return candidate if candidate.is_file() else None


def spoken_chapters(script: Script, read_front_matter: bool) -> list[Chapter]:
    chapters = list(script.chapters)
    if read_front_matter and script.front_matter:
        chapters.insert(0, Chapter("Author's note", script.front_matter))
    return chapters


def to_lines(
    chapters: list[Chapter], voices: dict[str, VoiceProfile], thought: ThoughtStyle | None = None
) -> list[Line]:
    """One line per segment, or per piece of a long segment."""
    lines = []
    for number, chapter in enumerate(chapters):
        for segment in chapter.segments:
            speaker = segment.speaker if segment.kind in ("speech", "thought") else NARRATOR
            profile = voices.get(speaker, voices[NARRATOR])
            if segment.kind == "thought":
                profile = thought_voice(profile, thought or ThoughtStyle())
            lines.extend(Line(number, segment, profile, piece) for piece in chunks(segment.text))
    return lines


def book_slug(title: str) -> str:
    slug = re.sub(r"[^\w]+", "-", title.lower(), flags=re.UNICODE).strip("-_")[:60].strip("-_")
    return safe_name(slug or "story")


def package(
    script: Script,
    book: BookInfo,
    parts: list[Part],
    titles: list[str],
    folder: Path,
    target: Preset,
    progress: ProgressFactory | None,
) -> Audiobook:
    """The chapter files, then the timing manifest, and from it the
    whole-book MP3 and M4B (joined from the parts), transcripts and chapters.json."""
    advance = progress("Writing the book", len(parts) + 2) if progress else None
    files = []
    for number, (part, title) in enumerate(zip(parts, titles), 1):
        files.append(write_chapter(part, number, title, folder, book))
        if advance:
            advance(1)
    _remove_stale_chapters(folder, files)
    timing = manifest.book_timing(
        parts,
        titles,
        files,
        script.title,
        script.author,
        folder.name,
        target.name,
        manifest.book_files(folder.name, book.cover),
    )
    with ThreadPoolExecutor(max_workers=2) as pool:  # the two joins side by side
        joins = [
            pool.submit(write_book_mp3, parts, folder / timing.files["mp3"], book, timing),
            pool.submit(write_m4b, parts, timing, folder / timing.files["m4b"], book),
        ]
        book_file, m4b = (join.result() for join in joins)
    if advance:
        advance(2)
    extras = [m4b, book.cover]
    # One text at a time, after the joins: a long book's texts are megabytes.
    for role, write in (
        ("vtt", transcripts.webvtt),
        ("srt", transcripts.srt),
        ("chapters", transcripts.podcast_chapters),
    ):
        extras.append(_write_text(folder / timing.files[role], write(timing)))
    extras.append(_write_text(folder / timing.files["script"], scriptfile.to_yaml(script)))
    extras.append(_write_text(folder / "timing.json", manifest.to_json(timing)))
    shutil.rmtree(folder / ".work", ignore_errors=True)
    return Audiobook(
        str(folder),
        script.title,
        tuple(map(str, files)),
        str(book_file),
        str(folder / "script.yaml"),
        timing.duration,
        other_files=tuple(map(str, extras)),
    )


def _write_text(path: Path, text: str) -> Path:
    with atomic_path(path) as temporary:
        temporary.write_text(text, encoding="utf-8")
    return path


def _remove_stale_chapters(folder: Path, keep: list[Path]) -> None:
    """Chapter files left by an earlier render of a longer version."""
    for old in folder.glob("[0-9][0-9]* - *.mp3"):
        if old not in keep:
            old.unlink()
