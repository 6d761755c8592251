"""HTML -> blocks: the part every markup reader shares.

An HTML tree becomes a flat list of blocks (headings, paragraphs, scene
breaks) with italics kept as `*...*`; readers/layout.py makes chapters of them."""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from typing import Literal

from bs4 import BeautifulSoup, NavigableString, Tag, XMLParsedAsHTMLWarning

from storycast.text.conventions import is_scene_break

BlockKind = Literal["heading", "paragraph", "break"]

_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_BLOCKS = {
    "p",
    "div",
    "section",
    "article",
    "blockquote",
    "li",
    "dd",
    "dt",
    "pre",
    "main",
    "body",
    "header",
    "footer",
    "figure",
    "figcaption",
    "center",
    "td",
    "tr",
    "table",
    "ul",
    "ol",
    "dl",
    "tbody",
    "thead",
    "br",
}
_ITALIC = {"i", "em", "cite", "var", "dfn"}
# Never read aloud: scripts, styles, navigation, footnotes and their markers.
_SKIP_TAGS = {
    "script",
    "style",
    "nav",
    "head",
    "noscript",
    "template",
    "svg",
    "img",
    "audio",
    "video",
    "iframe",
    "object",
    "button",
    "form",
    "input",
    "select",
}
_SKIP_TYPES = {
    "footnote",
    "footnotes",
    "endnote",
    "endnotes",
    "rearnote",
    "rearnotes",
    "noteref",
    "toc",
    "landmarks",
    "page-list",
    "pagebreak",
    "doc-footnote",
    "doc-endnotes",
    "doc-noteref",
    "doc-toc",
    "doc-pagebreak",
    "doc-backlink",
}
_SKIP_CLASSES = {
    "footnotes",
    "footnote",
    "endnotes",
    "noteref",
    "toc",
    "landmarks",
    "footnote-ref",
    "footnote-back",
    "footnote-backref",
}
_NOTE_MARK = re.compile(r"^[\[(]?(?:\d+|[ivx]+|[*†‡§¶]+)[\])]?$", re.I)


@dataclass(frozen=True)
class Block:
    kind: BlockKind
    text: str = ""
    level: int = 0
    """1 to 6 for headings."""


def parse_html(markup: str | bytes) -> BeautifulSoup:
    """A forgiving parse of HTML or XHTML (EPUB chapters are XHTML)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        return BeautifulSoup(markup, "lxml")


def blocks_of(element: Tag) -> list[Block]:
    """The element's content as headings, paragraphs and scene breaks."""
    out: list[Block] = []
    _walk(element, out)
    return tidy(out, keep_leading=True)  # a leading break matters when a file continues a chapter


def _walk(element: Tag, out: list[Block]) -> None:
    inline: list[str] = []

    def flush() -> None:
        text = _clean_inline("".join(inline))
        inline.clear()
        if text:
            out.append(Block("break") if is_scene_break(text) else Block("paragraph", text))

    for child in element.children:
        if isinstance(child, NavigableString):
            if type(child) is NavigableString:  # not comments, CDATA, doctypes
                inline.append(str(child))
            continue
        if not isinstance(child, Tag) or skipped(child):
            continue
        name = child.name.lower()
        if name in _HEADINGS:
            flush()
            text = _clean_inline(_inline_text(child, italics=False))
            if text:
                out.append(Block("heading", text, _HEADINGS[name]))
        elif name == "hr":
            flush()
            out.append(Block("break"))
        elif name == "br":
            inline.append("\n")
        elif name in _BLOCKS:
            flush()
            if _is_link_list(child):
                continue
            _walk(child, out)
        else:
            inline.append(_inline_text(child))
    flush()


def attribute(tag: Tag, name: str) -> str:
    """An attribute's value as one string ("" when absent)."""
    value = tag.get(name)
    return " ".join(value) if isinstance(value, list) else value or ""


def skipped(tag: Tag) -> bool:
    """Footnotes, navigation, tables of contents and hidden parts."""
    if tag.name.lower() in _SKIP_TAGS:
        return True
    if tag.name.lower() == "sup" and (
        tag.find("a") is not None or _NOTE_MARK.match(tag.get_text(strip=True))
    ):
        return True  # a note marker; "1<sup>st</sup>" stays
    types = set(attribute(tag, "epub:type").split()) | {attribute(tag, "role")}
    classes = {c.lower() for c in tag.get("class") or []}
    hidden = "display:none" in attribute(tag, "style").replace(" ", "") or tag.has_attr("hidden")
    return bool(types & _SKIP_TYPES or classes & _SKIP_CLASSES or hidden)


def _is_link_list(tag: Tag) -> bool:
    """A list whose every item is a link (a table of contents, 'next chapter')."""
    if tag.name.lower() not in ("ul", "ol"):
        return False
    items = tag.find_all("li", recursive=False)
    return bool(items) and all(_only_links(item) for item in items)


def _only_links(tag: Tag) -> bool:
    links = "".join(a.get_text() for a in tag.find_all("a"))
    return bool(links.strip()) and len(links.strip()) >= 0.8 * len(tag.get_text().strip())


def _inline_text(tag: Tag, italics: bool = True) -> str:
    """The words inside an inline element, italics marked with asterisks."""
    if skipped(tag):
        return ""
    if tag.name.lower() == "br":
        return "\n"
    parts = []
    for child in tag.children:
        if isinstance(child, NavigableString):
            if type(child) is NavigableString:
                parts.append(str(child))
        elif isinstance(child, Tag):
            parts.append(_inline_text(child, italics))
    text = "".join(parts)
    if italics and _is_italic(tag) and text.strip():
        lead = text[: len(text) - len(text.lstrip())]
        trail = text[len(text.rstrip()) :]
        text = f"{lead}*{text.strip().replace('*', '')}*{trail}"
    return text


def _is_italic(tag: Tag) -> bool:
    style = attribute(tag, "style").replace(" ", "").lower()
    classes = {c.lower() for c in tag.get("class") or []}
    return (
        tag.name.lower() in _ITALIC
        or "font-style:italic" in style
        or bool(classes & {"italic", "italics", "emphasis", "i"})
    )


def _clean_inline(text: str) -> str:
    text = re.sub(r"\*\s*\*", "", text)  # two italic runs that touch, or an empty one
    return " ".join(text.split())


def tidy(blocks: list[Block], keep_leading: bool = False) -> list[Block]:
    """No scene break at the start, at the end, or twice in a row."""
    kept: list[Block] = []
    for block in blocks:
        if block.kind == "break" and (
            kept[-1].kind in ("break", "heading") if kept else not keep_leading
        ):
            continue
        kept.append(block)
    while kept and kept[-1].kind == "break":
        kept.pop()
    return kept


def blocks_text(blocks: list[Block]) -> str:
    """Paragraph text of blocks, for summaries and notes."""
    return " ".join(b.text for b in blocks if b.kind == "paragraph")
