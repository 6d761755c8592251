"""studio: the local web app to review, fix, re-render and listen."""

from __future__ import annotations

import os
import sys
import threading
import webbrowser
from pathlib import Path

import typer

from storycast.cli.app import (
    CastOption,
    VoicesOption,
    engine_option,
    jobs_option,
    output_folder_option,
    user_errors,
)


def studio(
    story: Path = typer.Argument(
        ...,
        metavar="STORY",
        help="A story (.txt, .md, .html, .epub, or a folder of chapter files) "
        "or a reviewed script (.yaml), which is edited in place.",
    ),
    cast: Path | None = CastOption,
    out: Path = output_folder_option(
        "Output folder; the book goes into DIR/TITLE/, and a story's script "
        "is DIR/TITLE/script.yaml."
    ),
    host: str = typer.Option(
        "127.0.0.1",
        "--host",
        metavar="HOST",
        help="The address to listen on; the default lets in this computer only.",
    ),
    port: int = typer.Option(
        0, "--port", "-p", min=0, max=65535, metavar="PORT", help="The port (0: any free one)."
    ),
    no_browser: bool = typer.Option(False, "--no-browser", help="Do not open a browser."),
    engine: str | None = engine_option(
        "Use this engine for every voice, as `render --engine` does."
    ),
    voices: list[Path] = VoicesOption,
    jobs: int = jobs_option(),
) -> None:
    """Review who speaks each line in the browser: hear it, fix it, re-render, listen.

    The first line printed is the page's URL, with this run's access token."""
    from storycast.render import RenderOptions
    from storycast.studio.server import make_studio_server
    from storycast.studio.session import open_studio

    options = RenderOptions(out=out, engine=engine, jobs=jobs, voices=voices)
    with user_errors():
        session = open_studio(story, cast, options)
        server, url = make_studio_server(session, host, port)
    print(url, flush=True)  # the first line on stdout, for people and for scripts
    typer.echo(
        f"storycast studio: editing {session.state.path}; the book goes to "
        f"{session.book.path}/; Ctrl-C stops",
        err=True,
    )
    if not no_browser:
        _open_browser(url)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        rendering = session.job.running
        typer.echo(
            "storycast studio: stopped"
            + ("; the render was cut short: finished clips are cached" if rendering else ""),
            err=True,
        )
        if rendering:
            _leave_now()
    finally:
        server.server_close()


def _leave_now() -> None:
    """Exit at once, status 130, without waiting for the render: at exit,
    Python would join its worker pool, which a Ctrl-C can leave waiting for
    ever. Nothing is lost: every file is written to a temporary name first,
    and the next render of the book clears what this one left."""
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(130)


def _open_browser(url: str) -> None:
    """A graphical browser, when there is a screen; else the URL is the way in
    (a text-mode browser would take over the terminal the server logs to)."""
    graphical = sys.platform in ("darwin", "win32") or any(
        os.environ.get(name) for name in ("DISPLAY", "WAYLAND_DISPLAY")
    )
    if graphical:
        threading.Thread(target=webbrowser.open, args=(url,), daemon=True).start()
    else:
        typer.echo("storycast studio: no display here: open the URL in a browser", err=True)
