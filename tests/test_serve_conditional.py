"""`storycast serve` answers conditional requests: a strong ETag and
Last-Modified, 304 for a copy that is current, and the whole file for a
resumed download whose If-Range names an older version of the file."""

from __future__ import annotations

import os
from collections.abc import Iterator
from email.utils import formatdate
from pathlib import Path

import pytest

from _http import request, serving
from storycast.files import write_atomic

SIZE = 100_000
EPISODE = "/story/01.mp3"


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[Path, int]]:
    folder = tmp_path / "output"
    (folder / "story").mkdir(parents=True)
    (folder / "story" / "01.mp3").write_bytes(os.urandom(SIZE))
    (folder / "story" / "book.srt").write_text("1\n00:00:00,000 --> 00:00:01,000\nÉ\n")
    (folder / "story" / "book.m4b").write_bytes(os.urandom(1000))
    with serving(folder) as port:
        yield folder, port


def rewrite(folder: Path) -> bytes:
    """A re-render: the episode replaced (same size, new bytes) by a rename."""
    new = os.urandom(SIZE)
    write_atomic(folder / "story" / "01.mp3", lambda path: path.write_bytes(new))
    return new


def test_strong_etag_and_last_modified(site) -> None:
    folder, port = site
    response, _ = request(port, EPISODE)
    etag = response.getheader("ETag")
    assert etag.startswith('"') and etag.endswith('"')  # strong: no W/
    modified = int((folder / "story" / "01.mp3").stat().st_mtime)
    assert response.getheader("Last-Modified") == formatdate(modified, usegmt=True)
    again, _ = request(port, EPISODE)
    assert again.getheader("ETag") == etag
    rewrite(folder)
    changed, _ = request(port, EPISODE)
    assert changed.getheader("ETag") != etag


def test_if_none_match(site) -> None:
    _, port = site
    etag = request(port, EPISODE)[0].getheader("ETag")
    response, body = request(port, EPISODE, {"If-None-Match": etag})
    assert response.status == 304 and body == b""
    assert response.getheader("ETag") == etag
    response, _ = request(port, EPISODE, {"If-None-Match": f'"other", W/{etag}'})
    assert response.status == 304  # weak comparison for If-None-Match
    response, body = request(port, EPISODE, {"If-None-Match": '"other"'})
    assert response.status == 200 and len(body) == SIZE


def test_if_modified_since(site) -> None:
    _, port = site
    modified = request(port, EPISODE)[0].getheader("Last-Modified")
    response, body = request(port, EPISODE, {"If-Modified-Since": modified})
    assert response.status == 304 and body == b""
    response, body = request(port, EPISODE, {"If-Modified-Since": formatdate(86400, usegmt=True)})
    assert response.status == 200 and len(body) == SIZE
    # If-None-Match decides when both are sent.
    response, _ = request(port, EPISODE, {"If-Modified-Since": modified, "If-None-Match": '"old"'})
    assert response.status == 200


def test_if_range_current_gives_the_range(site) -> None:
    folder, port = site
    first, whole = request(port, EPISODE)
    for validator in (first.getheader("ETag"), first.getheader("Last-Modified")):
        response, body = request(port, EPISODE, {"Range": "bytes=100-199", "If-Range": validator})
        assert response.status == 206 and body == whole[100:200]


def test_stale_if_range_gives_the_whole_new_file(site) -> None:
    folder, port = site
    first, _ = request(port, EPISODE)
    new = rewrite(folder)
    response, body = request(
        port, EPISODE, {"Range": "bytes=100-199", "If-Range": first.getheader("ETag")}
    )
    assert response.status == 200 and body == new
    assert response.getheader("Content-Range") is None
    # A weak tag never matches If-Range, even the current one.
    current = response.getheader("ETag")
    response, body = request(port, EPISODE, {"Range": "bytes=0-9", "If-Range": "W/" + current})
    assert response.status == 200 and body == new


def test_stale_if_range_date_gives_the_whole_file(site) -> None:
    folder, port = site
    path = folder / "story" / "01.mp3"
    os.utime(path, (1_700_000_000, 1_700_000_000))
    stale = formatdate(1_600_000_000, usegmt=True)
    response, body = request(port, EPISODE, {"Range": "bytes=0-9", "If-Range": stale})
    assert response.status == 200 and body == path.read_bytes()


def test_types_and_charsets(site) -> None:
    _, port = site
    response, body = request(port, "/story/book.srt")
    assert response.getheader("Content-Type") == "application/x-subrip; charset=utf-8"
    assert body.decode("utf-8").endswith("É\n")
    response, _ = request(port, "/story/book.m4b")
    assert response.getheader("Content-Type") == "audio/mp4"
