"""Run storycast's fuzz targets (tests/fuzz_targets.py) for longer than the
test suite does, under a memory cap: every input must end in a value or a
one-line StorycastError, within --deadline seconds and --memory-mb of memory.

    python benchmarks/fuzz.py                      # every target, 60 s each
    python benchmarks/fuzz.py cast script --seconds 600

A failing input is printed (hypothesis shrinks it first) and the exit status
is 1. The story readers' targets (tests/fuzz_readers.py) are registered there too;
give them a longer --deadline (about 20 s): a reader may take seconds on a big input."""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
import traceback
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from hypothesis import HealthCheck, given, settings  # noqa: E402

import fuzz_targets  # noqa: E402


def cap_memory(megabytes: int) -> None:
    """An address-space limit: a loader that blows up raises MemoryError."""
    limit = megabytes * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def fuzz(name: str, seconds: float, deadline: float, examples: int = 200) -> int:
    """Run one target for `seconds`; return how many inputs it was given."""
    count = 0
    ends = time.monotonic() + seconds

    @settings(
        max_examples=examples,
        deadline=timedelta(seconds=deadline),
        suppress_health_check=list(HealthCheck),
        database=None,
    )
    @given(fuzz_targets.inputs_for(name))
    def run(data: bytes) -> None:
        nonlocal count
        count += 1
        with tempfile.TemporaryDirectory(prefix="storycast-fuzz-") as folder:
            fuzz_targets.holds(name, data, Path(folder))

    while time.monotonic() < ends:
        run()
    return count


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("targets", nargs="*", help=f"of {', '.join(fuzz_targets.TARGETS)}")
    parser.add_argument("--seconds", type=float, default=60, help="per target")
    parser.add_argument("--deadline", type=float, default=2.0, help="seconds per input")
    parser.add_argument("--memory-mb", type=int, default=1536)
    parser.add_argument("--examples", type=int, default=200, help="inputs per round")
    args = parser.parse_args()
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # no per-thread arenas under the cap
    cap_memory(args.memory_mb)
    names = args.targets or list(fuzz_targets.TARGETS)
    for name in names:
        if name not in fuzz_targets.TARGETS:
            parser.error(f"no target {name!r}")
        try:
            count = fuzz(name, args.seconds, args.deadline, args.examples)
        except Exception:  # noqa: BLE001 - the report is the point
            print(f"{name}: FAILED", file=sys.stderr)
            traceback.print_exc(limit=-8)
            return 1
        print(f"{name}: {count} inputs, all ended in a value or one line")
    return 0


if __name__ == "__main__":
    sys.exit(main())
