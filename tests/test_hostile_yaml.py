"""Every YAML storycast reads goes through the one safe loader (yamlfile.py):
no alias ever expands, no file is read past the cap, no number is infinite,
no text holds a lone surrogate, and every refusal is one line."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from _hostile import alias_bomb, one_line_error, run
from storycast import yamlfile
from storycast.errors import ConfigError
from storycast.script import load_yaml
from storycast.text.readers.markdown import split_front_matter

STORY = 'It rained.\n\n"Hello," said Ann.\n'
BOMBS = {
    "lists": alias_bomb(),
    "merge keys": "base: &b {x: 1, y: 2}\nnarrator: {<<: *b}\n",
    "a mapping alias": "one: &m {a: [1, 2, 3]}\ntwo: *m\n",
    "an alias as a key": "one: &k key\n*k : value\n",
    "a scalar alias": "narrator: &n narrator\ncharacters: {Ann: {voice: *n}}\n",
}


@pytest.mark.parametrize("bomb", BOMBS, ids=list(BOMBS))
@pytest.mark.parametrize("kind", ["cast", "lexicon", "script", "profile"])
def test_an_alias_is_refused_in_every_kind_of_yaml(tmp_path, monkeypatch, kind, bomb):
    story = tmp_path / "s.txt"
    story.write_text(STORY)
    path = {
        "cast": tmp_path / "s.cast.yaml",
        "lexicon": tmp_path / "s.lexicon.yaml",
        "script": tmp_path / "script.yaml",
        "profile": tmp_path / "voices" / "narrator.yaml",
    }[kind]
    path.parent.mkdir(exist_ok=True)
    path.write_text(BOMBS[bomb])
    monkeypatch.chdir(tmp_path)  # ./voices is searched
    command = {
        "cast": ("tag", story, "-c", path),
        "lexicon": ("say", "Hello", "--story", story, "-o", tmp_path / "a.wav"),
        "script": ("tag", path),
        "profile": ("voices",),
    }[kind]
    one_line_error(run(*command), "aliases")


def test_front_matter_aliases_and_size_are_refused_fast():
    with pytest.raises(ConfigError, match="aliases"):
        split_front_matter("---\n" + alias_bomb() + "---\nIt rained.\n")
    started = time.monotonic()
    with pytest.raises(ConfigError, match="too large"):
        split_front_matter("---\ntitle: x\nnote: " + "a" * 14_000_000 + "\n---\nIt rained.\n")
    assert time.monotonic() - started < 5


def test_invalid_front_matter_is_still_read_as_prose():
    front, body = split_front_matter("---\ntitle: [unclosed\n---\nIt rained.\n")
    assert front == {} and "It rained." in body


def test_a_14_mb_front_matter_story_is_one_line_from_the_cli(tmp_path):
    story = tmp_path / "big.md"
    story.write_text("---\ntitle: Big\nnote: " + "word " * 2_800_000 + "\n---\nIt rained.\n")
    started = time.monotonic()
    one_line_error(run("tag", story), "too large")
    assert time.monotonic() - started < 20


def test_feed_never_expands_an_alias_bomb_in_a_book_folder_script(tmp_path, fake_voices):
    from storycast.render import RenderOptions, render

    story = tmp_path / "s.txt"
    story.write_text(STORY)
    out = tmp_path / "out"
    book = render(story, RenderOptions(out=out, jobs=1, voices=[fake_voices]))
    (book.folder / "script.yaml").write_text("title: Bomb\n" + alias_bomb(12, 12))
    one_line_error(run("feed", out, "--base-url", "http://127.0.0.1:8000/"), "aliases")
    assert not (out / "feed.xml").exists()


@pytest.mark.parametrize(
    "setting", ["rate: .inf", "pitch: .nan", "rate: -.inf", "volume: .NaN", "pitch: 1.0e+400"]
)
def test_profile_numbers_must_be_finite(tmp_path, monkeypatch, setting):
    (tmp_path / "voices").mkdir()
    (tmp_path / "voices" / "narrator.yaml").write_text(f"engine: espeak\nvoice: en\n{setting}\n")
    monkeypatch.chdir(tmp_path)
    one_line_error(run("voices"), "finite")


@pytest.mark.parametrize("style", ["{pitch: .inf}", "{rate: .nan}", "{volume: -.inf}"])
def test_thought_style_numbers_must_be_finite(tmp_path, style):
    story = tmp_path / "s.txt"
    story.write_text(STORY)
    cast = tmp_path / "c.yaml"
    cast.write_text(f"narrator: narrator\nthought: {style}\n")
    one_line_error(run("tag", story, "-c", cast), "finite")


@pytest.mark.parametrize(
    "title", ['"\\ud800"', '"Tab \\udfff end"', '"\\ud83d"'], ids=["high", "low", "half emoji"]
)
def test_a_lone_surrogate_in_a_script_is_refused(tmp_path, title):
    script = tmp_path / "script.yaml"
    script.write_text(f"title: {title}\nchapters: []\n")
    one_line_error(run("tag", script, "-o", tmp_path / "copy.yaml"), "surrogate")


@pytest.mark.parametrize(
    "text",
    [
        "a: " + "[" * 5000 + "]" * 5000,  # deeper than Python's recursion limit
        "a: " + "9" * 5000,  # more digits than int() takes
        "a: 2024-13-45",  # a date that does not exist
        "a: !!timestamp 99999-01-01",
        "a: \x01b",  # a control character YAML's reader refuses
    ],
    ids=["nested", "digits", "date", "timestamp", "control"],
)
def test_values_python_cannot_hold_are_one_line(text):
    with pytest.raises(ConfigError) as caught:
        yamlfile.loads(text, "x.yaml")
    assert "\n" not in str(caught.value)


def test_a_pipe_or_a_device_is_not_read_as_yaml(tmp_path):
    fifo = tmp_path / "s.cast.yaml"
    os.mkfifo(fifo)
    writer = threading.Thread(target=lambda: open(fifo, "w").close(), daemon=True)
    writer.start()  # so a reader that did open the pipe is not stuck forever
    with pytest.raises(ConfigError, match="not a regular file"):
        yamlfile.load(fifo)
    with pytest.raises(ConfigError, match="not a regular file"):
        yamlfile.load(Path("/dev/zero"))


def test_a_file_over_the_cap_is_read_no_further_than_the_cap(tmp_path, monkeypatch):
    monkeypatch.setattr(yamlfile, "MAX_BYTES", 1000)
    path = tmp_path / "script.yaml"
    path.write_text("title: x\n" + "# padding\n" * 500)
    with pytest.raises(ConfigError, match="too large"):
        load_yaml(path)


def test_the_cli_refuses_a_huge_cast_quickly_under_a_memory_cap(tmp_path):
    """The whole path from the command line: a 40 MB cast file, a 1 GB cap."""
    story = tmp_path / "s.txt"
    story.write_text(STORY)
    cast = tmp_path / "c.yaml"
    with open(cast, "w") as handle:
        handle.write("narrator: narrator\ncharacters:\n")
        handle.write("  # " + "x" * 40_000_000 + "\n")
    code = (
        "import resource, sys; resource.setrlimit(resource.RLIMIT_AS, (2**30, 2**30)); "
        "from storycast.cli import app; sys.argv = ['storycast'] + sys.argv[1:]; app()"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, "tag", str(story), "-c", str(cast)],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "OPENBLAS_NUM_THREADS": "1"},
    )
    assert result.returncode == 1, result.stderr
    assert result.stderr.count("\n") == 1 and "too large" in result.stderr
