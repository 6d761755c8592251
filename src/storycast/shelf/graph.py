"""graph: one book's tasks. The client plans the book as `render` does
(read, attribute, cast, clip keys, chapter recipes, the parts already made)
and submits: batches of the missing lines, a part per chapter to make (after
the batches holding its clips), and the join (after its parts). Dask runs
each when what it needs is done, on any worker."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from storycast.audio.master import Preset
from storycast.audio.parts import PartStore
from storycast.book.layout import BookFolder
from storycast.model import Line
from storycast.render import Prepared, RenderOptions, chapter_state, prepare, select_chapters
from storycast.shelf.tasks import Batch, join_book, make_chapter_part, synthesize_batch
from storycast.synth import ClipCache, plan

BATCH_CHARACTERS = 1500
"""Characters of text a synthesis task says at most: about two minutes of
speech, one to four seconds of work, so the scheduler's few milliseconds a
task stay far below one per cent."""


@dataclass
class Book:
    """One book of the library on its way: planned, then submitted."""

    story: Path
    inputs: str
    """The hash of its inputs when it was planned (its stamp records it)."""
    job: Prepared
    folder: BookFolder
    chapters: list[list[tuple[Line, str]]]
    recipes: list[str]
    todo: list[int]
    """The chapters to make (the others' parts are kept from earlier)."""
    parts: dict[str, int] = field(default_factory=dict)
    """Submitted part task key -> its chapter's characters (progress)."""
    join: Any = None

    @property
    def engines(self) -> set[str]:
        return {profile.engine for profile in self.job.voices.values()}

    @property
    def weight(self) -> int:
        """Characters to say and master: the measure of progress."""
        return sum(len(line.text) for n in self.todo for line, _ in self.chapters[n])


def plan_book(story: Path, inputs: str, options: RenderOptions, target: Preset) -> Book:
    """What the book needs, found as `render` finds it."""
    job = select_chapters(prepare(story, options), frozenset())
    folder = BookFolder.for_title(options.out, job.script.title)
    folder.claim(story)
    # Marked as a book folder before any part is in it, as render's lock marks
    # it: a run stopped before the join must not leave a folder it then refuses.
    folder.path.mkdir(parents=True, exist_ok=True)
    folder.lock.touch()
    chapters, recipes, parts = chapter_state(job, PartStore(folder.parts), target)
    todo = [number for number, part in parts.items() if part is None]
    return Book(story, inputs, job, folder, chapters, recipes, todo)


def submit_book(
    client: Any, book: Book, cache: ClipCache, making: dict[str, Any], options: RenderOptions
) -> list[Any]:
    """Submit the book's tasks; `making` maps the clip keys being made in
    this run to their batch (shared by every book: a line two books share is
    said once). Returns every future submitted."""
    lines = [line for n in book.todo for line, _ in book.chapters[n]]
    missing = {k: line for k, line in plan(lines, cache).missing.items() if k not in making}
    slots = max(1, sum(client.nthreads().values()))
    submitted = []
    for batch in batches(missing, slots):
        future = client.submit(
            synthesize_batch, str(cache.folder), batch, key=_key("synth", *(k for k, _, _ in batch))
        )
        making.update({key: future for key, _, _ in batch})
        submitted.append(future)
    for number in book.todo:
        items = book.chapters[number]
        after = {making[key].key: making[key] for _, key in items if key in making}
        part = client.submit(
            make_chapter_part,
            str(cache.folder),
            str(book.folder.path),
            number,
            book.recipes[number],
            items,
            options.master,
            *after.values(),
            key=_key("part", str(book.folder.path), book.recipes[number]),
        )
        book.parts[part.key] = sum(len(line.text) for line, _ in items)
        submitted.append(part)
    parts = [future for future in submitted if future.key in book.parts]
    cover = str(options.cover) if options.cover else None
    book.join = client.submit(
        join_book,
        replace(book.job, lines=[]),  # the join needs the script, not the lines
        str(book.folder.path),
        book.recipes,
        options.master,
        cover,
        *parts,
        key=_key("join", str(book.folder.path), *book.recipes),
    )
    return [*submitted, book.join]


def batches(missing: dict[str, Line], slots: int) -> list[Batch]:
    """The missing lines in reading order, cut into batches of at most
    BATCH_CHARACTERS, and smaller for a small book so that every slot
    gets some."""
    total = sum(len(line.text) for line in missing.values())
    budget = max(1, min(BATCH_CHARACTERS, total // (2 * slots) + 1))
    found: list[Batch] = []
    batch: Batch = []
    size = 0
    for key, line in missing.items():
        if batch and size + len(line.text) > budget:
            found.append(batch)
            batch, size = [], 0
        batch.append((key, line.profile, line.text))
        size += len(line.text)
    return [*found, batch] if batch else found


def _key(kind: str, *parts: str) -> str:
    """A task's name from what it makes: the same work, the same task."""
    return f"{kind}-{hashlib.sha256(chr(0).join(parts).encode('utf-8')).hexdigest()[:24]}"
