"""The command line: the only place errors become messages and exit codes.

Exit status: 0 done, 1 the input was wrong (the message says what and
where), 2 the command line was wrong (typer's usage errors), 130 interrupted.
Commands import their stages when they run, so `storycast --help` is instant."""

from __future__ import annotations

from storycast.cli import book, library, publish, script, studio, voices
from storycast.cli.app import Command, app
from storycast.cli.voices_group import voices_app

app.command(cls=Command)(book.render)
app.command(cls=Command)(book.check)
app.command(cls=Command)(library.library)
app.command(cls=Command)(script.tag)
app.command("cast", cls=Command)(script.draft_cast)
app.add_typer(voices_app, name="voices")
app.command(cls=Command)(voices.say)
app.command(cls=Command)(publish.feed)
app.command(cls=Command)(publish.serve)
app.command(cls=Command)(studio.studio)


def main() -> None:
    app(prog_name="storycast")
