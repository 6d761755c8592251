"""The feed's options from the command line, checked before any work: the base
URL every link starts with, and the language code. Text that would break the
feed's XML or point apps somewhere else is refused in one line."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from storycast.errors import InputError

_HOST = re.compile(r"^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.?)+$|^\[[0-9A-Fa-f:.]+\]$")
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")
_EXAMPLE = "like http://192.168.1.20:8000/"


def normalise_base_url(url: str) -> str:
    """The base URL with a trailing slash, or InputError: http(s), a host name
    or address (no spaces, no control characters), a port that is a number."""
    problem = _url_problem(url)
    if problem:
        raise InputError(
            f"--base-url {url!r}: {problem}; give the address OUTPUT/ is served at, {_EXAMPLE}"
        )
    return url if url.endswith("/") else url + "/"


def _url_problem(url: str) -> str | None:
    if not url.isprintable() or any(char.isspace() for char in url):
        return "it holds spaces or control characters"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError as error:
        return str(error)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return "not an http or https address"
    host = parts.netloc.rsplit("@", 1)[-1]
    host = host.rsplit(":", 1)[0] if not host.endswith("]") else host
    if not _HOST.match(host):
        return f"{host!r} is not a host name or address"
    return None


def check_language(language: str | None) -> str | None:
    """A language code such as en, en-GB or pt-BR (or none given), or InputError."""
    if language is not None and not is_language(language):
        raise InputError(f"--language {language!r}: give a language code like en, en-GB or fr")
    return language


def is_language(code: str) -> bool:
    return bool(_LANGUAGE.match(code))


def check_text_option(name: str, value: str | None) -> None:
    """A title, author or description: no lone surrogates (bytes the terminal
    could not decode), which no XML file can hold."""
    if value is not None and re.search("[\ud800-\udfff]", value):
        raise InputError(f"--{name} {value!r}: not valid text (undecodable bytes)")
