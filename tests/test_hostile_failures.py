"""Hangs, crashes and misleading messages: each ends in one line of error and
exit status 1 (or a fallback that says so), promptly."""

from __future__ import annotations

import errno
import json
import logging
import os
import shutil
import signal
import struct
import subprocess
import sys
import time
import zlib
from pathlib import Path

import pytest
import typer

from _hostile import PROGRESS, one_line_error, run
from fake_engine import FakeEngine
from storycast import engines, ffmpeg
from storycast.book.cover import make_cover
from storycast.cli.app import user_errors
from storycast.render import RenderOptions, render

BASE = "http://127.0.0.1:8000/"


def huge_png(side: int) -> bytes:
    """A black PNG `side` pixels square: small on disk, side² × 3 bytes decoded."""
    compressor = zlib.compressobj(9)
    row = b"\x00" * (side * 3 + 1)
    data = b"".join(compressor.compress(row) for _ in range(side)) + compressor.flush()

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", side, side, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    )


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> Path:
    """A book of two chapters rendered once (fake engine) for the feed tests."""
    work = tmp_path_factory.mktemp("rendered")
    voices = work / "voices"
    voices.mkdir()
    (voices / "narrator.yaml").write_text("engine: fake\nvoice: tone\npitch: 40\n")
    story = work / "s.txt"
    story.write_text("Chapter 1\n\nIt rained.\n\nChapter 2\n\nIt stopped.\n")
    engines.register(FakeEngine.name, FakeEngine)
    try:
        return render(story, RenderOptions(out=work / "out", jobs=1, voices=[voices])).folder
    finally:
        engines.unregister(FakeEngine.name)


@pytest.fixture
def book(tmp_path, rendered) -> Path:
    """A copy of the rendered book in tmp_path/out, for one test to damage."""
    copy = tmp_path / "out" / rendered.name
    shutil.copytree(rendered, copy, symlinks=True)
    return copy


