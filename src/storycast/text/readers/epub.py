"""EPUB 2 and 3, through ebooklib: chapters in spine order, titled from the
table of contents (the EPUB 3 navigation document or the EPUB 2 NCX).
Front matter (cover, title page, contents, copyright, dedication), back
matter, footnotes and link lists are not read aloud. ebooklib reads the zip
through archive.GuardedZip: limits on what is inflated, and no DRM."""

from __future__ import annotations

import posixpath
import re
import warnings
import zipfile
from dataclasses import replace
from pathlib import Path

from storycast.errors import InputError
from storycast.model import BookMeta, Document
from storycast.text.conventions import is_front_matter_title, same
from storycast.text.readers.archive import GuardedZip
from storycast.text.readers.blocks import blocks_of, blocks_text, parse_html
from storycast.text.readers.layout import TextChapter, book_document, chapters_from_blocks

# epub:type values (on <body> or its first section) of documents not read aloud.
_SKIP_DOCUMENT_TYPES = {
    "cover",
    "titlepage",
    "halftitlepage",
    "frontmatter",
    "backmatter",
    "toc",
    "landmarks",
    "copyright-page",
    "dedication",
    "acknowledgments",
    "colophon",
    "imprint",
    "imprimatur",
    "footnotes",
    "endnotes",
    "rearnotes",
    "index",
    "loi",
    "lot",
    "seriespage",
    "other-credits",
    "contributors",
    "errata",
    "bibliography",
    "glossary",
}
_SKIP_TITLES = re.compile(
    r"^\W*(?:cover|title\s*page|half\s*title|(?:table of )?contents|toc|copyright|colophon|"
    r"dedication|acknowledge?ments?|about the authors?|also by\b.*|by the same author|"
    r"(?:foot|end)?notes|index|bibliography|glossary|imprint|credits)\W*$",
    re.I,
)
_SKIP_FILES = re.compile(
    r"(?:^|[/_\-.])(?:cover|title(?:page)?|toc|nav|copyright|colophon|"
    r"footnotes?|endnotes?|notes|imprint)(?:[_\-.]|\d*\.x?html?$)",
    re.I,
)


def read_epub(path: Path, source: str) -> Document:
    book = _open(path, source)
    meta = epub_meta(book)
    toc = _toc_titles(book)
    chapters: list[TextChapter] = []
    for item in _spine_documents(book):
        name = item.get_name()
        title = toc.get(name)
        if title is None and not toc and _SKIP_FILES.search(name):
            continue
        if title is not None and _SKIP_TITLES.match(title):
            continue
        soup = parse_html(item.get_content())
        if _is_front_or_back_matter(soup):
            continue
        body = soup.body or soup
        blocks = blocks_of(body)
        if title and blocks and blocks[0].kind == "paragraph" and same(blocks[0].text, title):
            blocks = blocks[1:]  # a title styled as a paragraph (<p class="chapter-title">)
        if title is None and chapters and not any(b.kind == "heading" for b in blocks):
            # A file without its own title or heading continues the chapter before it.
            previous = chapters[-1]
            chapters[-1] = replace(previous, blocks=previous.blocks + tuple(blocks))
            continue
        untitled = title or f"Chapter {len(chapters) + 1}"
        found = chapters_from_blocks(blocks, untitled, named=title is not None)
        if found and title and blocks and blocks[0].kind == "heading":
            if not is_front_matter_title(found[0].title):  # a note before the chapter stays one
                found[0] = replace(found[0], title=title)  # the TOC's words win
        chapters.extend(found)
    if not chapters:
        raise InputError(f"{source}: the EPUB has no chapters to read")
    return book_document(meta, chapters, source)


def _open(path: Path, source: str):
    try:
        from ebooklib import epub
    except ImportError:
        raise InputError("reading EPUB needs ebooklib: pip install ebooklib") from None

    class GuardedReader(epub.EpubReader):
        def _load(self) -> None:  # ebooklib's own _load, on the guarded zip
            self.zf = GuardedZip(path, source)
            try:
                self._load_container()
                self._load_opf_file()
            finally:
                self.zf.close()

    try:
        with warnings.catch_warnings():  # ebooklib warns about its own future defaults
            warnings.simplefilter("ignore")
            reader = GuardedReader(str(path), {"ignore_ncx": False})
            book = reader.load()
            reader.process()
            return book
    except InputError:
        raise
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, AttributeError) as error:
        raise InputError(f"{source}: not a readable EPUB ({error})") from None
    except Exception as error:  # ebooklib raises its own EpubException and lxml errors
        raise InputError(
            f"{source}: not a readable EPUB ({type(error).__name__}: {error})"
        ) from None


