"""What the studio tests share: a short story with uncertain lines, its
cast, and the studio serving it on a free port of 127.0.0.1 in a thread."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from _http import request
from storycast.render import RenderOptions
from storycast.studio.server import make_studio_server
from storycast.studio.session import Studio, open_studio

STORY = """The Visit

"You are late," said Anna.

Someone shrugged. "The bus was slow."

"Again?"

"Again. And then it stopped."

Anna laughed. "Sit down, then."
"""
"""Nothing in the text says who the unnamed "someone" is, so attribution
leaves that voice's two lines uncertain, for review."""
CAST = """narrator: narrator
characters:
  Anna:
    gender: female
  Tom:
    gender: male
"""
UNCERTAIN = "The bus was slow."


@dataclass
class Running:
    studio: Studio
    port: int
    url: str

    @property
    def token(self) -> str:
        return parse_qs(urlsplit(self.url).query)["token"][0]

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def call(
        self,
        path: str,
        data: object = None,
        headers: dict[str, str] | None = None,
        token: bool = True,
        raw: bytes | None = None,
    ):
        """(status, JSON answer or bytes, response) of one call; POST when
        `data` or `raw` is given."""
        sent = {"X-Storycast-Token": self.token} if token else {}
        sent.update(headers or {})
        body = raw if raw is not None else None if data is None else json.dumps(data).encode()
        method = "GET" if body is None else "POST"
        response, answer = request(self.port, path, sent, method, body)
        if response.getheader("Content-Type", "").startswith("application/json"):
            return response.status, json.loads(answer), response
        return response.status, answer, response


def write_story(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    story = folder / "visit.txt"
    story.write_text(STORY, encoding="utf-8")
    (folder / "visit.cast.yaml").write_text(CAST, encoding="utf-8")
    return story


@contextmanager
def studio_for(story: Path, options: RenderOptions) -> Iterator[Running]:
    studio = open_studio(story, None, options)
    server, url = make_studio_server(studio, "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    try:
        yield Running(studio, server.server_address[1], url)
    finally:
        server.shutdown()
        server.server_close()


def find(script: dict, text: str) -> dict:
    """The segment of api/script's answer whose text is `text`."""
    for chapter in script["chapters"]:
        for segment in chapter["segments"]:
            if segment["text"] == text:
                return segment
    raise AssertionError(f"no segment {text!r}")