def feed_in_a_subprocess(out: Path, *extra: str) -> subprocess.CompletedProcess:
    """`storycast feed`, in a process of its own: a hang fails the test, not the suite."""
    return subprocess.run(
        [sys.executable, "-m", "storycast", "feed", str(out), "--base-url", BASE, *extra],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_feed_skips_nothing_and_hangs_on_nothing_when_a_chapter_is_a_pipe(book):
    chapter = book / "01 - Chapter 1.mp3"
    chapter.unlink()
    os.mkfifo(chapter)
    result = feed_in_a_subprocess(book.parent)
    assert result.returncode == 1 and result.stderr.count("\n") == 1, result.stderr
    assert "not a regular file" in result.stderr


def test_feed_refuses_a_chapter_link_out_of_the_book(book, tmp_path):
    outside = tmp_path / "elsewhere.mp3"
    (book / "01 - Chapter 1.mp3").rename(outside)
    (book / "01 - Chapter 1.mp3").symlink_to(outside)
    one_line_error(run("feed", book.parent, "--base-url", BASE), "regular file")


@pytest.mark.parametrize("name", ["../../outside.mp3", "/etc/passwd", ".hidden.mp3", "a/b.mp3"])
def test_feed_refuses_a_timing_manifest_naming_other_files(book, name):
    timing = json.loads((book / "timing.json").read_text())
    timing["chapters"][0]["file"] = name
    (book / "timing.json").write_text(json.dumps(timing))
    one_line_error(run("feed", book.parent, "--base-url", BASE), "not a file of the book")


@pytest.mark.parametrize(
    "state",
    [
        {"episodes": {"s/story": {"guid": 5, "date": "2024-01-01T10:00:00+00:00"}}},
        {"episodes": {"s/story": {"guid": ["x"], "date": "2024-01-01T10:00:00+00:00"}}},
        {"episodes": {"s/story": {"guid": "g\x01", "date": "2024-01-01T10:00:00+00:00"}}},
        {"episodes": {"s/story": {"guid": "g", "date": "2024-01-01T10:00:00"}}},
        {"episodes": {"s/story": {"guid": "g", "date": 1700000000}}},
        {"episodes": {"s/story": {"guid": "g", "date": "9999-12-31T23:59:59+00:00"}}},
        {"episodes": {"s/story": {"guid": "g"}}},
        {"podcast_guid": "not-a-uuid"},
        {"podcast_guid": 7},
        {"seasons": {"s": "first"}},
        {"episodes": ["s/story"]},
        ["not", "a", "mapping"],
    ],
)
def test_a_damaged_feed_state_is_one_line(book, state):
    (book.parent / "feed-state.json").write_text(json.dumps(state))
    one_line_error(run("feed", book.parent, "--base-url", BASE), "feed state")


def test_a_feed_state_that_is_not_json_is_one_line(book):
    (book.parent / "feed-state.json").write_bytes(b"\xff\xfe{" + b"[" * 100_000)
    one_line_error(run("feed", book.parent, "--base-url", BASE), "feed state")


@pytest.mark.parametrize(
    "option, value",
    [
        ("--base-url", "http://exa mple.com/"),
        ("--base-url", "http://host\x01name:8000/"),
        ("--base-url", "http://host:8000/\npath"),
        ("--base-url", "http://host:80x/"),
        ("--base-url", "http://under_score!.com/"),
        ("--base-url", "javascript:alert(1)"),
        ("--language", "en\x01"),
        ("--language", "en GB"),
        ("--language", "<x/>"),
        ("--title", "Tab \udcff"),
        ("--author", "\ud800"),
    ],
)
def test_feed_options_with_control_characters_or_bad_hosts_are_refused(book, option, value):
    args = ["--base-url", BASE] if option != "--base-url" else []
    one_line_error(run("feed", book.parent, option, value, *args), option)
    assert not (book.parent / "feed.xml").exists()


def test_an_oversized_cover_is_refused_in_one_line_fast(tmp_path, fake_voices):
    story = tmp_path / "s.txt"
    story.write_text("It rained.\n")
    cover = tmp_path / "huge.png"
    cover.write_bytes(huge_png(9000))  # 81 megapixels
    started = time.monotonic()
    result = run("render", story, "--cover", cover, "-o", tmp_path / "out", "--voices", fake_voices)
    one_line_error(result, "--cover", "too large")
    assert time.monotonic() - started < 20


def test_an_oversized_story_cover_is_replaced_by_a_drawn_one_and_said(tmp_path, caplog):
    out = tmp_path / "cover.jpg"
    with caplog.at_level(logging.WARNING, logger="storycast"):
        make_cover(out, "A Title", "An Author", embedded=huge_png(9000))
    width = ffmpeg.probe(out)["streams"][0]["width"]
    assert width == 1400 and "drawing one" in caplog.text


def test_disk_full_during_encoding_says_disk_full(capsys):
    argv = ["-f", "lavfi", "-i", "sine=d=30", "-c:a", "pcm_s16le", "-f", "wav", "/dev/full"]
    with pytest.raises(OSError) as caught:
        ffmpeg.run(argv)
    assert caught.value.errno == errno.ENOSPC
    with pytest.raises(typer.Exit), user_errors():
        ffmpeg.run(argv)
    assert "disk is full" in capsys.readouterr().err


@pytest.mark.parametrize(
    "variant", ["m" * 300, "../../../etc/passwd", "/tmp/x", "m3 m4", "no-such-variant", "f2\x00"]
)
def test_espeak_variants_are_checked_before_the_library_sees_them(tmp_path, monkeypatch, variant):
    (tmp_path / "voices").mkdir()
    (tmp_path / "voices" / "narrator.yaml").write_text(
        f"engine: espeak\nvoice: en-us\nvariant: {json.dumps(variant)}\n"
    )
    monkeypatch.chdir(tmp_path)
    one_line_error(run("voices"), "variant")


@pytest.mark.slow
@pytest.mark.parametrize("delay", [1.2, 1.6, 2.0, 2.6])
def test_ctrl_c_while_workers_start_is_exit_130_without_tracebacks(tmp_path, delay):
    story = tmp_path / "long.txt"
    story.write_text("\n\n".join(f"Line {n} of a long night of rain." for n in range(60)))
    process = subprocess.Popen(
        [sys.executable, "-m", "storycast", "render", str(story), "-o", str(tmp_path / "o")]
        + ["-j", "2"],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
        start_new_session=True,  # a process group of its own, as a terminal makes
    )
    time.sleep(delay)
    os.killpg(process.pid, signal.SIGINT)
    errors = process.communicate(timeout=60)[1]
    assert process.returncode in (130, -signal.SIGINT), errors
    message = [line for line in errors.strip().splitlines() if not PROGRESS.match(line)]
    assert "Traceback" not in errors and len(message) <= 1, errors
