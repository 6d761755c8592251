"""The command line: the only place errors become messages and exit codes.

Exit status: 0 done, 1 the input was wrong (the message says what and
where), 2 the command line was wrong (typer's usage errors), 130 interrupted.
Commands import their stages when they run, so `storycast --help` is instant."""

from __future__ import annotations

from storycast.cli import book, publish, script, voices
from storycast.cli.app import app

app.command()(book.render)
app.command()(book.check)
app.command()(script.tag)
app.command("cast")(script.draft_cast)
app.command()(voices.voices)
app.command()(voices.say)
app.command()(publish.feed)
app.command()(publish.serve)


def main() -> None:
    app(prog_name="storycast")
