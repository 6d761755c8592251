"""HTML as the fan-fiction archives export it: a header with the title,
author, series, summary and notes, then the chapters under headings, with
`<hr>` scene breaks. The header goes into BookMeta and the front matter;
the chapters into `# Title` sections."""

from __future__ import annotations

import re
from collections.abc import Sequence

from bs4 import BeautifulSoup, Tag

from storycast.model import BookMeta, Document
from storycast.text.conventions import is_heading, same
from storycast.text.readers.blocks import attribute, blocks_of, blocks_text, parse_html
from storycast.text.readers.layout import TextChapter, book_document, chapters_from_blocks

_CONTENT = ("#chapters", "#storytext", ".storytext", "#workskin", "#story", "article", "main")
# Parts of an archive page that describe the work rather than tell it.
_NOT_STORY = ", ".join(
    (
        "#preface",
        "#afterword",
        ".preface",
        ".afterword",
        ".notes",
        ".endnotes",
        "#endnotes",
        ".end.notes",
        ".byline",
        ".summary",
        ".message",
        ".landmark",
        "#header",
        "header",
        "footer",
    )
)
_LABEL_TAGS = {"h2", "h3", "h4", "dt", "p", "b", "strong", "span"}
_SERIES = re.compile(r"Part\s+(\d+(?:\.\d+)?)\s+of\s+(?:the\s+)?(.+?)\s*(?:series)?$", re.I)


def read_html(markup: str, source: str) -> Document:
    soup = parse_html(markup)
    meta = html_meta(soup)
    notes = _labelled_text(soup, "notes")
    content = _content(soup)
    _drop_work_details(content)
    blocks = blocks_of(content)
    if blocks and blocks[0].kind == "heading" and meta.title and same(blocks[0].text, meta.title):
        blocks = blocks[1:]
    chapters = chapters_from_blocks(blocks, meta.title or "Chapter 1")
    return book_document(meta, chapters, source, notes)


def _drop_work_details(content: Tag) -> None:
    """Take out what describes the work; a chapter's .meta block keeps only its heading."""
    # Every selector names an id, a class or a header/footer: only such elements
    # are matched against them, in one pass over the page.
    candidates = [
        tag
        for tag in content.find_all(True)
        if tag.has_attr("id") or tag.has_attr("class") or tag.name in ("header", "footer")
    ]
    for tag in candidates:
        if not tag.decomposed and tag.css.match(_NOT_STORY):
            tag.decompose()
    for meta in content.select(".meta"):
        if meta is content:
            continue
        headings = meta.find_all(re.compile(r"^h[1-6]$"))
        if not headings:
            meta.decompose()
            continue
        for child in list(meta.children):
            if not isinstance(child, Tag) or child.name not in {h.name for h in headings}:
                child.extract()


def chapters_of_html(markup: str, name: str) -> list[TextChapter]:
    """The chapters of a plain HTML file (a chapter file in a folder, titled
    `name` unless a heading titles it)."""
    soup = parse_html(markup)
    return chapters_from_blocks(blocks_of(soup.body or soup), name, named=True)


def html_meta(soup: BeautifulSoup) -> BookMeta:
    title = (
        _first_text(soup, ["#preface h1", "h2.title", ".title"])
        or _lone_h1(soup)
        or _meta(soup, "og:title", "dc.title", "title")
        or (soup.title.get_text(" ", strip=True) if soup.title else None)
    )
    author = _first_text(soup, ['a[rel="author"]', ".byline a", ".author"]) or _meta(
        soup, "author", "dc.creator"
    )
    if not author:
        byline = _first_text(soup, [".byline"])
        author = re.sub(r"^\s*by\s+", "", byline, flags=re.I) if byline else None
    html = soup.find("html")
    language = _labelled_text(soup, "language") or (
        attribute(html, "lang") if isinstance(html, Tag) else None
    )
    series, index = _series(soup)
    summary = _labelled_text(soup, "summary") or _meta(soup, "description", "og:description")
    return BookMeta(
        title=title,
        author=author,
        series=series,
        series_index=index,
        summary=summary or None,
        language=language or None,
        date=_meta(soup, "dc.date", "date", "article:published_time"),
    )


