"""No file storycast did not make is removed or replaced: a re-render removes
only the chapter files it recorded; no output goes into the story folder; an
output path that is a link is written through, one that is a pipe, a device
or the input is refused (files.output_file / output_folder, used by every
command that writes)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from _hostile import one_line_error, run
from storycast.errors import InputError
from storycast.files import output_file, output_folder, write_text
from storycast.render import RenderOptions, render

TWO_CHAPTERS = "Chapter 1\n\nIt rained.\n\nChapter 2\n\nIt stopped.\n"


def test_a_rerender_keeps_the_users_own_chapter_named_file(tmp_path, fake_voices):
    story = tmp_path / "s.txt"
    story.write_text(TWO_CHAPTERS)
    options = RenderOptions(out=tmp_path / "out", jobs=1, voices=[fake_voices])
    book = render(story, options)
    mine = [book.folder / "07 - Interview.mp3", book.folder / "02 - Notes.mp3"]
    for path in mine:
        path.write_bytes(b"the user's own recording")
    story.write_text("Chapter 1\n\nIt rained.\n")  # shorter: chapter 2 goes
    again = render(story, options)
    assert all(path.read_bytes() == b"the user's own recording" for path in mine)
    assert [p.name for p in again.chapter_files] == ["01 - Chapter 1.mp3"]
    assert not (book.folder / "02 - Chapter 2.mp3").exists()  # recorded, so removed


@pytest.mark.parametrize(
    "story_at, out_at",
    [
        ("my-story", "my-story"),
        ("my-story", "my-story/out"),
        ("my-story/", "my-story/deep/er/out"),
        ("my-story", "."),  # the book folder OUT/my-story would be the story folder
        ("my-story", "link-into-story"),
    ],
)
def test_no_render_into_the_story_folder(tmp_path, monkeypatch, fake_voices, story_at, out_at):
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "my-story"
    folder.mkdir()
    (folder / "01.txt").write_text("My Story\n\nIt rained.\n")
    mine = folder / "07 - Interview.mp3"
    mine.write_bytes(b"mine")
    (tmp_path / "link-into-story").symlink_to(folder)
    result = run("render", story_at, "-o", out_at, "--voices", fake_voices, "-j", "1")
    one_line_error(result, "story folder")
    assert mine.read_bytes() == b"mine"
    assert sorted(p.name for p in folder.iterdir()) == ["01.txt", "07 - Interview.mp3"]


def test_a_folder_storycast_did_not_make_is_not_taken_for_a_book(tmp_path, fake_voices):
    story = tmp_path / "notes.txt"
    story.write_text("Notes\n\nIt rained.\n")
    theirs = tmp_path / "out" / "notes"
    theirs.mkdir(parents=True)
    (theirs / "cover.jpg").write_bytes(b"the user's picture")
    result = run("render", story, "-o", tmp_path / "out", "--voices", fake_voices)
    one_line_error(result, "did not make")
    assert (theirs / "cover.jpg").read_bytes() == b"the user's picture"


def test_tag_never_overwrites_its_input(tmp_path):
    story = tmp_path / "s.txt"
    story.write_text("It rained.\n")
    (tmp_path / "hard.txt").hardlink_to(story)
    (tmp_path / "soft.txt").symlink_to(story)
    for name in ("s.txt", "hard.txt", "soft.txt", "./s.txt"):
        one_line_error(run("tag", story, "-o", tmp_path / name), "input")
        one_line_error(run("cast", story, "-o", tmp_path / name), "input")
    assert story.read_text() == "It rained.\n"


def test_an_output_link_is_written_through(tmp_path):
    story = tmp_path / "s.txt"
    story.write_text("It rained.\n")
    target = tmp_path / "kept" / "script.yaml"
    target.parent.mkdir()
    link = tmp_path / "link.yaml"
    link.symlink_to(target)  # dangling: the target is made
    assert run("tag", story, "-o", link).exit_code == 0
    assert link.is_symlink() and "It rained." in target.read_text()
    assert run("tag", story, "-o", link).exit_code == 0  # and again, over the target
    assert link.is_symlink()


def test_a_named_output_follows_a_link_chain_and_a_planted_link_is_replaced(tmp_path):
    final = tmp_path / "final.txt"
    (tmp_path / "b").symlink_to(final)
    (tmp_path / "a").symlink_to(tmp_path / "b")
    write_text(output_file(tmp_path / "a"), "hello")  # what -o does
    assert final.read_text() == "hello" and (tmp_path / "a").is_symlink()
    precious = tmp_path / "precious.txt"
    precious.write_text("keep")
    planted = tmp_path / "book" / "timing.json"
    planted.parent.mkdir()
    planted.symlink_to(precious)
    write_text(planted, "{}")  # storycast's own file: never written through
    assert precious.read_text() == "keep" and not planted.is_symlink()


def test_pipes_devices_and_folders_are_refused_not_replaced(tmp_path):
    story = tmp_path / "s.txt"
    story.write_text("It rained.\n")
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    (tmp_path / "to-fifo").symlink_to(fifo)
    for target in (fifo, tmp_path / "to-fifo", Path("/dev/null"), Path("/dev/full")):
        one_line_error(run("tag", story, "-o", target))
    assert fifo.is_fifo()


@pytest.mark.parametrize(
    "make, why",
    [
        (lambda tmp: tmp / "afile" / "sub.yaml", "not a folder"),
        (lambda tmp: tmp / ("x" * 300 + ".yaml"), "too long"),
        (lambda tmp: tmp / ("d" * 256) / "s.yaml", "too long"),
        (lambda tmp: Path("/proc/version"), "cannot write"),
        (lambda tmp: Path("/proc/self/new.yaml"), "cannot write"),
    ],
)
def test_impossible_output_paths_are_one_line(tmp_path, make, why):
    story = tmp_path / "s.txt"
    story.write_text("It rained.\n")
    (tmp_path / "afile").write_text("a file")
    one_line_error(run("tag", story, "-o", make(tmp_path)), why)
    if not os.path.isfile(make(tmp_path)):  # typer itself refuses a file for -o
        one_line_error(run("render", story, "-o", make(tmp_path)))


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_output_folder_is_one_line(tmp_path):
    story = tmp_path / "s.txt"
    story.write_text("It rained.\n")
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o555)
    one_line_error(run("tag", story, "-o", locked / "s.yaml"), "cannot write")
    one_line_error(run("render", story, "-o", locked), "cannot write")


def test_the_rule_itself(tmp_path):
    story = tmp_path / "story"
    story.mkdir()
    assert output_folder(tmp_path / "out", [story]) == (tmp_path / "out").resolve()
    assert output_file(tmp_path / "new.yaml", [story]) == (tmp_path / "new.yaml").resolve()
    with pytest.raises(InputError):
        output_folder(story / "a" / "b", [story])
    (tmp_path / "x.txt").touch()
    with pytest.raises(InputError, match="not a folder"):
        output_folder(tmp_path / "x.txt", [story])
    with pytest.raises(InputError, match="a folder"):
        output_file(story)
