"""A real podcast client: gPodder's `gpo` subscribes to the feed that
`storycast serve` serves on 127.0.0.1, lists the episodes, downloads them,
and gets the rendered files byte for byte."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from feed_helpers import FIRST_STORY, MARKUP_TITLE, add_companion_files, render_story
from storycast.publish.feed import FeedOptions, write_feed

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        shutil.which("gpo") is None,
        reason="gPodder's gpo is not installed (scripts/setup.sh does it)",
    ),
]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("gpodder")
    return render_story(FIRST_STORY, "first", root / "output", root)


@pytest.fixture
def served(rendered: Path, tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """A copy of the output folder served by `storycast serve` on a free port;
    yields (the story's folder in it, base URL)."""
    output = tmp_path / "output"
    shutil.copytree(rendered, output / rendered.name)
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "storycast",
            "serve",
            str(output),
            "--host",
            "127.0.0.1",
            "--port",
            "0",
            "--quiet",
        ],
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = process.stderr.readline()
        match = re.search(r"at (http://127\.0\.0\.1:\d+/)", line)
        assert match, f"serve did not start: {line}"
        yield output / rendered.name, match.group(1)
    finally:
        process.terminate()
        process.wait(timeout=10)


def gpo(tmp_path: Path, *args: str) -> str:
    """Run gpo with its state and downloads under tmp_path; return its output."""
    environment = {
        **os.environ,
        "GPODDER_HOME": str(tmp_path / "gpodder"),
        "GPODDER_DOWNLOAD_DIR": str(tmp_path / "downloads"),
        "HOME": str(tmp_path),
        "LANG": "C.UTF-8",
    }
    environment.pop("DISPLAY", None)
    environment.pop("PYTHONPATH", None)
    result = subprocess.run(
        ["gpo", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=environment,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def downloads(tmp_path: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in (tmp_path / "downloads").rglob("*") if p.is_file()}


def test_gpodder_subscribes_lists_and_downloads_chapters(served, tmp_path: Path) -> None:
    folder, base_url = served
    write_feed(folder.parent, FeedOptions(base_url, per="chapter"))
    feed_url = base_url + "feed.xml"

    gpo(tmp_path, "subscribe", feed_url)
    assert MARKUP_TITLE in gpo(tmp_path, "list")
    listed = gpo(tmp_path, "episodes", feed_url)
    assert "Chapter 1: Arrival" in listed and "Chapter 2: Departure" in listed
    gpo(tmp_path, "download", feed_url)

    rendered = {p.name: p.read_bytes() for p in folder.glob("[0-9][0-9] - *.mp3")}
    assert len(rendered) == 2
    assert downloads(tmp_path) == rendered


def test_gpodder_downloads_the_whole_book(served, tmp_path: Path) -> None:
    folder, base_url = served
    add_companion_files(folder)
    write_feed(folder.parent, FeedOptions(base_url, per="story"))
    feed_url = base_url + "feed.xml"

    gpo(tmp_path, "subscribe", feed_url)
    assert MARKUP_TITLE in gpo(tmp_path, "episodes", feed_url)
    gpo(tmp_path, "download", feed_url)

    book = folder / f"{folder.name}.mp3"
    assert downloads(tmp_path) == {book.name: book.read_bytes()}
