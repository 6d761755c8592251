"""conditional: HTTP validators for served files (RFC 9110, section 13).

A strong ETag and Last-Modified for every file, so an app that has a file
asks "has it changed?" (If-None-Match, If-Modified-Since) and gets 304, and a
download resumed across a re-render (If-Range with the old validator) gets
the whole new file, never old bytes spliced to new ones. Books are written
to a temporary name and renamed, so a rewritten file always has a new inode
and modification time: the ETag is made of those and the size."""

from __future__ import annotations

import os
from dataclasses import dataclass
from email.message import Message
from email.utils import formatdate, parsedate_to_datetime


@dataclass(frozen=True)
class Validators:
    etag: str
    """Strong: quoted, no W/ prefix."""
    modified: int
    """Whole seconds since the epoch, as Last-Modified carries them."""

    @property
    def last_modified(self) -> str:
        return formatdate(self.modified, usegmt=True)


def validators(stat: os.stat_result) -> Validators:
    etag = f'"{stat.st_size:x}-{stat.st_mtime_ns:x}-{stat.st_ino:x}"'
    return Validators(etag, int(stat.st_mtime))


def not_modified(headers: Message, current: Validators) -> bool:
    """True when the client's copy is current: answer 304. If-None-Match
    decides when present (weak comparison); else If-Modified-Since."""
    if_none_match = headers.get("If-None-Match")
    if if_none_match is not None:
        tags = [tag.strip() for tag in if_none_match.split(",")]
        return "*" in tags or any(_opaque(tag) == _opaque(current.etag) for tag in tags)
    since = _seconds(headers.get("If-Modified-Since"))
    return since is not None and current.modified <= since


def range_allowed(headers: Message, current: Validators) -> bool:
    """Whether a Range header may be honoured: always without If-Range; with
    it, only when it names this very version of the file (a strong ETag, or
    exactly its Last-Modified), else the whole file is sent."""
    if_range = headers.get("If-Range")
    if if_range is None:
        return True
    if_range = if_range.strip()
    if if_range.startswith(('"', "W/")):
        return if_range == current.etag  # strong comparison: a weak tag never matches
    return _seconds(if_range) == current.modified


def _opaque(tag: str) -> str:
    return tag[2:] if tag.startswith("W/") else tag


def _seconds(date: str | None) -> int | None:
    if not date:
        return None
    try:
        return int(parsedate_to_datetime(date).timestamp())
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
