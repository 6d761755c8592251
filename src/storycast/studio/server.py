"""server: the studio's HTTP API, its page, and the rendered book's files.

    GET  /                       the page (and /static/NAME: its script and styles)
    GET  api/script              the script as JSON: `tag --json` + ids, version
    POST api/segments/{id}       {"speaker": NAME, "version"?}: a line's speaker
    POST api/characters/{name}   {"voice": PROFILE, "version"?}: a character's voice
    POST api/undo                {"version"?}: the last edit undone
    GET  api/clip/{id}           the line's audio (WAV); ?voice=PROFILE to preview
    POST api/render              start the incremental render; GET: its progress
    GET  book/PATH               the rendered book's files, with byte ranges

The page and its static files hold nothing of the book, so they need no
token; everything under api/ and book/ does (see handler.py)."""

from __future__ import annotations

import secrets
from functools import partial
from http import HTTPStatus
from http.server import ThreadingHTTPServer
from importlib.resources import files
from urllib.parse import unquote

from storycast.errors import InputError, StorycastError
from storycast.publish.serve import _Server
from storycast.studio.handler import JsonHandler
from storycast.studio.session import Studio
from storycast.studio.state import NotFound, StudioError

STATIC = {
    "index.html": "text/html; charset=utf-8",
    "studio.js": "text/javascript; charset=utf-8",
    "studio.css": "text/css; charset=utf-8",
}
"""The page's files (package data in storycast/data/studio): only these are served."""


class StudioHandler(JsonHandler):
    def __init__(self, *args, studio: Studio, **kwargs):  # noqa: ANN002, ANN003
        self.studio = studio
        super().__init__(*args, root=studio.book.path.resolve(), **kwargs)

    def do_GET(self) -> None:  # noqa: N802 (the name http.server dispatches to)
        self._dispatch()

    def do_HEAD(self) -> None:  # noqa: N802
        self._dispatch()

    def do_POST(self) -> None:  # noqa: N802
        self._dispatch()

    def _dispatch(self) -> None:
        route = self.route
        self.body_read = False  # one handler serves every request of a connection
        try:
            if route in ("/", "/index.html") or route.startswith("/static/"):
                self._static(route.removeprefix("/static/").lstrip("/") or "index.html")
                return
            self.authorize()
            if route.startswith("/book/"):
                self._book(route.removeprefix("/book"))
            elif route.startswith("/api/"):
                self._api(route.removeprefix("/api/").split("/"))
            else:
                raise NotFound(f"no such page: {route[:100]}")
        except StudioError as error:
            self.send_json({"error": str(error)}, error.status)
        except StorycastError as error:  # a script or profile that cannot be used
            self.send_json({"error": " ".join(str(error).split())}, HTTPStatus.CONFLICT)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        except Exception as error:  # noqa: BLE001 (one request fails; the server stays up)
            self.failed(error)

    def _static(self, name: str) -> None:
        if name not in STATIC or self.command == "POST":
            raise NotFound(f"no such page: {name[:100]}")
        body = (files("storycast") / "data" / "studio" / name).read_bytes()
        self.send_bytes(body, STATIC[name])

    def _book(self, rest: str) -> None:
        if self.command == "POST":
            raise StudioError("the book's files are read-only")
        if not self.studio.book.path.is_dir():
            raise NotFound("the book has not been rendered yet: render it first")
        self._answer(send_body=self.command == "GET", request_path=rest)

    def _api(self, parts: list[str]) -> None:
        name, rest, post = parts[0], [unquote(p) for p in parts[1:]], self.command == "POST"
        if (name, len(rest), post) == ("script", 0, False):
            state = self.studio.state
            with state.lock:
                state.refresh()
                data = state.data()
            self.send_json(data, headers={"ETag": f'"{data["version"]}"'})
        elif (name, len(rest), post) == ("segments", 1, True):
            body = self.json_body()
            changed = self.studio.state.set_speaker(
                _segment_id(rest[0]), body.get("speaker"), self.version(body)
            )
            self.send_json(changed)
        elif (name, len(rest), post) == ("characters", 1, True):
            body = self.json_body()
            self.send_json(
                self.studio.state.set_voice(rest[0], body.get("voice"), self.version(body))
            )
        elif (name, len(rest), post) == ("undo", 0, True):
            self.send_json(self.studio.state.undo_last(self.version(self.json_body())))
        elif (name, len(rest), post) == ("clip", 1, False):
            wav = self.studio.clip(_segment_id(rest[0]), self.query("voice"))
            self.send_bytes(wav, "audio/wav")
        elif (name, len(rest)) == ("render", 0):
            self._render(post)
        else:
            raise NotFound(f"no such call: {self.command} api/{'/'.join(parts)[:100]}")

    def _render(self, start: bool) -> None:
        job = self.studio.job
        if start:
            self.json_body()  # read (and check) whatever was sent
            started = self.studio.start_render()
            self.send_json(job.status(), HTTPStatus.ACCEPTED if started else HTTPStatus.CONFLICT)
        else:
            self.send_json(job.status())


def _segment_id(text: str) -> int:
    if not text.isdigit() or len(text) > 9:
        raise NotFound(f"no segment {text[:40]!r}: ids are whole numbers")
    return int(text)


def make_studio_server(
    studio: Studio, host: str = "127.0.0.1", port: int = 0, quiet: bool = True
) -> tuple[ThreadingHTTPServer, str]:
    """The server (not yet serving) and the page's URL with a fresh token."""
    token = secrets.token_urlsafe(24)
    session: type[StudioHandler] = type("SessionHandler", (StudioHandler,), {"token": token})
    try:
        server = _Server((host, port), partial(session, studio=studio, quiet=quiet))
    except OSError as error:
        raise InputError(
            f"cannot listen on {host}:{port} ({error.strerror}); try another --port"
        ) from None
    bound = server.server_address[1]
    shown = {"": "127.0.0.1", "0.0.0.0": "127.0.0.1", "::": "[::1]"}.get(host, host)
    if ":" in shown and not shown.startswith("["):
        shown = f"[{shown}]"  # an IPv6 address in a URL
    names = {shown, "127.0.0.1", "localhost", "[::1]"}
    session.origins = frozenset(f"http://{name}:{bound}" for name in names)
    return server, f"http://{shown}:{bound}/?token={token}"