def _lone_h1(soup: BeautifulSoup) -> str | None:
    """The page's one <h1>, when it is not a chapter heading."""
    headings = soup.find_all("h1")
    if len(headings) != 1:
        return None
    text = " ".join(headings[0].get_text(" ", strip=True).split())
    return text if text and not is_heading(text) else None


def _content(soup: BeautifulSoup) -> Tag:
    found = _firsts(soup, _CONTENT)
    return next((tag for tag in found if tag is not None), None) or soup.body or soup


def _firsts(soup: BeautifulSoup, selectors: Sequence[str]) -> list[Tag | None]:
    """soup.select_one(selector) for each selector, from one pass over the page."""
    found = soup.select(", ".join(selectors))
    return [next((tag for tag in found if tag.css.match(s)), None) for s in selectors]


def _first_text(soup: BeautifulSoup, selectors: list[str]) -> str | None:
    for found in _firsts(soup, selectors):
        if found is not None and found.get_text(strip=True):
            return " ".join(found.get_text(" ", strip=True).split())
    return None


def _meta(soup: BeautifulSoup, *names: str) -> str | None:
    metas = soup.find_all("meta")  # one pass over the page for all the names
    for name in names:
        pattern = re.compile(f"^{re.escape(name)}$", re.I)
        found = next(
            (m for m in metas if m.has_attr("name") and pattern.search(attribute(m, "name"))),
            None,
        )
        if found is None:
            found = next((m for m in metas if m.get("property") == name), None)
        content = attribute(found, "content").strip() if isinstance(found, Tag) else ""
        if content:
            return content
    return None


def _labelled_text(soup: BeautifulSoup, label: str) -> str:
    """The text after a label such as "Summary" or "Notes:" (a heading, <dt>,
    <p> or <b>), or of an element with that class."""
    for tag in _label_tags(soup, label):
        value = tag.find_next_sibling()
        if value is None and tag.parent is not None:
            value = tag.parent.find_next_sibling()
        if value is not None:
            return blocks_text(blocks_of(value)) or value.get_text(" ", strip=True)
    return ""


def _label_tags(soup: BeautifulSoup, label: str) -> list[Tag]:
    """The elements whose whole text is the label, in document order. Found
    from the strings that hold the label, going up while the text stays the
    label: time in proportion to the page, however deep its tags nest."""
    pattern = re.compile(rf"^\s*{label}\s*:?\s*$", re.I)
    found: list[Tag] = []
    seen: set[int] = set()
    for string in soup.find_all(string=pattern):
        chain = []
        for tag in string.parents:
            words = _short_text(tag, len(label) + 2)
            if words is None or not pattern.match(words):
                break
            if tag.name in _LABEL_TAGS:
                chain.append(tag)
        found += [tag for tag in reversed(chain) if id(tag) not in seen]
        seen.update(id(tag) for tag in chain)
    return found


def _short_text(tag: Tag, limit: int) -> str | None:
    """tag.get_text(" ", strip=True), or None once it is longer than `limit`."""
    words: list[str] = []
    length = -1
    for string in tag.strings:
        if string.strip():
            words.append(string.strip())
            length += len(words[-1]) + 1
            if length > limit:
                return None
    return " ".join(words)


def _series(soup: BeautifulSoup) -> tuple[str | None, str | None]:
    text = _labelled_text(soup, "series")
    for candidate in ([text] if text else []) + [
        s for s in soup.stripped_strings if s.startswith("Part ")
    ][:5]:
        match = _SERIES.search(" ".join(candidate.split()))
        if match:
            return match.group(2), match.group(1)
    return None, None
