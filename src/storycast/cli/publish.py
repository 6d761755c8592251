"""feed and serve: rendered books to podcast apps."""

from __future__ import annotations

from pathlib import Path
from typing import get_args

import typer

from storycast.cli.app import choices, user_errors
from storycast.model import EpisodesPer


def feed(
    output: Path = typer.Argument(
        ..., metavar="OUTPUT", help="The output folder holding rendered stories.", file_okay=False
    ),
    base_url: str = typer.Option(
        ...,
        "--base-url",
        metavar="URL",
        help="The address OUTPUT is served at, "
        "e.g. http://192.168.1.20:8000/ (see `storycast serve`).",
    ),
    per: EpisodesPer = typer.Option(
        "auto",
        "--per",
        metavar=choices(get_args(EpisodesPer)),
        help="One episode per 'chapter' or per 'story'; "
        "'auto': per chapter when a story has several.",
    ),
    title: str | None = typer.Option(None, "--title", metavar="TEXT", help="The podcast's title."),
    author: str | None = typer.Option(
        None, "--author", metavar="NAME", help="The podcast's author."
    ),
    description: str | None = typer.Option(
        None,
        "--description",
        metavar="TEXT",
        help="The podcast's description (default: the story's opening).",
    ),
    language: str | None = typer.Option(
        None,
        "--language",
        metavar="CODE",
        help="Language code, e.g. en, en-GB (default: the stories' own).",
    ),
    explicit: bool = typer.Option(False, "--explicit", help="Mark the podcast explicit."),
) -> None:
    """Write OUTPUT/feed.xml: a podcast feed of every story rendered into OUTPUT."""
    from storycast.publish.feed import FeedOptions, write_feed

    options = FeedOptions(
        base_url=base_url,
        per=per,
        title=title,
        author=author,
        description=description,
        language=language,
        explicit=explicit,
    )
    with user_errors():
        path = write_feed(output, options)
        typer.echo(f"wrote {path}")
        typer.echo(
            f"subscribe to {options.base_url.rstrip('/')}/{path.name} "
            f"(serve it with: storycast serve {output})"
        )


def serve(
    output: Path = typer.Argument(
        ..., metavar="OUTPUT", help="The folder to serve (with feed.xml).", file_okay=False
    ),
    port: int = typer.Option(
        8000,
        "--port",
        "-p",
        min=0,
        max=65535,
        metavar="PORT",
        help="The port to listen on (0: any free one).",
    ),
    host: str = typer.Option(
        "127.0.0.1",
        "--host",
        metavar="HOST",
        help="0.0.0.0 to let phones on the same network in; the default serves this computer only.",
    ),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Do not log each request."),
) -> None:
    """Serve OUTPUT over HTTP (with seeking) so podcast apps can subscribe."""
    from storycast.publish.feed import FEED_FILE
    from storycast.publish.serve import (
        feed_base_url,
        lan_address,
        make_server,
        serves_base_url,
    )

    with user_errors():
        server = make_server(output, host, port, quiet)
    bound_port = server.server_address[1]
    shown = (lan_address() or host) if host in ("0.0.0.0", "::", "") else host
    address = f"http://{shown}:{bound_port}/"
    typer.echo(
        f"serving {output}/ at {address} (feed: {address}{FEED_FILE}); Ctrl-C stops", err=True
    )
    if not (output / FEED_FILE).is_file():
        typer.echo(f"no {FEED_FILE} yet: storycast feed {output} --base-url {address}", err=True)
    else:
        written_for = feed_base_url(output / FEED_FILE)
        if written_for and not serves_base_url(written_for, host, bound_port):
            typer.echo(
                f"warning: {FEED_FILE} points podcast apps at {written_for}, not at this "
                f"server; rebuild it: storycast feed {output} --base-url {address}",
                err=True,
            )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
