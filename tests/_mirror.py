"""A Piper voice catalog mirror on 127.0.0.1 for the install tests: the
bundled joe voice laid out as the public catalog lays out its voices, with
a voices.json; and a two-speaker voice whose config is joe's made to claim
two speakers. The server honours Range requests, can cut a connection part
way through a file, and records the Range headers it was sent."""

from __future__ import annotations

import hashlib
import http.server
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from storycast.engines.piper import bundled_model

JOE = "en_US-joe-medium"
PAIR = "en_US-pair-medium"
"""Two speakers (ann, bob) on joe's model."""


@dataclass
class Mirror:
    files: dict[str, bytes]
    """URL path (no leading slash) -> content."""
    cut_after: dict[str, int] = field(default_factory=dict)
    """URL path -> bytes sent before the connection is dropped (once)."""
    ranges: list[str] = field(default_factory=list)
    port: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"


def catalog_files() -> dict[str, bytes]:
    """voices.json and the voice files, in the catalog's layout."""
    model = bundled_model().read_bytes()
    config = json.loads(Path(f"{bundled_model()}.json").read_text())
    pair_config = {**config, "num_speakers": 2, "speaker_id_map": {"ann": 0, "bob": 1}}
    files: dict[str, bytes] = {}
    catalog = {}
    for key, voice_config, speakers in ((JOE, config, 1), (PAIR, pair_config, 2)):
        folder = f"en/en_US/{key.split('-')[1]}/medium"
        entry = {
            f"{folder}/{key}.onnx": model,
            f"{folder}/{key}.onnx.json": json.dumps(voice_config).encode(),
        }
        files.update(entry)
        catalog[key] = {
            "key": key,
            "name": key.split("-")[1],
            "language": {
                "code": "en_US",
                "family": "en",
                "region": "US",
                "name_english": "English",
            },
            "quality": "medium",
            "num_speakers": speakers,
            "speaker_id_map": voice_config.get("speaker_id_map", {}),
            "files": {
                path: {"size_bytes": len(data), "md5_digest": hashlib.md5(data).hexdigest()}
                for path, data in entry.items()
            },
            "aliases": [],
        }
    files["voices.json"] = json.dumps(catalog).encode()
    return files


@contextmanager
def serving(mirror: Mirror) -> Iterator[Mirror]:
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            path = self.path.lstrip("/").split("?")[0]
            if path not in mirror.files:
                self.send_error(404)
                return
            body = mirror.files[path]
            start = 0
            if "Range" in self.headers:
                mirror.ranges.append(self.headers["Range"])
                start = int(self.headers["Range"].removeprefix("bytes=").split("-")[0])
            self.send_response(206 if start else 200)
            if start:
                self.send_header("Content-Range", f"bytes {start}-{len(body) - 1}/{len(body)}")
            self.send_header("Content-Length", str(len(body) - start))
            self.end_headers()
            cut = mirror.cut_after.pop(path, None)
            self.wfile.write(body[start:cut])
            if cut is not None:
                self.close_connection = True

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    mirror.port = server.server_address[1]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield mirror
    finally:
        server.shutdown()
        server.server_close()
