"""estimate: how long making chapters and the book's files takes on this
machine, from its figures (calibrate.py), and what each render teaches them:
its measured time for a stage, over the time the figures gave it, is blended
into a scale for that stage."""

from __future__ import annotations

import math
import os
from collections.abc import Callable

from storycast.calibrate import Rates, update

BLEND = 0.5
"""How much of a render's measured ratio goes into the kept scale (in log)."""


def speedup(found: Rates, workers: int) -> float:
    """How many times faster `workers` side by side go than one: the measured
    pair's gain, taken to continue for each further worker."""
    return max(1.0, min(float(workers), 1 + (found.pair - 1) * (workers - 1)))


def mastering_seconds(chapter_seconds: list[float], found: Rates, jobs: int) -> float:
    """Chapters made side by side, one per worker: their total spread over
    the workers (as much as this machine gains from them), but never less
    than the longest chapter."""
    return found.scales.get("master", 1.0) * _mastering(chapter_seconds, found, jobs)


def book_seconds(seconds: float, chapters: int, whole: bool, found: Rates) -> float:
    """The chapter files, and for a whole book its two joins (the MP3 and the
    M4B), which run side by side."""
    return found.scales.get("book", 1.0) * _book(seconds, chapters, whole, found)


def learn_mastering(chapter_seconds: list[float], jobs: int, measured: float) -> None:
    learn("master", lambda found: _mastering(chapter_seconds, found, jobs), measured)


def learn_book(seconds: float, chapters: int, whole: bool, measured: float) -> None:
    learn("book", lambda found: _book(seconds, chapters, whole, found), measured)


def learn(stage: str, predict: Callable[[Rates], float], measured: float) -> None:
    """Blend a render's measured time for a stage into the stage's scale, so
    estimates follow what renders on this machine take, its load included."""

    def blend(found: Rates) -> None:
        predicted = predict(found)
        if predicted > 0 and measured > 0:
            ratio = min(4.0, max(0.25, measured / predicted))
            old = found.scales.get(stage, 1.0)
            found.scales[stage] = math.exp((1 - BLEND) * math.log(old) + BLEND * math.log(ratio))

    update(blend)


def _mastering(chapter_seconds: list[float], found: Rates, jobs: int) -> float:
    if not chapter_seconds:
        return 0.0
    fixed, per_second = found.master
    costs = [fixed + per_second * seconds for seconds in chapter_seconds]
    workers = min(jobs or os.cpu_count() or 1, len(costs))
    return max(sum(costs) / speedup(found, workers), max(costs))


def _book(seconds: float, chapters: int, whole: bool, found: Rates) -> float:
    files = chapters * found.chapter_file
    if not whole:
        return files
    fixed, per_second = found.join
    return files + 2 * (fixed + per_second * seconds) / speedup(found, 2)
