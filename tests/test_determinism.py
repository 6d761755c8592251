"""The same story, cast and voices give byte-identical files, whatever the
number of workers and whatever is already in the cache."""

from __future__ import annotations

from pathlib import Path

import pytest

from storycast.render import RenderOptions, render

pytestmark = pytest.mark.slow

STORY = """The Lift

A/N: A test.

"Going up?" asked Alex.

"Always," Gene said. "Never down."

-/-/-

The doors closed. "Signorina!" Luigi called, too late.
"""


def test_two_clean_renders_are_byte_identical(tmp_path):
    story = tmp_path / "lift.txt"
    story.write_text(STORY, encoding="utf-8")
    first = render(story, RenderOptions(out=tmp_path / "a", jobs=1))
    second = render(story, RenderOptions(out=tmp_path / "b", jobs=2))
    files_a = sorted(p.name for p in Path(first.folder).iterdir() if p.is_file())
    files_b = sorted(p.name for p in Path(second.folder).iterdir() if p.is_file())
    assert files_a == files_b
    for name in files_a:
        assert (Path(first.folder) / name).read_bytes() == (
            Path(second.folder) / name
        ).read_bytes(), name
