"""`storycast serve` under a burst: hundreds of concurrent requests on
127.0.0.1, mixing whole downloads, seeks, HEADs and attempts to escape the
folder, and every answer is checked."""

from __future__ import annotations

import http.client
import os
import random
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

REQUESTS = 600
CLIENTS = 64
ESCAPES = [
    "/../secret.txt",
    "/..%2fsecret.txt",
    "/%2e%2e/secret.txt",
    "/story/../../secret.txt",
    "/escape.txt",
    "/.hidden",
    "/story/",
    "//etc/passwd",
    "/%00",
    "/story/%2e%2e%2f%2e%2e%2fsecret.txt",
]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    root = tmp_path_factory.mktemp("load")
    (root / "secret.txt").write_text("not for phones")
    folder = root / "output"
    (folder / "story").mkdir(parents=True)
    episode = os.urandom(200_000)
    (folder / "story" / "01 - One.mp3").write_bytes(episode)
    (folder / ".hidden").write_text("private")
    (folder / "escape.txt").symlink_to(root / "secret.txt")
    process = subprocess.Popen(
        [sys.executable, "-m", "storycast", "serve", str(folder), "--port", "0", "--quiet"],
        stderr=subprocess.PIPE,
        text=True,
    )
    port = int(re.search(r"127\.0\.0\.1:(\d+)/", process.stderr.readline()).group(1))
    yield port, episode, process
    process.terminate()
    process.wait(timeout=10)


def one_request(port: int, episode: bytes, plan: tuple[str, int, int]) -> str | None:
    """Make one request; return a description of what was wrong, or None."""
    kind, start, length = plan
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        if kind == "escape":
            connection.request("GET", ESCAPES[start % len(ESCAPES)])
            response = connection.getresponse()
            body = response.read()
            return (
                None
                if response.status in (400, 403, 404) and b"not for phones" not in body
                else f"escape {ESCAPES[start % len(ESCAPES)]} -> {response.status}"
            )
        headers = {"Range": f"bytes={start}-{start + length - 1}"} if kind == "range" else {}
        connection.request(
            "HEAD" if kind == "head" else "GET", "/story/01%20-%20One.mp3", headers=headers
        )
        response = connection.getresponse()
        body = response.read()
        if kind == "range":
            ok = response.status == 206 and body == episode[start : start + length]
        elif kind == "head":
            ok = (
                response.status == 200
                and body == b""
                and int(response.getheader("Content-Length")) == len(episode)
            )
        else:
            ok = response.status == 200 and body == episode
        return None if ok else f"{kind} {start}+{length} -> {response.status}"
    finally:
        connection.close()


def test_hundreds_of_concurrent_requests_all_answered_right(server):
    port, episode, process = server
    chooser = random.Random(5)
    plans = [
        (
            chooser.choice(["whole", "range", "range", "head", "escape"]),
            chooser.randrange(len(episode) - 1000),
            chooser.randrange(1, 1000),
        )
        for _ in range(REQUESTS)
    ]
    with ThreadPoolExecutor(max_workers=CLIENTS) as clients:
        problems = [
            p for p in clients.map(lambda plan: one_request(port, episode, plan), plans) if p
        ]
    assert problems == []
    assert process.poll() is None  # still serving
    assert one_request(port, episode, ("whole", 0, 0)) is None
