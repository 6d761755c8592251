"""The fuzz targets (tests/fuzz_targets.py), run briefly on every test run:
in a process of its own, under a memory cap (resource.setrlimit) and a time
limit, every generated input to every YAML loader must end in a value or a
one-line error. benchmarks/fuzz.py runs the same targets for longer."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import fuzz_readers
import fuzz_targets

FUZZ = Path(__file__).resolve().parents[1] / "benchmarks" / "fuzz.py"
SECONDS_PER_TARGET = 2
MEMORY_MB = 1536
LOADERS = [name for name in fuzz_targets.TARGETS if name not in fuzz_readers.TARGETS]
"""The loaders' targets; the readers' run in test_fuzz_readers.py."""


def test_every_target_holds_under_a_memory_cap():
    result = subprocess.run(
        [sys.executable, str(FUZZ), *LOADERS, "--seconds", str(SECONDS_PER_TARGET)]
        + ["--memory-mb", str(MEMORY_MB), "--deadline", "5"],
        capture_output=True,
        text=True,
        timeout=60 + 30 * len(LOADERS),
        env={**os.environ, "OPENBLAS_NUM_THREADS": "1"},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    for name in LOADERS:
        assert f"{name}: " in result.stdout


def test_the_targets_cover_every_yaml_loader():
    assert {"cast", "profile", "script", "lexicon", "front-matter"} <= set(fuzz_targets.TARGETS)


def test_the_invariant_fails_on_anything_but_a_one_line_error(tmp_path):
    fuzz_targets.TARGETS["broken"] = lambda data, folder: int(data)
    try:
        with pytest.raises(ValueError):
            fuzz_targets.holds("broken", b"not a number", tmp_path)
    finally:
        del fuzz_targets.TARGETS["broken"]


@pytest.mark.parametrize(
    "name, data",
    [
        ("cast", b"narrator: &a x\ncharacters: {A: {voice: *a}}\n"),
        ("profile", b"engine: espeak\nvoice: en\nrate: .inf\n"),
        ("script", b'title: "\\ud800"\nchapters: []\n'),
        ("lexicon", b'Quattro: "\\x01200A \\ue000\\ue100\\ue001"\n'),
        ("front-matter", b"title: [" * 3000),
    ],
)
def test_known_hostile_inputs_hold(tmp_path, name, data):
    fuzz_targets.holds(name, data, tmp_path)
