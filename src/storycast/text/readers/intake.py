"""Where a story's bytes enter: the one reading function every reader uses.

The size limit counts the bytes actually read, never a file's stated size,
so a pipe, a device (/dev/zero), a file that grows while it is read, or a
folder of chapters that add up are all stopped at the limit, having read at
most one byte more. Inside a story folder only regular files whose real
path is in the folder are read; anything else is skipped with a warning."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import BinaryIO

from storycast.errors import InputError, warn

MAX_BYTES = 20_000_000
"""The most one story may hold, in bytes read (about 300 hours of speech)."""
_CHUNK = 1 << 20


class TooBig(InputError):
    """A story, or a part of one, over its size limit."""


def too_big(source: str, limit: int, what: str = "") -> TooBig:
    """The refusal of a story (or of a part of one: `what`) over the limit."""
    part = f" ({what})" if what else ""
    return TooBig(
        f"{source}{part}: more than {limit / 1e6:g} MB, which is more than storycast "
        "takes in one story (some 300 hours of audio); split it into parts"
    )


def read_limited(path: Path, source: str | None = None, limit: int | None = None) -> bytes:
    """The bytes of a story file, a pipe or a device, refused past `limit`
    (MAX_BYTES unless given) after reading at most limit + 1 bytes."""
    source = source or str(path)
    limit = MAX_BYTES if limit is None else limit
    try:
        with open(path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if stat.S_ISREG(os.fstat(handle.fileno()).st_mode) and size > limit:
                raise too_big(source, limit)  # no need to read what is sure to be too much
            return read_stream(handle, source, limit)
    except OSError as error:
        raise unreadable(source, error) from None


def read_stream(handle: BinaryIO, source: str, limit: int) -> bytes:
    """Everything `handle` holds, in chunks, or InputError once past `limit`."""
    chunks: list[bytes] = []
    total = 0
    while True:
        chunk = handle.read(min(_CHUNK, limit + 1 - total))
        if not chunk:
            return b"".join(chunks)
        total += len(chunk)
        if total > limit:
            raise too_big(source, limit)
        chunks.append(chunk)


def unreadable(source: str, error: OSError) -> InputError:
    """One line for a file that could not be opened or read."""
    if isinstance(error, IsADirectoryError):
        return InputError(f"{source}: is a folder, not a story file")
    if isinstance(error, FileNotFoundError):
        return InputError(f"{source}: no such file")
    return InputError(f"{source}: cannot read: {error.strerror or error}")


def folder_files(folder: Path, wanted: tuple[str, ...]) -> list[Path]:
    """The chapter files of a story folder (suffix in `wanted`, not hidden)
    that are safe to read: regular files whose real path is in the folder.
    Each other entry that looks like a chapter is skipped with a warning."""
    try:
        real_folder = folder.resolve(strict=True)
        entries = sorted(folder.iterdir())
    except OSError as error:
        raise unreadable(str(folder), error) from None
    found = []
    for entry in entries:
        if entry.name.startswith(".") or entry.suffix.lower() not in wanted:
            continue
        why = _why_not_readable(entry, real_folder)
        if why:
            warn(f"{entry}: {why}; skipped")
        else:
            found.append(entry)
    return found


def _why_not_readable(entry: Path, real_folder: Path) -> str | None:
    try:
        real = entry.resolve(strict=True)
    except (OSError, RuntimeError):  # a dangling link, or a loop of links
        return "a link to nothing that can be read"
    if real_folder not in real.parents:
        return "a link to something outside the story folder"
    try:
        mode = real.stat().st_mode
    except OSError as error:
        return f"cannot read it ({error.strerror})"
    if stat.S_ISDIR(mode):
        return "a folder, not a chapter file"
    if not stat.S_ISREG(mode):
        return "not a regular file (a pipe, socket or device)"
    return None


def read_chapter(path: Path, limit: int) -> bytes:
    """A chapter file of a story folder: only ever a regular file (a pipe put
    in its place after the folder was listed is refused, never waited on)."""
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0)
    try:
        descriptor = os.open(path.resolve(strict=True), flags)
    except OSError as error:
        raise unreadable(str(path), error) from None
    with os.fdopen(descriptor, "rb") as handle:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise InputError(f"{path}: not a regular file; a story folder holds only files")
        try:
            return read_stream(handle, str(path), limit)
        except OSError as error:
            raise unreadable(str(path), error) from None
