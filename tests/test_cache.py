"""The clip cache: an edit re-synthesizes exactly the lines it changed, a
damaged entry is made again, and cached renders equal clean ones."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from storycast.render import RenderOptions, render

pytestmark = pytest.mark.slow

STORY = """The Till

"It's broken again," Alex said.

"Give it a kick," said Gene.

Luigi sighed. "Signor Hunt, please, not the till."

The drawer sprang open.
"""


def book_bytes(folder: str) -> dict[str, bytes]:
    return {
        p.name: p.read_bytes()
        for p in Path(folder).iterdir()
        if p.is_file() and not p.name.startswith(".")
    }


def test_an_edit_resynthesizes_exactly_the_changed_line(tmp_path, spoken_lines):
    story = tmp_path / "till.txt"
    story.write_text(STORY, encoding="utf-8")
    options = RenderOptions(out=tmp_path / "out", jobs=1)
    render(story, options)
    first = len(spoken_lines)
    assert first >= 6
    spoken_lines.clear()
    render(story, options)
    assert spoken_lines == []  # nothing changed, nothing spoken
    story.write_text(STORY.replace("Give it a kick", "Give it a good kick"), encoding="utf-8")
    render(story, options)
    assert spoken_lines == ["Give it a good kick,"]


def test_a_damaged_cache_entry_is_made_again(tmp_path, spoken_lines):
    story = tmp_path / "till.txt"
    story.write_text(STORY, encoding="utf-8")
    options = RenderOptions(out=tmp_path / "out", jobs=1)
    clean = book_bytes(render(story, options).folder)
    clips = sorted((tmp_path / "out" / ".clips").rglob("*.wav"))
    clips[0].write_bytes(clips[0].read_bytes()[:100])  # cut short
    clips[1].write_bytes(b"not a wav file at all")
    shutil.rmtree(tmp_path / "out" / "the-till" / ".parts")  # so the chapters need their clips
    spoken_lines.clear()
    again = book_bytes(render(story, options).folder)
    assert len(spoken_lines) == 2
    assert again == clean
