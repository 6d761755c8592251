"""`storycast voices`: one command with its own options and TEXT (list,
preview, a story's casting, the catalog), which also has subcommands
(`voices check`, `voices install`).

click cannot give a group a positional argument of its own (it would take the
subcommand's name), so the group hands any command line that does not start
with one of its subcommands to the listing command, whole."""

from __future__ import annotations

from typing import Any

import typer
from typer.core import TyperGroup
from typer.main import get_command

from storycast.cli import voice_install, voicecheck, voices
from storycast.cli.app import Command


class VoicesGroup(TyperGroup):
    def make_context(
        self, info_name: str | None, args: list[str], parent: Any = None, **extra: Any
    ) -> Any:
        if args and args[0] in self.commands:
            return super().make_context(info_name, args, parent=parent, **extra)
        return _listing().make_context(info_name, args, parent=parent, **extra)


def _listing() -> Any:
    listing = typer.Typer(
        rich_markup_mode=None, pretty_exceptions_enable=False, add_completion=False
    )
    listing.command(cls=Command)(voices.voices)
    return get_command(listing)


voices_app = typer.Typer(
    cls=VoicesGroup,
    help="List, check and install voices.",
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)
voices_app.command("check", cls=Command)(voicecheck.check)
voices_app.command("install", cls=Command)(voice_install.install)
