"""One error root; only cli.py turns these into messages and exit codes."""

from __future__ import annotations

import logging

_LOG = logging.getLogger("storycast")


def warn(message: str) -> None:
    """Tell the user about something storycast worked around (the CLI prints
    it as one line; a library user sees it through logging)."""
    _LOG.warning(message)


class StorycastError(Exception):
    """A problem the user can fix: the message says what and where."""


class InputError(StorycastError):
    """A story, script, cast or voice file that cannot be used as given."""


class ConfigError(InputError):
    """A YAML file (cast, voice profile, script) with a wrong field or value."""

    def __init__(
        self, path: object, message: str, line: int | None = None, field: str | None = None
    ):
        where = str(path)
        if line is not None:
            where += f":{line}"
        if field:
            where += f": {field}"
        super().__init__(f"{where}: {message}")


class EngineError(StorycastError):
    """A TTS engine that is missing, misconfigured or failed on a line."""


class ToolError(StorycastError):
    """An external program (ffmpeg, ffprobe) that is missing or failed.

    Carries the argv and the program's stderr so the failure can be reproduced.
    """

    def __init__(self, message: str, argv: list[str] | None = None, stderr: str = ""):
        self.argv = argv or []
        self.stderr = stderr
        detail = stderr.strip().splitlines()[-1] if stderr.strip() else ""
        super().__init__(f"{message}: {detail}" if detail else message)
