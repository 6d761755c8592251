"""estimate: how long making chapters takes on this machine, from its
figures (calibrate.py), and what each render teaches those figures."""

from __future__ import annotations

import os

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
    than the longest chapter; scaled as renders have measured."""
    if not chapter_seconds:
        return 0.0
    fixed, per_second = found.master
    costs = [fixed + per_second * seconds for seconds in chapter_seconds]
    workers = min(jobs or os.cpu_count() or 1, len(costs))
    return found.master_scale * max(sum(costs) / speedup(found, workers), max(costs))


def learn_mastering(chapter_seconds: list[float], jobs: int, measured: float) -> None:
    """Blend a render's time for making its chapters into the kept figures
    (half the last scale, half this render's ratio), so estimates follow what
    renders on this machine take, its load included."""
    if not chapter_seconds or measured <= 0:
        return

    def blend(found: Rates) -> None:
        predicted = mastering_seconds(chapter_seconds, found, jobs) / found.master_scale
        if predicted > 0:
            ratio = min(4.0, max(0.25, measured / predicted))
            found.master_scale = found.master_scale ** (1 - BLEND) * ratio**BLEND

    update(blend)
