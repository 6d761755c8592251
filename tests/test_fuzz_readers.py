"""The story readers' fuzz targets (tests/fuzz_readers.py), run briefly on
every test run: in a process of its own, under a memory cap
(resource.setrlimit) and a time limit, every generated input to every
reader ends in a script or one line of error."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import fuzz_readers

FUZZ = Path(__file__).resolve().parents[1] / "benchmarks" / "fuzz.py"
SECONDS_PER_TARGET = 2
MEMORY_MB = 2048


def test_every_reader_holds_under_a_memory_cap() -> None:
    result = subprocess.run(
        [sys.executable, str(FUZZ), *fuzz_readers.TARGETS, "--seconds", str(SECONDS_PER_TARGET)]
        + ["--memory-mb", str(MEMORY_MB), "--deadline", "20", "--examples", "50"],
        capture_output=True,
        text=True,
        timeout=120 + 60 * len(fuzz_readers.TARGETS),
        env={**os.environ, "OPENBLAS_NUM_THREADS": "1"},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    for name in fuzz_readers.TARGETS:
        assert f"{name}: " in result.stdout


def test_there_is_a_target_and_a_strategy_for_every_reader() -> None:
    assert set(fuzz_readers.TARGETS) == {"txt", "md", "html", "epub", "folder"}
    assert set(fuzz_readers.STRATEGIES) == set(fuzz_readers.TARGETS)


def test_the_invariant_fails_on_anything_but_a_one_line_error() -> None:
    fuzz_readers.TARGETS["broken"] = lambda data: [][len(data)]
    try:
        with pytest.raises(IndexError):
            fuzz_readers.holds("broken", b"x")
    finally:
        del fuzz_readers.TARGETS["broken"]


@pytest.mark.parametrize(
    "name, data",
    [
        ("html", b"<b>" * 1000 + b"x"),
        ("html", b"<p>" + b"<font color=red>a<p>" * 3000),
        ("md", b"*a " * 1500 + b"x" + b" a*" * 1500),
        ("md", b"Words.\n\n" + b"<div>" * 5000 + b"x"),
        ("md", b"> " * 1000 + b"deep"),
        ("txt", "It rained.\n\n\ud800".encode("utf-8", "surrogatepass")),
        ("epub", b"<i>" * 2000 + b"x"),
        ("epub", b"PK\x03\x04 not a zip at all"),
        ("folder", b"It rained.\x00\x00\xff\xfe\x00\xd8x\x00\x00<b>" * 3),
    ],
)
def test_known_hostile_inputs_hold(name: str, data: bytes) -> None:
    fuzz_readers.holds(name, data)
