"""run: a library, book by book into the cluster. Up-to-date books are
skipped first (no cluster is started when all are); the others are planned
and submitted while fewer than a few tasks per worker thread wait, so the
scheduler (and this process) hold a few books' tasks, never the whole
library's, and the first books finish early."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import CancelledError
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from storycast import ffmpeg
from storycast.audio.master import preset
from storycast.errors import StorycastError
from storycast.render import RenderOptions
from storycast.shelf.cluster import WorkerCheck, WorkerLacks, connect
from storycast.shelf.graph import Book, plan_book, submit_book
from storycast.shelf.stories import Stamps, find_stories
from storycast.shelf.tasks import Joined
from storycast.synth import ClipCache


@dataclass
class Tally:
    """Progress: books and chapters done and known, and the time left."""

    books: int
    books_done: int = 0
    chapters: int = 0
    """Chapters to make in the books planned so far."""
    chapters_done: int = 0
    seconds_left: float | None = None
    finished: str | None = None
    """The book just joined, if that is the news."""


@dataclass
class LibraryReport:
    stories: int
    skipped: list[Path] = field(default_factory=list)
    rendered: list[tuple[Path, Joined]] = field(default_factory=list)
    failed: list[tuple[Path, str]] = field(default_factory=list)
    synthesized: int = 0
    """Clips the engines made (cache misses): 0 when nothing changed."""
    parts_made: int = 0
    tasks: int = 0
    workers: int = 0
    seconds: float = 0.0


Progress = Callable[[Tally], None]


def render_library(
    folder: Path,
    options: RenderOptions,
    cluster: str | None = None,
    progress: Progress | None = None,
) -> LibraryReport:
    """Render every story in `folder` into options.out, each as `render`
    alone would; on the cluster at `cluster`, else on a local one."""
    started = time.monotonic()
    stories = find_stories(folder, options.out)
    stamps = Stamps(options)
    stale = [(story, stamps.inputs(story)) for story in stories if not stamps.fresh(story)]
    report = LibraryReport(len(stories), [s for s in stories if s not in dict(stale)])
    if stale:
        ffmpeg.require()
        if options.cover:
            raise StorycastError("--cover names one book's cover; a library's books have their own")
        with connect(cluster, options.jobs) as client, WorkerCheck(client, options.out) as check:
            report.workers = len(client.nthreads())
            try:
                _Run(client, check, options, stamps, report, progress).run(stale)
            except (CancelledError, TimeoutError, _comm_closed()) as error:
                raise StorycastError(_LOST + f" ({type(error).__name__})") from None
    report.seconds = time.monotonic() - started
    return report


class _Run:
    def __init__(
        self,
        client: Any,
        check: WorkerCheck,
        options: RenderOptions,
        stamps: Stamps,
        report: LibraryReport,
        progress: Progress | None,
    ):
        self.client, self.check, self.options = client, check, options
        self.stamps, self.report, self.progress = stamps, report, progress
        self.cache = ClipCache(options.cache or options.out / ".clips")
        self.target = preset(options.master)
        self.window = 4 * max(1, sum(client.nthreads().values())) + 4
        """Tasks waiting or running below which the next book is submitted."""
        self.pending = 0
        self.making: dict[str, Any] = {}
        self.books: dict[str, Book] = {}
        """Join task key -> its book; and each part task key -> its book."""
        self.slugs: dict[str, Path] = {}

    def run(self, stale: list[tuple[Path, str]]) -> None:
        from distributed import as_completed

        self.tally = Tally(len(stale))
        self.started = time.monotonic()
        self.total = sum(_size(story) for story, _ in stale)
        self.done = 0
        queue = deque(stale)
        done = as_completed()
        self._fill(queue, done)
        for future in done:
            self._finished(future)
            self._fill(queue, done)

    def _fill(self, queue: deque[tuple[Path, str]], done: Any) -> None:
        while queue and self.pending < self.window:
            story, inputs = queue.popleft()
            try:
                book = plan_book(story, inputs, self.options, self.target)
                self._claim(book)
                self.check.require(list(book.job.voices.values()))
            except WorkerLacks:
                raise  # the cluster cannot do the work: stop
            except StorycastError as error:
                self._failed(story, str(error))
                continue
            futures = submit_book(self.client, book, self.cache, self.making, self.options)
            self.report.tasks += len(futures)
            self.books.update({key: book for key in book.parts} | {book.join.key: book})
            self.total += book.weight - _size(story)
            self.tally.chapters += len(book.todo)
            self.pending += len(futures)
            for future in futures:
                done.add(future)

    def _claim(self, book: Book) -> None:
        """Two stories of one title would write one folder: refuse the second."""
        other = self.slugs.setdefault(book.folder.slug, book.story)
        if other != book.story:
            raise StorycastError(
                f"{book.story}: {other.name} has the same title and so the same book "
                f"folder ({book.folder.path}); retitle one or render it alone"
            )

    def _finished(self, future: Any) -> None:
        book = self.books.get(future.key)
        self.pending -= 1
        if future.status == "cancelled":
            raise StorycastError(_LOST)
        if future.key.startswith("synth-"):  # done or failed: no longer being made
            self.making = {k: f for k, f in self.making.items() if f.key != future.key}
        if future.status != "finished":
            if book is not None and future is book.join:
                self._failed(book.story, _message(future.exception()))
            return
        result = future.result()
        if future.key.startswith("synth-"):
            self.report.synthesized += result[1]
        elif book is not None and future.key in book.parts:
            self.report.synthesized += result[1]
            self.report.parts_made += 1
            self.done += book.parts[future.key]
            self.tally.chapters_done += 1
            self._show(None)
        elif book is not None:
            self._joined(book, result)

    def _joined(self, book: Book, joined: Joined) -> None:
        self.stamps.write(book.story, book.folder, book.engines, book.inputs)
        self.report.rendered.append((book.story, joined))
        self.tally.books_done += 1
        self._show(book.folder.slug)

    def _failed(self, story: Path, message: str) -> None:
        self.report.failed.append((story, message))
        self.tally.books -= 1
        self._show(None)

    def _show(self, finished: str | None) -> None:
        if self.progress is None:
            return
        if self.done:
            elapsed = time.monotonic() - self.started
            self.tally.seconds_left = elapsed * max(0, self.total - self.done) / self.done
        self.tally.finished = finished
        self.progress(self.tally)


_LOST = (
    "the cluster dropped the work (did its scheduler stop?); run the command "
    "again: the finished clips and chapters are kept"
)


def _comm_closed() -> type[Exception]:
    """Dask's error for a connection that closed (imported when a cluster runs)."""
    from distributed.comm.core import CommClosedError

    return CommClosedError


def _size(story: Path) -> int:
    """A story's characters, guessed from its bytes before it is read."""
    if story.is_dir():
        return sum(p.stat().st_size for p in story.rglob("*") if p.is_file())
    return story.stat().st_size


def _message(error: BaseException | None) -> str:
    return " ".join(str(error).split()) or type(error).__name__
