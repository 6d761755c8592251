"""`storycast serve` answers conditional requests: a strong ETag and
Last-Modified, 304 for a copy that is current, and the whole file for a
resumed download whose If-Range names an older version of the file."""

from __future__ import annotations

import http.client
import os
import threading
from collections.abc import Iterator
from email.utils import formatdate
from pathlib import Path

import pytest

from storycast.files import write_atomic
from storycast.publish.serve import make_server

SIZE = 100_000
EPISODE = "/story/01.mp3"


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[Path, int]]:
    folder = tmp_path / "output"
    (folder / "story").mkdir(parents=True)
    (folder / "story" / "01.mp3").write_bytes(os.urandom(SIZE))
    (folder / "story" / "book.srt").write_text("1\n00:00:00,000 --> 00:00:01,000\nÉ\n")
    (folder / "story" / "book.m4b").write_bytes(os.urandom(1000))
    server = make_server(folder, "127.0.0.1", 0, quiet=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield folder, server.server_address[1]
    server.shutdown()
    server.server_close()


def get(port: int, path: str, headers: dict[str, str] | None = None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path, headers=headers or {})
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response, body


def rewrite(folder: Path) -> bytes:
    """A re-render: the episode replaced (same size, new bytes) by a rename."""
    new = os.urandom(SIZE)
    write_atomic(folder / "story" / "01.mp3", lambda path: path.write_bytes(new))
    return new


def test_strong_etag_and_last_modified(site) -> None:
    folder, port = site
    response, _ = get(port, EPISODE)
    etag = response.getheader("ETag")
    assert etag.startswith('"') and etag.endswith('"')  # strong: no W/
    modified = int((folder / "story" / "01.mp3").stat().st_mtime)
    assert response.getheader("Last-Modified") == formatdate(modified, usegmt=True)
    again, _ = get(port, EPISODE)
    assert again.getheader("ETag") == etag
    rewrite(folder)
    changed, _ = get(port, EPISODE)
    assert changed.getheader("ETag") != etag


def test_if_none_match(site) -> None:
    _, port = site
    etag = get(port, EPISODE)[0].getheader("ETag")
    response, body = get(port, EPISODE, {"If-None-Match": etag})
    assert response.status == 304 and body == b""
    assert response.getheader("ETag") == etag
    response, _ = get(port, EPISODE, {"If-None-Match": f'"other", W/{etag}'})
    assert response.status == 304  # weak comparison for If-None-Match
    response, body = get(port, EPISODE, {"If-None-Match": '"other"'})
    assert response.status == 200 and len(body) == SIZE


def test_if_modified_since(site) -> None:
    _, port = site
    modified = get(port, EPISODE)[0].getheader("Last-Modified")
    response, body = get(port, EPISODE, {"If-Modified-Since": modified})
    assert response.status == 304 and body == b""
    response, body = get(port, EPISODE, {"If-Modified-Since": formatdate(86400, usegmt=True)})
    assert response.status == 200 and len(body) == SIZE
    # If-None-Match decides when both are sent.
    response, _ = get(port, EPISODE, {"If-Modified-Since": modified, "If-None-Match": '"old"'})
    assert response.status == 200


def test_if_range_current_gives_the_range(site) -> None:
    folder, port = site
    first, whole = get(port, EPISODE)
    for validator in (first.getheader("ETag"), first.getheader("Last-Modified")):
        response, body = get(port, EPISODE, {"Range": "bytes=100-199", "If-Range": validator})
        assert response.status == 206 and body == whole[100:200]


def test_stale_if_range_gives_the_whole_new_file(site) -> None:
    folder, port = site
    first, _ = get(port, EPISODE)
    new = rewrite(folder)
    response, body = get(
        port, EPISODE, {"Range": "bytes=100-199", "If-Range": first.getheader("ETag")}
    )
    assert response.status == 200 and body == new
    assert response.getheader("Content-Range") is None
    # A weak tag never matches If-Range, even the current one.
    current = response.getheader("ETag")
    response, body = get(port, EPISODE, {"Range": "bytes=0-9", "If-Range": "W/" + current})
    assert response.status == 200 and body == new


def test_stale_if_range_date_gives_the_whole_file(site) -> None:
    folder, port = site
    path = folder / "story" / "01.mp3"
    os.utime(path, (1_700_000_000, 1_700_000_000))
    stale = formatdate(1_600_000_000, usegmt=True)
    response, body = get(port, EPISODE, {"Range": "bytes=0-9", "If-Range": stale})
    assert response.status == 200 and body == path.read_bytes()


def test_types_and_charsets(site) -> None:
    _, port = site
    response, body = get(port, "/story/book.srt")
    assert response.getheader("Content-Type") == "application/x-subrip; charset=utf-8"
    assert body.decode("utf-8").endswith("É\n")
    response, _ = get(port, "/story/book.m4b")
    assert response.getheader("Content-Type") == "audio/mp4"
