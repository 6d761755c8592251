"""HTML -> blocks: the part every markup reader shares.

An HTML tree becomes a flat list of blocks (headings, paragraphs, scene
breaks) with italics kept as `*...*`; readers/layout.py makes chapters of them."""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from bs4 import BeautifulSoup, NavigableString, PageElement, Tag, XMLParsedAsHTMLWarning

from storycast.text.conventions import is_scene_break
from storycast.text.readers.hidden import attribute, skipped

__all__ = ["Block", "attribute", "blocks_of", "blocks_text", "parse_html", "skipped", "tidy"]

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
    """Blocks in document order. A loop with its own stack, not recursion:
    a tree nested 100,000 deep is walked like any other."""
    inline: list[str] = []

    def flush() -> None:
        text = _clean_inline("".join(inline))
        inline.clear()
        if text:
            out.append(Block("break") if is_scene_break(text) else Block("paragraph", text))

    levels = [iter(element.children)]
    while levels:
        child = next(levels[-1], None)
        if child is None:  # the end of a block: its words make a paragraph
            levels.pop()
            flush()
            continue
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
            if not _is_link_list(child):
                levels.append(iter(child.children))
        else:
            inline.append(_inline_text(child))


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
    """The words inside an inline element, italics marked with asterisks.
    Walked with a stack, not recursion; only the outermost italic element
    is marked (markers inside it would be taken out again), so each word
    is copied once however deep the italics nest."""
    if skipped(tag):
        return ""
    if tag.name.lower() == "br":
        return "\n"
    root: list[str] = []
    # Each level: its children still to visit, the list its words go into,
    # and whether it is the italic element those words are marked for.
    levels: list[tuple[Iterator[PageElement], list[str], bool]] = [
        (iter(tag.children), root, False)
    ]
    italic = italics and _is_italic(tag)
    marking = italic  # inside the element whose words are marked
    while levels:
        children, words, marks = levels[-1]
        child = next(children, None)
        if child is None:
            levels.pop()
            if marks:
                marking = False
                levels[-1][1].append(_marked("".join(words)))
            continue
        if isinstance(child, NavigableString):
            if type(child) is NavigableString:
                words.append(str(child))
        elif isinstance(child, Tag) and not skipped(child):
            if child.name.lower() == "br":
                words.append("\n")
            elif italics and not marking and _is_italic(child):
                marking = True
                levels.append((iter(child.children), [], True))
            else:
                levels.append((iter(child.children), words, False))
    text = "".join(root)
    return _marked(text) if italic else text


def _marked(text: str) -> str:
    """Italic words between asterisks, the spaces around them kept outside."""
    if not text.strip():
        return text
    lead = text[: len(text) - len(text.lstrip())]
    trail = text[len(text.rstrip()) :]
    return f"{lead}*{text.strip().replace('*', '')}*{trail}"


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
