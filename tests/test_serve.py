"""`storycast serve`: files inside the folder only, byte ranges for seeking,
several requests at once."""

from __future__ import annotations

import http.client
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from _http import request, serving
from storycast.publish.serve import parse_range

SIZE = 300_000


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A served folder with an episode, a hidden file, a folder, and links
    that point inside and outside it; yields (folder, port, episode bytes)."""
    root = tmp_path_factory.mktemp("serve")
    outside = root / "secret.txt"
    outside.write_text("not for phones")
    folder = root / "output"
    (folder / "story").mkdir(parents=True)
    episode = os.urandom(SIZE)
    (folder / "story" / "01 - Chapter & One.mp3").write_bytes(episode)
    (folder / "feed.xml").write_text("<rss version='2.0'><channel/></rss>", encoding="utf-8")
    (folder / ".hidden").write_text("private")
    (folder / "escape.txt").symlink_to(outside)
    (folder / "inside.mp3").symlink_to(folder / "story" / "01 - Chapter & One.mp3")
    with serving(folder) as port:
        yield folder, port, episode


EPISODE = "/story/01%20-%20Chapter%20%26%20One.mp3"


def test_whole_file(site) -> None:
    _, port, episode = site
    response, body = request(port, EPISODE)
    assert response.status == 200
    assert body == episode
    assert response.getheader("Accept-Ranges") == "bytes"
    assert response.getheader("Content-Length") == str(SIZE)
    assert response.getheader("Content-Type") == "audio/mpeg"


@pytest.mark.parametrize(
    "header, first, last",
    [
        ("bytes=0-0", 0, 0),
        ("bytes=1000-1999", 1000, 1999),
        ("bytes=250000-", 250000, SIZE - 1),
        ("bytes=-500", SIZE - 500, SIZE - 1),
        ("bytes=299000-999999", 299000, SIZE - 1),
    ],
)
def test_byte_ranges(site, header: str, first: int, last: int) -> None:
    _, port, episode = site
    response, body = request(port, EPISODE, headers={"Range": header})
    assert response.status == 206
    assert body == episode[first : last + 1]
    assert response.getheader("Content-Range") == f"bytes {first}-{last}/{SIZE}"
    assert response.getheader("Content-Length") == str(last - first + 1)
    assert response.getheader("Accept-Ranges") == "bytes"


def test_unsatisfiable_and_ignored_ranges(site) -> None:
    _, port, episode = site
    response, _ = request(port, EPISODE, headers={"Range": f"bytes={SIZE}-"})
    assert response.status == 416
    assert response.getheader("Content-Range") == f"bytes */{SIZE}"
    # Several ranges, or another unit: the whole file, as HTTP allows.
    response, body = request(port, EPISODE, headers={"Range": "bytes=0-1,5-6"})
    assert response.status == 200 and body == episode
    assert parse_range("items=0-1", SIZE) is None


def test_head_sends_headers_only(site) -> None:
    _, port, _ = site
    response, body = request(port, EPISODE, method="HEAD", headers={"Range": "bytes=10-19"})
    assert response.status == 206 and body == b""
    assert response.getheader("Content-Length") == "10"


def test_feed_is_the_index(site) -> None:
    _, port, _ = site
    response, body = request(port, "/")
    assert response.status == 200 and body.startswith(b"<rss")
    assert response.getheader("Content-Type").startswith("application/rss+xml")


@pytest.mark.parametrize(
    "path",
    [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/story/..%2f..%2fsecret.txt",
        "/escape.txt",
        "/.hidden",
        "/story",
        "/story/",
        "/missing.mp3",
        "/%ff%fe",
        "//etc/passwd",
        "/story/%00.mp3",
    ],
)
def test_nothing_outside_the_folder(site, path: str) -> None:
    _, port, _ = site
    response, body = request(port, path)
    assert response.status == 404
    assert b"not for phones" not in body


def test_links_inside_the_folder_are_served(site) -> None:
    _, port, episode = site
    response, body = request(port, "/inside.mp3")
    assert response.status == 200 and body == episode


def test_requests_are_served_concurrently(site) -> None:
    _, port, episode = site
    # Hold one download open, unread, and ask for something else meanwhile.
    slow = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    slow.request("GET", EPISODE)
    slow_response = slow.getresponse()
    assert slow_response.status == 200
    response, body = request(port, "/feed.xml")
    assert response.status == 200 and body.startswith(b"<rss")
    assert slow_response.read() == episode
    slow.close()


def test_serve_command(site, tmp_path: Path) -> None:
    folder, _, episode = site
    process = subprocess.Popen(
        [sys.executable, "-m", "storycast", "serve", str(folder), "--port", "0", "--quiet"],
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = process.stderr.readline()
        match = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        assert match, line
        response, body = request(int(match.group(1)), EPISODE, headers={"Range": "bytes=5-9"})
        assert response.status == 206 and body == episode[5:10]
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_serve_command_errors(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "storycast", "serve", str(tmp_path / "nope")],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 1
    assert "storycast: error:" in result.stderr and "no such folder" in result.stderr
    assert "Traceback" not in result.stderr
