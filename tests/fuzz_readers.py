"""Fuzz targets for the story readers (txt, md, html, epub, folder).

Each target takes bytes, lays them out as that kind of story in a
temporary folder and reads it as `storycast tag` does. The invariant
(`holds`): any input ends in a Script that can be written out as JSON and
YAML, or in a StorycastError of one line (which the CLI prints with exit
status 1); never another exception. Time and memory are bounded by whoever
runs the targets (benchmarks/fuzz.py, where tests/fuzz_targets.py registers
them) with a deadline and resource.setrlimit.

    TARGETS     name -> Callable[[bytes], None]
    STRATEGIES  name -> a hypothesis strategy of bytes suited to the target
    python benchmarks/fuzz.py txt md html epub folder --seconds 60 --deadline 20
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

from hypothesis import strategies as st

from storycast.errors import StorycastError

Target = Callable[[bytes], None]


def read_story(path: Path) -> None:
    """Read, parse, attribute and mark emphasis, then write the script out."""
    from storycast.script import load_script, to_json, to_yaml

    script = load_script(path)
    to_json(script).encode("utf-8")
    to_yaml(script).encode("utf-8")


def _as_file(suffix: str) -> Target:
    def target(data: bytes) -> None:
        with tempfile.TemporaryDirectory(prefix="storycast-fuzz-") as folder:
            path = Path(folder) / f"story{suffix}"
            path.write_bytes(data)
            read_story(path)

    return target


def epub_bytes(
    documents: dict[str, bytes],
    extra: dict[str, bytes] | None = None,
    compression: int = zipfile.ZIP_DEFLATED,
) -> bytes:
    """A small EPUB 2 holding `documents` (name -> XHTML) in spine order, and
    `extra` files (META-INF/encryption.xml, fonts) as they are."""
    manifest = "".join(
        f'<item id="d{n}" href="{name}" media-type="application/xhtml+xml"/>'
        for n, name in enumerate(documents)
    )
    spine = "".join(f'<itemref idref="d{n}"/>' for n in range(len(documents)))
    opf = (
        '<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="2.0" '
        'unique-identifier="id"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/">'
        '<dc:title>Fuzz</dc:title><dc:identifier id="id">fuzz</dc:identifier></metadata>'
        f"<manifest>{manifest}</manifest><spine>{spine}</spine></package>"
    )
    container = (
        '<?xml version="1.0"?><container version="1.0" '
        'xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles>'
        '<rootfile full-path="content.opf" media-type="application/oebps-package+xml"/>'
        "</rootfiles></container>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip")
        archive.writestr("META-INF/container.xml", container)
        archive.writestr("content.opf", opf)
        for name, content in {**documents, **(extra or {})}.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def page(body: bytes) -> bytes:
    return b'<html xmlns="http://www.w3.org/1999/xhtml"><head><title>t</title></head><body>' + (
        body + b"</body></html>"
    )


def epub_target(data: bytes) -> None:
    """Raw bytes that look like a zip are the EPUB itself; anything else is
    the body of its one chapter."""
    book = data if data.startswith(b"PK") else epub_bytes({"c.xhtml": page(data)})
    _as_file(".epub")(book)


def folder_target(data: bytes) -> None:
    """The bytes cut at NUL pairs into chapter files of every kind."""
    suffixes = (".txt", ".md", ".html")
    with tempfile.TemporaryDirectory(prefix="storycast-fuzz-") as folder:
        story = Path(folder) / "story"
        story.mkdir()
        for number, part in enumerate(data.split(b"\x00\x00")[:6], 1):
            (story / f"{number:02} - part{suffixes[number % 3]}").write_bytes(part)
        read_story(story)


TARGETS: dict[str, Target] = {
    "txt": _as_file(".txt"),
    "md": _as_file(".md"),
    "html": _as_file(".html"),
    "epub": epub_target,
    "folder": folder_target,
}

# Pieces a hostile or unlucky story is made of: markup, italics, quotes,
# structure, hidden parts, bad bytes and escapes.
_TOKENS = [
    b"<b>",
    b"</b>",
    b"<i>",
    b"</i>",
    b"<div>",
    b"</div>",
    b"<span>",
    b"<p>",
    b"</p>",
    b"<ul><li>",
    b"<blockquote>",
    b"<h1>",
    b"</h1>",
    b"<h2>Chapter 2</h2>",
    b"<hr/>",
    b"<br>",
    b'<sup><a href="#n">1</a></sup>',
    b'<p style="display:none">',
    b"<textarea>",
    b'<span aria-hidden="true">',
    b"<math>",
    b"<script>",
    b"</script>",
    b"<![CDATA[",
    b"<!--",
    b"-->",
    b"&#xD800;",
    b"&#0;",
    b"&amp;",
    b"&bogus;",
    b"*",
    b"_",
    b"**",
    b"*a ",
    b"Chapter 1\n\n",
    b"# Title\n\n",
    b"## Part\n\n",
    b"---\ntitle: x\n---\n",
    b"* * *\n\n",
    b"> ",
    b"\n",
    b"\n\n",
    b" ",
    b'"Hi," said Bob. ',
    b"It rained. ",
    b"*Oh no.* ",
    b"she thought",
    b"A/N: note\n\n",
    b"The End\n\n",
    b"\xff",
    b"\xed\xa0\x80",
    b"\x00",
    b"\x01",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"\r\n",
    "\u2028".encode(),
]


def _nested(opening: bytes, closing: bytes) -> st.SearchStrategy[bytes]:
    return st.integers(1, 3000).map(lambda n: opening * n + b"x" + closing * n)


_MARKUP = st.lists(st.sampled_from(_TOKENS), max_size=200).map(b"".join)
_NESTING = st.one_of(
    _nested(b"<b>", b"</b>"),
    _nested(b"<div>", b"</div>"),
    _nested(b"<span>", b"</span>"),
    _nested(b"<i>", b"</i>"),
    _nested(b"*a ", b" a*"),
    _nested(b"> ", b""),
    _nested(b"<ul><li>", b"</li></ul>"),
)
INPUTS = st.one_of(st.binary(max_size=2000), _MARKUP, _NESTING)
"""Bytes for any reader: raw, token soup, or deep nesting."""


def _zips() -> st.SearchStrategy[bytes]:
    compressions = st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2])
    extras = st.dictionaries(
        st.sampled_from(["META-INF/encryption.xml", "font.otf", "c.xhtml", "../up.xhtml"]),
        INPUTS,
        max_size=2,
    )
    return st.builds(
        lambda body, extra, compression: epub_bytes({"c.xhtml": page(body)}, extra, compression),
        INPUTS,
        extras,
        compressions,
    )


STRATEGIES: dict[str, st.SearchStrategy[bytes]] = {
    "txt": INPUTS,
    "md": INPUTS,
    "html": INPUTS,
    "epub": st.one_of(INPUTS, _zips()),
    "folder": st.lists(INPUTS, min_size=1, max_size=4).map(b"\x00\x00".join),
}


def holds(name: str, data: bytes) -> None:
    """Run one target; a StorycastError must be one line, anything else is raised."""
    try:
        TARGETS[name](data)
    except StorycastError as error:
        message = str(error)
        if not message or "\n" in message or "\r" in message:
            raise AssertionError(f"{name}: not a one-line error: {message!r}") from error
