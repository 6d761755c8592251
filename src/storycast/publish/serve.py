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
import sys
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
_MAX_DIGITS = 18
"""Byte positions past 10**18 lie beyond any file (and int() refuses 4,300 digits)."""


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

    def _answer(self, send_body: bool, request_path: str | None = None) -> None:
        """The file the request names (or `request_path`, relative to the root)."""
        path = resolve_inside(self.root, self.path if request_path is None else request_path)
        try:
            stat = path.stat() if path else None
        except OSError:  # gone since it was resolved
            stat = None
        if path is None or stat is None:
            self.send_error(HTTPStatus.NOT_FOUND, "No such file")
            return
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
    symbolic link is followed; None for anything else. The rules (no hidden
    file or folder, nothing outside) hold for the name asked for and again for
    the real path it resolves to, every component of it: a link named
    `v.txt` pointing at `.secret` is as hidden as `.secret`."""
    try:
        relative = unquote(urlsplit(request_path).path, errors="strict").lstrip("/")
    except (UnicodeDecodeError, ValueError):
        return None
    if relative == "":
        relative = "feed.xml"
    parts = relative.split("/")
    if not _allowed(parts):
        return None
    try:
        path = (root / Path(*parts)).resolve(strict=True)
    except (OSError, RuntimeError, ValueError):
        return None
    if not path.is_relative_to(root) or not _allowed(path.relative_to(root).parts):
        return None
    return path if path.is_file() else None


def _allowed(parts: list[str] | tuple[str, ...]) -> bool:
    return bool(parts) and not any(
        part in ("", ".", "..") or part.startswith(".") or "\\" in part or "\x00" in part
        for part in parts
    )


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
    if len(first) > _MAX_DIGITS:
        return "unsatisfiable"
    if len(last) > _MAX_DIGITS:  # a suffix or an end past any file: to the end
        last = str(size)
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

    def handle_error(self, request, client_address) -> None:  # noqa: ANN001
        """One line for a request that failed, never a traceback."""
        error = sys.exc_info()[1]
        sys.stderr.write(f"storycast: request from {client_address[0]} failed: {error!r}\n")


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


_FEED_LINK = re.compile(rb"<link>([^<]{1,2000})</link>")
_LOOPBACK = {"localhost", "127.0.0.1", "::1"}


def feed_base_url(feed: Path) -> str | None:
    """The base URL a feed.xml was written for (its channel's link)."""
    try:
        with open(feed, "rb") as file:
            head = file.read(65536)
    except OSError:
        return None
    match = _FEED_LINK.search(head)
    return match.group(1).decode("utf-8", "replace").strip() if match else None


def serves_base_url(base_url: str, host: str, port: int) -> bool:
    """Whether a feed made for `base_url` points at this server (host, port)."""
    try:
        parts = urlsplit(base_url)
        wanted_port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        return False
    if wanted_port != port:
        return False
    if host in ("0.0.0.0", "::", ""):
        return True
    names = {(parts.hostname or "").lower(), host.lower()}
    return len(names) == 1 or names <= _LOOPBACK
