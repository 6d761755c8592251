"""How fast `storycast library` renders a library, and what the scheduler
costs, on this machine.

A library of generated stories (each distinct, so no clip is shared) is
rendered from a cold cache five ways:

  render       each story with `render -j N`, one after another: today's
               process pool, the way to beat
  local 1      `library` on a local Dask cluster of 1 worker process
  local 2      ... of 2 worker processes (the default on 2 cores)
  scheduler 2  `library --cluster`: a `dask scheduler` and 2 `dask worker`
               processes started as a user starts them on several machines

Each library run's books are checked byte-identical to the render way's.
Speed-up and efficiency (speed-up / workers) are against `local 1`. The
scheduler's overhead per task is measured on the same cluster with
no-op tasks (submitted and gathered as the library submits them), and its
share of the wall time is that overhead times the library's task count.

Usage:
  python benchmarks/library_speed.py                 (12 stories of 1.5 minutes)
  python benchmarks/library_speed.py --stories 4 --minutes 1
"""

from __future__ import annotations

import argparse
import random
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from storycast.render import RenderOptions, render
from storycast.shelf.run import render_library

CHARACTERS_PER_MINUTE = 500
"""Characters of story text per minute of audio (pauses included), measured."""
NAMES = ("Gene", "Alex", "Luigi")
WORDS = (
    "rain bus tea depot ticket coat window driver road night lamp corner "
    "station clock bridge river market bread letter music garden stone"
).split()


def story(number: int, minutes: float, chapters: int) -> str:
    """A distinct story: narration and speech by the built-in characters."""
    chooser = random.Random(number)
    lines = [f"Story {number}: The {chooser.choice(WORDS).title()}", ""]
    per_chapter = minutes * CHARACTERS_PER_MINUTE / chapters
    for chapter in range(1, chapters + 1):
        lines += [f"Chapter {chapter}: The {chooser.choice(WORDS).title()}", ""]
        written = 0
        while written < per_chapter:
            words = " ".join(chooser.choice(WORDS) for _ in range(chooser.randint(5, 14)))
            name = chooser.choice(NAMES)
            line = f'"{words.capitalize()} number {written + number}," {name} said.'
            if chooser.random() < 0.3:
                line = f"{name} watched the {words}."
            lines += [line, ""]
            written += len(line)
    return "\n".join(lines)


def cpu_seconds() -> float:
    """CPU time of this process and of every child it has waited for (worker
    processes, the scheduler, ffmpeg, espeak-ng children): the steadier
    figure on a machine shared with other work."""
    own, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def noop(value: int) -> int:
    return value


def overhead_per_task(address: str, tasks: int = 400) -> float:
    """Seconds of scheduler round trip per task: no-op tasks submitted one
    by one and gathered, on the cluster the library used."""
    from distributed import Client, as_completed

    with Client(address) as client:
        client.submit(noop, -1, pure=False).result()  # warm
        started = time.perf_counter()
        futures = [client.submit(noop, n, pure=False) for n in range(tasks)]
        for _ in as_completed(futures):
            pass
        return (time.perf_counter() - started) / tasks


class Scheduler:
    """`dask scheduler` and `dask worker` processes on loopback."""

    def __init__(self, folder: Path, workers: int):
        dask = str(Path(sys.executable).with_name("dask"))
        with socket.socket() as probe:  # a free port, not 8786: a real scheduler may be there
            probe.bind(("127.0.0.1", 0))
            free = str(probe.getsockname()[1])
        self.address = f"tcp://127.0.0.1:{free}"
        port = ["--host", "127.0.0.1", "--port", free, "--no-dashboard"]
        quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "cwd": folder}
        self.processes = [subprocess.Popen([dask, "scheduler", *port], **quiet)]
        for n in range(workers):
            self.processes.append(
                subprocess.Popen(
                    [dask, "worker", self.address, "--nthreads", "1", "--no-dashboard"]
                    + ["--local-directory", str(folder / f"w{n}")],
                    **quiet,
                )
            )
        from distributed import Client

        with Client(self.address, timeout="60s") as client:
            client.wait_for_workers(workers, timeout=120)

    def close(self) -> None:
        for process in self.processes:
            process.send_signal(signal.SIGTERM)
        for process in self.processes:
            process.wait(timeout=60)


def book_files(out: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(out)): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(out).parts)
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stories", type=int, default=12)
    parser.add_argument("--minutes", type=float, default=1.5, help="audio per story")
    parser.add_argument("--chapters", type=int, default=3, help="chapters per story")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="storycast-library-bench-"))
    try:
        run(work, args)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run(work: Path, args: argparse.Namespace) -> None:
    shelf = work / "stories"
    shelf.mkdir()
    for n in range(1, args.stories + 1):
        text = story(n, args.minutes, args.chapters)
        (shelf / f"story-{n:02d}.txt").write_text(text, encoding="utf-8")
    print(
        f"library: {args.stories} stories x {args.minutes:g} min of audio, "
        f"{args.chapters} chapters each; espeak-ng; {args.workers} workers at most",
        flush=True,
    )
    rows = []
    reference = work / "render"
    cpu, started = cpu_seconds(), time.perf_counter()
    for path in sorted(shelf.iterdir()):
        render(path, RenderOptions(out=reference, jobs=args.workers))
    wall = time.perf_counter() - started
    rows.append(
        ("render, one story after another", f"pool {args.workers}", wall, cpu_seconds() - cpu)
        + (None, None)
    )
    expected = book_files(reference)
    for name, workers, cluster in (
        ("library, local Dask", 1, False),
        ("library, local Dask", args.workers, False),
        ("library --cluster (dask scheduler)", args.workers, True),
    ):
        out = work / f"{name[:7]}-{workers}-{cluster}"
        cpu = cpu_seconds()
        scheduler = Scheduler(work, workers) if cluster else None
        try:
            address = scheduler.address if scheduler else None
            options = RenderOptions(out=out, jobs=0 if scheduler else workers)
            started = time.perf_counter()
            report = render_library(shelf, options, address)
            wall = time.perf_counter() - started
            per_task = overhead_per_task(address) if address else None
        finally:
            if scheduler:
                scheduler.close()
        assert not report.failed, report.failed
        same = book_files(out) == expected
        label = name if same else f"{name} (NOT IDENTICAL)"
        rows.append((label, workers, wall, cpu_seconds() - cpu, report, per_task))
        print(f"  {name}, {workers} worker(s): {wall:.1f} s", flush=True)
    print_table(rows)


def print_table(rows: list) -> None:
    base = next(row[2] for row in rows if row[1] == 1)
    print()
    print(
        f"{'way':38} {'workers':>8} {'wall s':>8} {'CPU s':>7} {'speed-up':>9} {'efficiency':>11} "
        f"{'tasks':>6} {'overhead/task':>14} {'overhead':>9}"
    )
    for name, workers, wall, cpu, report, per_task in rows:
        speedup = base / wall
        count = isinstance(workers, int)
        overhead = (
            f"{per_task * 1000:11.1f} ms {100 * per_task * report.tasks / wall:8.2f}%"
            if per_task
            else f"{'':>14} {'':>9}"
        )
        print(
            f"{name:38} {workers!s:>8} {wall:8.1f} {cpu:7.1f} {speedup:8.2f}x "
            f"{(f'{speedup / workers:10.0%}' if count else ''):>11} "
            f"{(report.tasks if report else ''):>6} {overhead}"
        )


if __name__ == "__main__":
    main()
