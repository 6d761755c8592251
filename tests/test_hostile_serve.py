"""serve hands out only regular files inside its folder whose real path,
every component of it, is neither hidden nor outside: a link's name is not
enough. Malformed requests get a clean answer, never a traceback."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from _http import request, serving
from storycast.publish.serve import parse_range, serves_base_url

SECRET = b"secret"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A served folder full of links that lead to hidden things."""
    root = tmp_path_factory.mktemp("hostile-serve")
    folder = root / "o"
    (folder / "book" / ".parts").mkdir(parents=True)
    (folder / ".clips" / "ab").mkdir(parents=True)
    (folder / ".secret").write_bytes(SECRET)
    (folder / ".clips" / "ab" / "clip.wav").write_bytes(SECRET)
    (folder / "book" / ".parts" / "part.mp3").write_bytes(SECRET)
    (folder / "book" / "01 - One.mp3").write_bytes(b"episode")
    (root / "outside.txt").write_bytes(SECRET)
    links = {
        "v.txt": ".secret",  # the issue's own case
        "c": ".clips",  # a folder link to a hidden folder
        "chain.txt": "v.txt",  # a link to a link to a hidden file
        "book/p": ".parts",  # a hidden folder deeper down
        "book/up.mp3": "../.secret",
        "deep": "book/.parts",
        "out.txt": "../outside.txt",
        "loop": "loop",
        "dangling.mp3": ".gone",
    }
    for name, target in links.items():
        (folder / name).symlink_to(target)
    (folder / "ok.mp3").symlink_to("book/01 - One.mp3")
    with serving(folder) as port:
        yield port


@pytest.mark.parametrize(
    "path",
    [
        "/v.txt",
        "/chain.txt",
        "/c/ab/clip.wav",
        "/book/p/part.mp3",
        "/book/up.mp3",
        "/deep/part.mp3",
        "/out.txt",
        "/loop",
        "/dangling.mp3",
        "/%2Esecret",
        "/c%2Fab%2Fclip.wav",
    ],
)
def test_a_link_to_a_hidden_or_outside_file_is_not_served(site, path):
    response, body = request(site, path)
    assert response.status == 404 and SECRET not in body


def test_a_link_to_a_visible_file_inside_is_still_served(site):
    response, body = request(site, "/ok.mp3")
    assert response.status == 200 and body == b"episode"


@pytest.mark.parametrize(
    "header",
    [
        "bytes=" + "9" * 5000 + "-",
        "bytes=0-" + "9" * 5000,
        "bytes=-" + "9" * 5000,
        "bytes=" + "1" * 19 + "-" + "2" * 19,
        "bytes=" + "0" * 5000 + "-1",
    ],
)
def test_absurd_range_numbers_get_a_clean_answer(site, header):
    response, body = request(site, "/ok.mp3", {"Range": header})
    assert response.status in (200, 206, 400, 416)
    assert SECRET not in body
    response, body = request(site, "/ok.mp3")  # and the server is still there
    assert response.status == 200


def test_parse_range_never_raises_on_long_numbers():
    assert parse_range("bytes=" + "9" * 5000 + "-", 100) == "unsatisfiable"
    assert parse_range("bytes=0-" + "9" * 5000, 100) == (0, 99)
    assert parse_range("bytes=-" + "9" * 5000, 100) == (0, 99)


def test_a_failed_request_is_one_log_line(site, capfd):
    with socket.create_connection(("127.0.0.1", site), timeout=10) as raw:
        raw.sendall(b"GET /ok.mp3 HTTP/1.1\r\nRange: bytes=" + b"7" * 70000 + b"-\r\n\r\n")
        raw.recv(1024)
    assert "Traceback" not in capfd.readouterr().err


@pytest.mark.parametrize(
    "base, host, port, same",
    [
        ("http://127.0.0.1:8000/", "127.0.0.1", 8000, True),
        ("http://localhost:8000/", "127.0.0.1", 8000, True),
        ("http://192.168.1.20:8000/", "0.0.0.0", 8000, True),
        ("http://192.168.1.20:8000/", "0.0.0.0", 8001, False),
        ("http://example.com/", "127.0.0.1", 80, False),
        ("https://example.com/", "0.0.0.0", 443, True),
        ("http://h:notaport/", "0.0.0.0", 8000, False),
    ],
)
def test_feed_address_matches_the_server(base, host, port, same):
    assert serves_base_url(base, host, port) is same


def test_serve_warns_when_the_feed_points_elsewhere(tmp_path: Path):
    (tmp_path / "feed.xml").write_text(
        "<rss><channel><title>t</title><link>http://192.0.2.7:9999/</link></channel></rss>"
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "storycast", "serve", str(tmp_path), "--port", "0", "-q"],
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        lines = [process.stderr.readline(), process.stderr.readline()]
    finally:
        process.terminate()
        process.wait(timeout=10)
    assert re.search(r"warning: feed\.xml points .*192\.0\.2\.7:9999", lines[1]), lines