def epub_meta(book) -> BookMeta:  # noqa: ANN001
    def first(namespace: str, name: str) -> str | None:
        values = book.get_metadata(namespace, name)
        return " ".join(str(values[0][0]).split()) if values and values[0][0] else None

    summary = first("DC", "description")
    if summary and "<" in summary:
        summary = blocks_text(blocks_of(parse_html(summary))) or None
    series, index = _series(book)
    cover, cover_type = _cover(book)
    return BookMeta(
        title=first("DC", "title"),
        author=first("DC", "creator"),
        series=series,
        series_index=index,
        summary=summary,
        language=first("DC", "language"),
        date=first("DC", "date"),
        cover=cover,
        cover_type=cover_type,
    )


def _opf_meta(book) -> list[tuple[str | None, dict]]:  # noqa: ANN001
    return book.get_metadata("OPF", "meta") or []


def _series(book) -> tuple[str | None, str | None]:  # noqa: ANN001
    """Calibre's series meta (EPUB 2), or EPUB 3's belongs-to-collection."""
    named = {attrs.get("name"): attrs.get("content") for _, attrs in _opf_meta(book)}
    if named.get("calibre:series"):
        return named["calibre:series"], _number(named.get("calibre:series_index"))
    collection = index = None
    for value, attrs in _opf_meta(book):
        if attrs.get("property") == "belongs-to-collection" and value:
            collection = value
        elif attrs.get("property") == "group-position" and value:
            index = value
    return collection, _number(index)


def _number(value: str | None) -> str | None:
    if not value:
        return None
    value = value.strip()
    return value[:-2] if value.endswith(".0") else value


def _cover(book) -> tuple[bytes | None, str | None]:  # noqa: ANN001
    import ebooklib

    candidates = list(book.get_items_of_type(ebooklib.ITEM_COVER))
    cover_id = next(
        (attrs.get("content") for _, attrs in _opf_meta(book) if attrs.get("name") == "cover"), None
    )
    if cover_id:
        item = book.get_item_with_id(cover_id)
        if item is not None:
            candidates.insert(0, item)
    for item in book.get_items_of_type(ebooklib.ITEM_IMAGE):
        if (
            "cover-image" in (getattr(item, "properties", None) or [])
            or "cover" in Path(item.get_name()).stem.lower()
        ):
            candidates.append(item)
    for item in candidates:
        media = getattr(item, "media_type", "") or ""
        if media.startswith("image/"):
            return item.get_content(), media
    return None, None


def _spine_documents(book):  # noqa: ANN001
    """Documents in reading order: linear spine items, the navigation document left out."""
    import ebooklib

    for idref, linear in book.spine:
        item = book.get_item_with_id(idref)
        if item is None or item.get_type() != ebooklib.ITEM_DOCUMENT:
            continue
        if (
            str(linear).lower() == "no"
            or isinstance(item, _nav_class())
            or "nav" in (getattr(item, "properties", None) or [])
        ):
            continue
        yield item


def _nav_class():
    from ebooklib import epub

    return epub.EpubNav


def _toc_titles(book) -> dict[str, str]:  # noqa: ANN001
    """Document name -> the title of the first contents entry pointing into it."""
    from ebooklib import epub

    titles: dict[str, str] = {}

    def visit(entries) -> None:  # noqa: ANN001
        for entry in entries:
            if isinstance(entry, tuple):  # (Section, children)
                section, children = entry
                visit([section])
                visit(children)
                continue
            href = getattr(entry, "href", None) or (
                entry.get_name() if isinstance(entry, epub.EpubHtml) else None
            )
            title = getattr(entry, "title", None)
            if href and title:
                name = posixpath.normpath(href.split("#")[0])
                titles.setdefault(name, " ".join(str(title).split()))

    visit(book.toc or [])
    return titles


def _is_front_or_back_matter(soup) -> bool:  # noqa: ANN001
    body = soup.body
    if body is None:
        return False
    tags = [body, *body.find_all(["section", "div"], recursive=False)[:1]]
    types = set()
    for tag in tags:
        types |= set((tag.get("epub:type") or "").split())
        types |= set((tag.get("role") or "").replace("doc-", "").split())
    return bool(types & _SKIP_DOCUMENT_TYPES) and not types & {
        "bodymatter",
        "chapter",
        "prologue",
        "epilogue",
        "part",
    }
