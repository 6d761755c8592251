"""read: bytes -> Document. Detects the encoding and normalises newlines,
keeping a map back to offsets in the decoded source.

Other formats (EPUB, HTML, Markdown, a folder of chapters) go through their
reader in storycast.text.readers, which hands back the text it extracted and
the Outline of its structure; their offsets point into that extracted text."""

from __future__ import annotations

import codecs
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from storycast.errors import InputError
from storycast.model import BookMeta, Document
from storycast.text.readers.intake import MAX_BYTES, read_limited

__all__ = ["MAX_BYTES", "read", "read_text", "decode", "normalise_newlines"]

_NEWLINES = re.compile(r"\r\n|[\r\u2028\u2029\x85\x0b\x0c]")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


EPUB_SUFFIXES = (".epub",)
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown")


def read(path: Path | str) -> Document:
    """Read a story (a text, EPUB, HTML or Markdown file, or a folder of
    chapter files) into a Document, or raise InputError saying why not."""
    path = Path(path)
    suffix = path.suffix.lower()
    if path.is_dir():
        from storycast.text.readers.folder import read_folder

        return _checked(read_folder(path, str(path), decode))
    if suffix in EPUB_SUFFIXES:
        from storycast.text.readers.epub import read_epub

        if not path.is_file():  # a zip is read by seeking: never a pipe or a device
            kind = "not a regular file" if path.exists() else "no such file"
            raise InputError(f"{path}: {kind}")
        return _checked(read_epub(path, str(path)))
    data = read_limited(path)
    if suffix in HTML_SUFFIXES:
        from storycast.text.readers.html import read_html

        return _checked(read_html(decode(data, str(path)), str(path)))
    if suffix in MARKDOWN_SUFFIXES:
        from storycast.text.readers.markdown import read_markdown

        return _checked(read_markdown(normalise_newlines(decode(data, str(path)))[0], str(path)))
    return read_text(decode(data, str(path)), str(path))


def _checked(document: Document) -> Document:
    """A reader's Document, refused when no story text came out of it."""
    outline = document.outline
    told = outline is not None and (
        any(chapter.paragraphs for chapter in outline.chapters) or outline.back_matter
    )
    if not told:  # a book of front matter alone is no story
        raise InputError(f"{document.source}: found no story text in it")
    return _printable(document)


def _printable(document: Document) -> Document:
    """The Document with nothing that cannot be written out: control
    characters become spaces and lone surrogates (from file names that are
    not UTF-8, or a broken decoder) U+FFFD, one for one, so offsets hold."""
    meta, outline = document.meta, document.outline
    if outline is not None:
        chapters = tuple(replace(c, title=_clean(c.title)) for c in outline.chapters)
        author = _clean(outline.author) if outline.author else outline.author
        outline = replace(outline, chapters=chapters, author=author)
    return replace(
        document,
        text=_clean(document.text),
        source=_clean(document.source),
        meta=_clean_meta(meta),
        outline=outline,
    )


def _clean_meta(meta: BookMeta) -> BookMeta:
    texts = ("title", "author", "series", "series_index", "summary", "language")
    values = {name: getattr(meta, name) for name in texts}
    cleaned: dict[str, Any] = {name: _clean(value) for name, value in values.items() if value}
    return replace(meta, **cleaned)


def _clean(text: str) -> str:
    return _SURROGATE.sub("\ufffd", _CONTROL.sub(" ", text))


def read_text(decoded: str, source: str) -> Document:
    """A Document from already decoded text (newlines normalised here)."""
    if not decoded.strip():
        raise InputError(f"{source}: the story is empty")
    text, crlf = normalise_newlines(decoded)
    return _printable(Document(text=text, source=source, crlf=crlf))


def decode(data: bytes, source: str) -> str:
    """Decode by BOM, then UTF-16 by its zero bytes, then UTF-8, then cp1252."""
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if data.startswith(bom):
            return _decode_or_fail(data[len(bom) :], encoding, source)
    utf16 = _guess_utf16(data)
    if utf16:
        return _decode_or_fail(data, utf16, source)
    if _looks_binary(data):
        raise InputError(f"{source}: looks like a binary file, not text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return _decode_lines(data, source)


def _looks_binary(data: bytes) -> bool:
    """Many NULs, or many control bytes that text never holds."""
    sample = data[:65536]
    controls = sum(sample.count(bytes([b])) for b in (*range(0, 9), *range(14, 32)) if b != 27)
    return sample.count(0) > max(2, len(sample) // 200) or controls > max(8, len(sample) // 20)


def _decode_lines(data: bytes, source: str) -> str:
    """UTF-8 where a line is UTF-8, cp1252 where it is not: files pasted
    together from different editors mix the two."""
    lines = []
    for number, line in enumerate(data.splitlines(keepends=True), 1):
        try:
            lines.append(line.decode("utf-8"))
        except UnicodeDecodeError:
            try:
                lines.append(line.decode("cp1252"))
            except UnicodeDecodeError:
                # cp1252 leaves five bytes undefined: a line using them is not text.
                raise InputError(
                    f"{source}:{number}: not readable as text (neither UTF-8 nor Windows cp1252)"
                ) from None
    return "".join(lines)


def _guess_utf16(data: bytes) -> str | None:
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even_zeros = sample[0::2].count(0) / (len(sample) / 2)
    odd_zeros = sample[1::2].count(0) / (len(sample) / 2)
    if odd_zeros > 0.4 and even_zeros < 0.05:
        return "utf-16-le"
    if even_zeros > 0.4 and odd_zeros < 0.05:
        return "utf-16-be"
    return None


def _decode_or_fail(data: bytes, encoding: str, source: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise InputError(
            f"{source}: not readable as text (tried {encoding}; bad byte at {error.start})"
        ) from None


def normalise_newlines(decoded: str) -> tuple[str, tuple[int, ...]]:
    """Turn every newline form into LF; return the text and where CRLFs were."""
    crlf: list[int] = []
    removed = 0
    for match in re.finditer("\r\n", decoded):
        crlf.append(match.start() - removed)
        removed += 1
    return _NEWLINES.sub("\n", decoded), tuple(crlf)
