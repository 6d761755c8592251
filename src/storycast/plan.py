"""plan: what `render` would do, without doing it (chapters to make, cached
clips, new clips), and how long it should take, from this machine's
measured rates (storycast.calibrate) and the parts of the work a render
would do: starting, reading the story, synthesis, mastering the chapters
side by side, joining the book's files."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

from storycast.audio.assemble import Pauses
from storycast.audio.master import preset
from storycast.audio.parts import PartStore
from storycast.book.layout import BookFolder
from storycast.calibrate import Rates, rates, voice_key
from storycast.estimate import book_seconds, mastering_seconds, speedup
from storycast.model import Line
from storycast.render import (
    PAUSES,
    Prepared,
    RenderOptions,
    chapter_state,
    prepare,
    select_chapters,
)
from storycast.synth import estimate_seconds, plan, uses_pool

STARTUP_MEASURED_UP_TO = 30.0
"""A process older than this when planning is not a fresh command (a library
caller, a test): its start is taken from the calibration instead."""


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
    stages: dict[str, float]
    """The estimate by stage: start, read, synthesize, master, book, cover."""


def plan_render(story: Path, options: RenderOptions) -> RenderPlan:
    """What `render` would do, and the time it should take on this machine."""
    started = _since_process_start()
    clock = time.perf_counter()  # the same work a render does before it synthesizes
    job = select_chapters(prepare(story, options), options.chapters)
    target = preset(options.master)
    store = PartStore(BookFolder.for_title(options.out, job.script.title).parts)
    chapters, _, parts = chapter_state(job, store, target)
    todo = [number for number, part in parts.items() if part is None]
    lines = [line for number in todo for line, _ in chapters[number]]
    work = plan(lines, job.cache)
    read = time.perf_counter() - clock
    missing = list(work.missing.values())
    found = rates(list({line.profile.name: line.profile for line in missing}.values()), target)
    if started > STARTUP_MEASURED_UP_TO:
        started = found.start
    made_seconds = [_chapter_seconds(job, chapters[n], found, work.missing) for n in todo]
    kept_seconds = sum(p.samples / p.sample_rate for p in parts.values() if p is not None)
    stages = {
        "start": started,
        "read": read,
        "synthesize": _synthesis(missing, found, options.jobs),
        "master": mastering_seconds(made_seconds, found, options.jobs),
        "book": book_seconds(
            sum(made_seconds) + kept_seconds, len(job.chapters), not options.chapters, found
        ),
    }
    # The cover is drawn while the chapters are made: it costs only what it outlasts.
    stages["cover"] = max(0.0, found.cover - stages["synthesize"] - stages["master"])
    return RenderPlan(
        len(job.lines),
        len(chapters),
        len(todo),
        len(lines),
        len(lines) - sum(1 for key in work.keys if key in work.missing),
        len(missing),
        sum(stages.values()),
        stages,
    )


def _synthesis(missing: list[Line], found: Rates, jobs: int) -> float:
    """The missing lines said, and the workers started when a pool is used
    (the engines are loaded in this process before: see "read")."""
    if not missing:
        return 0.0

    def cost(line: Line) -> float:
        rate = found.voices[voice_key(line.profile)]
        return rate.per_line + rate.per_char * len(line.text)

    start = found.start if uses_pool(len(missing), jobs) else 0.0
    return estimate_seconds(missing, cost, lambda workers: speedup(found, workers), jobs) + start


def _chapter_seconds(
    job: Prepared, items: list[tuple[Line, str]], found: Rates, missing: dict[str, Line]
) -> float:
    """A chapter's length: its cached clips' own lengths, the missing ones'
    from their voice's measured speed, and the pauses between lines."""
    seconds = _pauses_between(len(items), PAUSES)
    for line, key in items:
        clip = None if key in missing else job.cache.get(key)
        if clip is not None:
            seconds += clip.samples / clip.sample_rate
        else:
            seconds += len(line.text) * found.voices[voice_key(line.profile)].speech_per_char
    return seconds


def _pauses_between(lines: int, pauses: Pauses) -> float:
    return pauses.head + pauses.tail + lines * (pauses.line + pauses.speaker_change)


def _since_process_start() -> float:
    """Seconds since this process started (its interpreter and imports), from
    /proc; 0 where there is none."""
    try:
        fields = Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()
        uptime = float(Path("/proc/uptime").read_text().split()[0])
        return max(0.0, uptime - int(fields[19]) / os.sysconf("SC_CLK_TCK"))
    except (OSError, ValueError, IndexError):
        return 0.0
