"""serve: OUTPUT/ over HTTP, so a podcast app on the same network can
subscribe to feed.xml and stream the episodes.

Range requests are answered (206 Partial Content), because players seek by
asking for a byte range. Only regular files inside the folder are served:
no directory listings, no hidden files, no way out through `..` or a
symbolic link. One thread per request, so a download does not block the app
refreshing the feed."""

from __future__ import annotations

import re
import socket
from functools import partial
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from storycast.errors import InputError
from storycast.publish.conditional import not_modified, range_allowed, validators
from storycast.publish.library import MIME_TYPES

CHUNK = 256 * 1024
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


class FolderHandler(BaseHTTPRequestHandler):
    """GET and HEAD for the files under `root`, with single byte ranges."""

    server_version = "storycast"
    protocol_version = "HTTP/1.1"  # keep-alive: players make many range requests

    def __init__(self, *args, root: Path, quiet: bool = False, **kwargs):  # noqa: ANN002, ANN003
        self.root = root
        self.quiet = quiet
        super().__init__(*args, **kwargs)

    def do_HEAD(self) -> None:  # noqa: N802 (the name http.server dispatches to)
        self._answer(send_body=False)

    def do_GET(self) -> None:  # noqa: N802
        self._answer(send_body=True)

    def _answer(self, send_body: bool) -> None:
        path = resolve_inside(self.root, self.path)
        if path is None:
            self.send_error(HTTPStatus.NOT_FOUND, "No such file")
            return
        stat = path.stat()
        size, current = stat.st_size, validators(stat)
        if not_modified(self.headers, current):
            self.send_response(HTTPStatus.NOT_MODIFIED)
            self.send_header("ETag", current.etag)
            self.send_header("Last-Modified", current.last_modified)
            self.end_headers()
            return
        asked = self.headers.get("Range") if range_allowed(self.headers, current) else None
        wanted = parse_range(asked, size)
        if wanted == "unsatisfiable":
            self.send_response(HTTPStatus.REQUESTED_RANGE_NOT_SATISFIABLE)
            self.send_header("Content-Range", f"bytes */{size}")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        start, end = wanted if wanted else (0, size - 1)
        self.send_response(HTTPStatus.PARTIAL_CONTENT if wanted else HTTPStatus.OK)
        self.send_header("Content-Type", content_type(path))
        self.send_header("Accept-Ranges", "bytes")
        self.send_header("Content-Length", str(max(0, end - start + 1)))
        if wanted:
            self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        self.send_header("ETag", current.etag)
        self.send_header("Last-Modified", current.last_modified)
        self.end_headers()
        if send_body:
            self._copy(path, start, end - start + 1)

    def _copy(self, path: Path, start: int, length: int) -> None:
        try:
            with open(path, "rb") as source:
                source.seek(start)
                while length > 0:
                    chunk = source.read(min(CHUNK, length))
                    if not chunk:
                        break
                    self.wfile.write(chunk)
                    length -= len(chunk)
        except (BrokenPipeError, ConnectionResetError):
            # The player stopped listening (it seeks by dropping the request).
            self.close_connection = True

    def log_message(self, format: str, *args) -> None:  # noqa: A002, ANN002
        if not self.quiet:
            super().log_message(format, *args)


def resolve_inside(root: Path, request_path: str) -> Path | None:
    """The regular file a request names, if it lies inside `root` once every
    symbolic link is followed; None for anything else."""
    try:
        relative = unquote(urlsplit(request_path).path, errors="strict").lstrip("/")
    except (UnicodeDecodeError, ValueError):
        return None
    if relative == "":
        relative = "feed.xml"
    parts = relative.split("/")
    if any(
        part in ("", ".", "..") or part.startswith(".") or "\\" in part or "\x00" in part
        for part in parts
    ):
        return None
    try:
        path = (root / Path(*parts)).resolve(strict=True)
    except (OSError, RuntimeError, ValueError):
        return None
    if not path.is_relative_to(root) or not path.is_file():
        return None
    return path


def parse_range(header: str | None, size: int):  # noqa: ANN201
    """(first, last) byte for a single `bytes=` range, None to send the whole
    file (no header, several ranges, or a unit we do not know), or
    "unsatisfiable"."""
    if not header:
        return None
    match = _RANGE.match(header.strip())
    if not match or match.group(1) == match.group(2) == "":
        return None
    first, last = match.group(1), match.group(2)
    if first == "":  # the last N bytes
        count = int(last)
        if count == 0 or size == 0:
            return "unsatisfiable"
        return max(0, size - count), size - 1
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    if start >= size or (last and int(last) < start):
        return "unsatisfiable"
    return start, end


def content_type(path: Path) -> str:
    mime = MIME_TYPES.get(path.suffix.lower(), "application/octet-stream")
    return (
        f"{mime}; charset=utf-8"
        if mime.startswith("text/") or path.suffix.lower() in (".xml", ".json", ".srt")
        else mime
    )


class _Server(ThreadingHTTPServer):
    # The default backlog of 5 refuses connections when a podcast app (or a
    # burst of seeks) opens many at once.
    request_queue_size = 128
    daemon_threads = True


def make_server(
    folder: Path, host: str = "127.0.0.1", port: int = 8000, quiet: bool = False
) -> ThreadingHTTPServer:
    if not folder.is_dir():
        raise InputError(f"{folder}: no such folder to serve")
    root = folder.resolve()
    handler = partial(FolderHandler, root=root, quiet=quiet)
    try:
        server = _Server((host, port), handler)
    except OSError as error:
        raise InputError(
            f"cannot listen on {host}:{port} ({error.strerror}); try another --port"
        ) from None
    return server


def lan_address() -> str | None:
    """This computer's address on the local network, as a phone would reach it
    (the source address of a route outward; no packet is sent)."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("192.0.2.1", 9))
            return probe.getsockname()[0]
    except OSError:
        return None
