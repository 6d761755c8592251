"""handler: what every studio request goes through before its route: the
token, the Origin, a bounded JSON body, and errors as JSON.

Every answer to an API or book request needs the session's token (the
`token` query parameter or the X-Storycast-Token header). A request whose
Origin is not the studio's own page is refused, so no other site open in the
browser can edit the script; no CORS header is ever sent, so none can read
an answer either. Every error, http.server's own included, is a JSON
object with an `error` message; the server stays up."""

from __future__ import annotations

import hmac
import json
import sys
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qs, urlsplit

from storycast.publish.serve import FolderHandler
from storycast.studio.state import StudioError

MAX_BODY = 64 * 1024
"""An edit is a few dozen bytes; nothing the API takes comes near this."""
TOKEN_HEADER = "X-Storycast-Token"


class Refused(StudioError):
    status = 403


class JsonHandler(FolderHandler):
    """FolderHandler (files with byte ranges) plus the API's plumbing."""

    token: str = ""
    body_read = False
    """Whether this request's body has been read (set per request)."""
    origins: frozenset[str] = frozenset()
    """The origins of the studio's own page (its host names and port)."""

    @property
    def route(self) -> str:
        return urlsplit(self.path).path

    def query(self, name: str) -> str | None:
        values = parse_qs(urlsplit(self.path).query).get(name)
        return values[0] if values else None

    def authorize(self) -> None:
        """Refuse a foreign Origin, then a missing or wrong token."""
        origin = self.headers.get("Origin")
        if origin is not None and origin not in self.origins:
            raise Refused(f"requests from {origin[:100]} are refused: open the studio's own URL")
        given = self.headers.get(TOKEN_HEADER) or self.query("token") or ""
        if not hmac.compare_digest(given.encode("utf-8", "replace"), self.token.encode()):
            raise Refused(f"a valid token is needed (the `token` parameter or {TOKEN_HEADER})")

    def json_body(self) -> dict[str, Any]:
        """The request's JSON object (an empty body is an empty object)."""
        if self.headers.get("Transfer-Encoding"):
            raise StudioError("send the body with a Content-Length, not chunked")
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            raise StudioError("Content-Length is not a number") from None
        if length < 0 or length > MAX_BODY:
            self.close_connection = True  # the body is not read: the connection cannot go on
            raise StudioError(f"the body must be at most {MAX_BODY} bytes")
        raw = self.rfile.read(length) if length else b""
        self.body_read = True
        if not raw.strip():
            return {}
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            raise StudioError("the body is not valid JSON") from None
        if not isinstance(data, dict):
            raise StudioError("the body must be a JSON object")
        return data

    def version(self, body: dict[str, Any]) -> object:
        """The version an edit is based on: the body's, else If-Match's, else None."""
        if "version" in body:
            return body["version"]
        match = self.headers.get("If-Match")
        return match.strip().strip('"') if match else None

    def send_json(self, data: object, status: int = 200, headers: dict[str, str] | None = None):  # noqa: ANN201
        body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        self.send_bytes(body, "application/json; charset=utf-8", status, headers)

    def send_bytes(
        self, body: bytes, mime: str, status: int = 200, headers: dict[str, str] | None = None
    ) -> None:
        if self.command == "POST" and not self.body_read:
            # A body left unread (a refused or unknown call) would be taken
            # for the next request on this connection: end it instead.
            self.close_connection = True
        self.send_response(status)
        self.send_header("Content-Type", mime)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """http.server's errors (a bad request line, an unknown method, a
        missing file) as JSON like the API's own."""
        self.close_connection = True
        try:
            phrase = HTTPStatus(code).phrase
        except ValueError:
            phrase = "Error"
        body = json.dumps({"error": message or phrase}).encode()
        self.send_response(code, phrase)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Connection", "close")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD" and code >= 200 and code not in (204, 304):
            self.wfile.write(body)

    def failed(self, error: Exception) -> None:
        """An error the route did not expect: logged in one line, answered 500."""
        sys.stderr.write(f"storycast studio: {self.command} {self.route[:200]}: {error!r:.300}\n")
        self.send_json({"error": f"the studio failed: {error!r:.200}"}, 500)
