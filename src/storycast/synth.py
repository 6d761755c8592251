"""synthesize: lines -> clips, through a content-addressed cache and a pool
of worker processes (one engine instance per process).

A clip's key is the hash of (engine, engine version, voice profile, text), so
re-rendering after an edit synthesizes only the lines that changed. Entries
are written to a temporary name and renamed, so a killed render never leaves
a half-written clip, and a damaged entry is detected and made again."""

from __future__ import annotations

import hashlib
import itertools
import json
import multiprocessing
import os
import signal
import threading
import wave
from collections import Counter, deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

from storycast import engines
from storycast.files import write_wav
from storycast.model import Advance, Audio, Clip, Line, VoiceProfile


def clip_key(engine_version: str, profile: VoiceProfile, text: str) -> str:
    settings = {k: v for k, v in asdict(profile).items() if k not in ("name", "description")}
    blob = json.dumps([engine_version, settings, text], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


class ClipCache:
    """Clips stored as WAV files under folder/<2 hex>/<key>.wav."""

    def __init__(self, folder: Path):
        self.folder = folder

    def path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.wav"

    def get(self, key: str) -> Clip | None:
        """The cached clip, or None when absent or damaged (then it is removed)."""
        path = self.path(key)
        try:
            with wave.open(str(path), "rb") as clip:
                frames = clip.getnframes()
                ok = clip.getsampwidth() == 2 and clip.getnchannels() == 1
                expected = 44 + frames * 2
            if ok and path.stat().st_size >= expected:
                return Clip(path, clip.getframerate(), frames)
        except FileNotFoundError:
            return None
        except (OSError, EOFError, wave.Error):
            pass
        path.unlink(missing_ok=True)
        return None

    def put(self, key: str, audio: Audio) -> Clip:
        path = write_wav(self.path(key), audio)
        return Clip(path, audio.sample_rate, len(audio.pcm) // 2)


@dataclass(frozen=True)
class Plan:
    """What a render will synthesize: keys per line, and which are missing."""

    keys: list[str]
    missing: dict[str, Line]
    """key -> one line needing that clip (identical lines share one clip)."""


def clip_keys(lines: list[Line]) -> list[str]:
    """Each line's clip key, in order."""
    versions: dict[str, str] = {}
    keys = []
    for line in lines:
        engine = line.profile.engine
        if engine not in versions:
            versions[engine] = engine_version(engine)
        keys.append(clip_key(versions[engine], line.profile, line.text))
    return keys


def plan(lines: list[Line], cache: ClipCache) -> Plan:
    keys = clip_keys(lines)
    missing: dict[str, Line] = {}
    for line, key in zip(lines, keys):
        if key not in missing and cache.get(key) is None:
            missing[key] = line
    return Plan(keys, missing)


def synthesize(
    lines: list[Line], cache: ClipCache, jobs: int = 0, advance: Advance | None = None
) -> list[Clip]:
    """One clip per line, in order; only the missing clips are synthesized."""
    work = plan(lines, cache)
    if advance:
        advance(len(lines) - len(work.missing))
    todo = list(work.missing.items())
    for key, audio, count in _run(todo, jobs or os.cpu_count() or 1, work.keys):
        cache.put(key, audio)
        if advance:
            advance(count)
    return [cached_clip(cache, key, line) for line, key in zip(lines, work.keys)]


def cached_clip(cache: ClipCache, key: str, line: Line) -> Clip:
    """The line's clip from the cache; made again if damaged or removed since."""
    clip = cache.get(key)
    return clip if clip is not None else cache.put(key, synthesize_one(line.profile, line.text))


_POOL_FROM = 8
"""Fewer lines than this are said in this process: a pool would cost more."""


def _run(
    todo: list[tuple[str, Line]], jobs: int, keys: list[str]
) -> Iterator[tuple[str, Audio, int]]:
    """Synthesize in worker processes, yielding (key, audio, lines it covers)."""
    uses = Counter(keys)
    tasks = [(key, line.profile, line.text) for key, line in todo]
    if not uses_pool(len(tasks), jobs):
        for key, profile, text in tasks:
            yield key, synthesize_one(profile, text), uses[key]
        return
    # spawn, not fork: engines hold native threads that a fork would copy mid-lock.
    context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_worker_start)
    try:
        size = max(1, min(32, len(tasks) // (jobs * 4)))
        batches = (tasks[start : start + size] for start in range(0, len(tasks), size))
        # A few batches in flight per worker, not the whole book: memory stays
        # flat however long the book (Executor.map would submit every line at once).
        in_flight = deque(_submit(pool, batch) for batch in itertools.islice(batches, jobs * 3))
        while in_flight:
            done = in_flight.popleft().result()
            for batch in itertools.islice(batches, 1):
                in_flight.append(_submit(pool, batch))
            for key, audio in done:
                yield key, audio, uses[key]
    finally:
        # On an error or Ctrl-C, drop the queued lines instead of finishing them.
        pool.shutdown(wait=True, cancel_futures=True)


def estimate_seconds(
    missing: list[Line],
    cost: Callable[[Line], float],
    speedup: Callable[[int], float],
    jobs: int = 0,
) -> float:
    """Wall time to synthesize the missing lines, from `cost`, each line's
    seconds in one worker, and `speedup`, how much faster n workers go than
    one (both measured: see storycast.calibrate), spread as `synthesize`
    spreads them (no workers for a few lines)."""
    total = sum(cost(line) for line in missing)
    if not uses_pool(len(missing), jobs):
        return total
    return total / speedup(min(jobs or os.cpu_count() or 1, len(missing)))


def uses_pool(lines: int, jobs: int = 0) -> bool:
    """Whether `synthesize` starts worker processes for this many new lines."""
    return (jobs or os.cpu_count() or 1) > 1 and lines >= _POOL_FROM


CHARS_PER_SPOKEN_SECOND = 14.0  # about 165 words a minute


_ENGINES: dict[str, engines.Engine] = {}


def _submit(pool: ProcessPoolExecutor, batch: list[tuple[str, VoiceProfile, str]]) -> Future:
    """pool.submit, which may start a worker, with Ctrl-C held back until it
    returns: blocked, so the worker starts with it blocked (the mask is
    inherited) until _worker_start sets how it leaves; and deferred here, so
    the parent never stops halfway through handing a new worker its start-up
    data (the worker would die in a traceback)."""
    if threading.current_thread() is not threading.main_thread():
        # Handlers are the main thread's to set, but the mask is this thread's
        # own: a worker started from here (a render in the studio's thread)
        # starts with Ctrl-C blocked too, so it never dies mid-start in a traceback.
        held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:
            return pool.submit(_synthesize_batch, batch)
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, held)
    interrupted: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: interrupted.append(signum))
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        return pool.submit(_synthesize_batch, batch)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
        signal.signal(signal.SIGINT, previous)
        if interrupted:
            raise KeyboardInterrupt


def _worker_start() -> None:
    signal.signal(signal.SIGINT, _leave_quietly)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def _leave_quietly(signum: int, frame: object) -> None:
    """A worker's Ctrl-C: the parent reports it; the worker just ends."""
    os._exit(128 + signum)


def _engine(name: str) -> engines.Engine:
    if name not in _ENGINES:
        _ENGINES[name] = engines.get(name)
    return _ENGINES[name]


def engine_version(name: str) -> str:
    return f"{name}:{_engine(name).version()}"


def synthesize_one(profile: VoiceProfile, text: str) -> Audio:
    """One line, said in this process (its engine loaded on first use)."""
    return _engine(profile.engine).synthesize(text, profile)


def _synthesize_batch(tasks: list[tuple[str, VoiceProfile, str]]) -> list[tuple[str, Audio]]:
    return [(key, synthesize_one(profile, text)) for key, profile, text in tasks]
