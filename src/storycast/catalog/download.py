"""download: one file from a catalog or mirror into a folder, safely.

The file grows as FINAL.part; a .part left by a cut connection is resumed
with an HTTP Range request (a server that ignores it sends the whole file,
which is then written from the start). Only when its size and MD5 sum match
the catalog's is it renamed to FINAL, so a voice file is never half there.
Every failure is one CatalogError naming the URL and what went wrong."""

from __future__ import annotations

import errno
import hashlib
import http.client
import os
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote, urljoin

from storycast.catalog.index import CatalogError, CatalogFile

CHUNK = 1 << 16
TIMEOUT = 30
"""Seconds without a byte from the server before giving up."""
PARTIAL = ".part"


def url_for(root: str, path: str) -> str:
    """A catalog path's URL under a root (a mirror's or the catalog's own)."""
    return urljoin(root if root.endswith("/") else f"{root}/", quote(path))


def fetch_bytes(url: str, limit: int) -> bytes:
    """A small file (the catalog's index), whole, at most `limit` bytes."""
    body = bytearray()
    with _opened(url, {}) as response:
        while len(body) <= limit and (chunk := _read(response, url)):
            body += chunk
    if len(body) > limit:
        raise CatalogError(f"{url}: larger than {limit // 1_000_000} MB; not a voice catalog")
    return bytes(body)


def download(
    url: str, final: Path, expected: CatalogFile, advance: Callable[[int], None] = lambda n: None
) -> Path:
    """`url` into `final`, checked against `expected`'s size and MD5 sum;
    `advance(n)` as n more bytes arrive (bytes resumed count at once)."""
    part = final.with_name(final.name + PARTIAL)
    have = part.stat().st_size if part.is_file() else 0
    if have > expected.size:  # not the beginning of this file
        have = 0
    if have:
        advance(have)
    if have < expected.size:
        have = _receive(url, part, have, advance)
    if have < expected.size:  # the server stopped early: keep what came, to resume
        raise CatalogError(
            f"{url}: the connection was cut after {have} of {expected.size} bytes; "
            "run again to resume"
        )
    got = _md5(part)
    if have != expected.size or got != expected.md5:
        part.unlink(missing_ok=True)  # a bad file must not be resumed either
        raise CatalogError(
            f"{url}: checksum mismatch (got {have} bytes, MD5 {got}; the catalog says "
            f"{expected.size} bytes, MD5 {expected.md5}); the download was removed, run again"
        )
    os.replace(part, final)
    return final


def _receive(url: str, part: Path, have: int, advance: Callable[[int], None]) -> int:
    """Write the file into `part` from byte `have` on; its new size."""
    with _opened(url, {"Range": f"bytes={have}-"} if have else {}) as response:
        if response.status != 206:  # the whole file (no range asked, or ignored)
            if have:
                advance(-have)
            have = 0
        try:
            with open(part, "ab" if have else "wb") as out:
                while chunk := _read(response, url):
                    out.write(chunk)
                    have += len(chunk)
                    advance(len(chunk))
        except OSError as error:
            if error.errno in (errno.ENOSPC, errno.EDQUOT):
                raise CatalogError(
                    f"the disk is full writing {part}; free some space and run again "
                    "(the download resumes)"
                ) from None
            raise
    return have


def _md5(path: Path) -> str:
    digest = hashlib.md5(usedforsecurity=False)  # the catalog publishes MD5 sums
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK * 16):
            digest.update(chunk)
    return digest.hexdigest()


def _read(response, url: str) -> bytes:  # noqa: ANN001 - http.client.HTTPResponse
    try:
        return response.read(CHUNK)
    except (OSError, http.client.HTTPException) as error:
        raise CatalogError(
            f"{url}: the connection was cut ({error or type(error).__name__}); run again to resume"
        ) from None


def _opened(url: str, headers: dict[str, str]):  # noqa: ANN202
    """The response to a GET, or one CatalogError saying why there is none."""
    if not url.startswith(("http://", "https://", "file:")):
        raise CatalogError(f"{url}: not an http(s) or file URL")
    request = urllib.request.Request(url, headers={"User-Agent": "storycast", **headers})
    try:
        return urllib.request.urlopen(request, timeout=TIMEOUT)  # noqa: S310 - checked above
    except urllib.error.HTTPError as error:
        raise CatalogError(f"{url}: the server answered {error.code} {error.reason}") from None
    except urllib.error.URLError as error:
        reason = error.reason
        raise CatalogError(
            f"{url}: cannot reach the server ({getattr(reason, 'strerror', None) or reason})"
        ) from None
    except (TimeoutError, OSError, http.client.HTTPException) as error:
        raise CatalogError(f"{url}: cannot reach the server ({error})") from None
