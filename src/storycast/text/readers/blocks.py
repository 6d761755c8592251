"""HTML -> blocks -> story text: the part every markup reader shares.

An HTML tree becomes a flat list of blocks (headings, paragraphs, scene
breaks) with italics kept as `*...*`; `story_text` lays blocks out in the
plain-text shape that parse.py reads."""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from typing import Literal

from bs4 import BeautifulSoup, NavigableString, Tag, XMLParsedAsHTMLWarning

from storycast.model import BookMeta

BlockKind = Literal["heading", "paragraph", "break"]
SCENE_BREAK = "* * *"
SCENE_BREAK_LINE = re.compile(r"^(?:[-*~=_#/\\+.•·°oOxX0<>]\s*){3,}$|^[#*~]$")
"""A line of decoration that writers use between scenes (`~~~`, `-/-/-`, `oOo`, `#`)."""

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
_BREAK_TEXT = re.compile(r"^[\s\-*~=_#/\\+.•·°oOxX0◇◆❖§†‡—–]{1,20}$")


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
    return _tidy(out, keep_leading=True)  # a leading break matters when a file continues a chapter


def _walk(element: Tag, out: list[Block]) -> None:
    inline: list[str] = []

    def flush() -> None:
        text = _clean_inline("".join(inline))
        inline.clear()
        if text:
            out.append(
                Block("break")
                if _BREAK_TEXT.match(text) and not any(ch.isalnum() for ch in text)
                else Block("paragraph", text)
            )

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


def skipped(tag: Tag) -> bool:
    """Footnotes, navigation, tables of contents and hidden parts."""
    if tag.name.lower() in _SKIP_TAGS:
        return True
    if tag.name.lower() == "sup" and (
        tag.find("a") is not None or _NOTE_MARK.match(tag.get_text(strip=True))
    ):
        return True  # a note marker; "1<sup>st</sup>" stays
    types = set((tag.get("epub:type") or "").split()) | {tag.get("role") or ""}
    classes = {c.lower() for c in tag.get("class") or []}
    hidden = "display:none" in (tag.get("style") or "").replace(" ", "") or tag.has_attr("hidden")
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
    style = (tag.get("style") or "").replace(" ", "").lower()
    classes = {c.lower() for c in tag.get("class") or []}
    return (
        tag.name.lower() in _ITALIC
        or "font-style:italic" in style
        or bool(classes & {"italic", "italics", "emphasis", "i"})
    )


def _clean_inline(text: str) -> str:
    text = re.sub(r"\*\s*\*", "", text)  # two italic runs that touch, or an empty one
    return " ".join(text.split())


def _tidy(blocks: list[Block], keep_leading: bool = False) -> list[Block]:
    """No scene break at the start, at the end, or twice in a row."""
    tidy: list[Block] = []
    for block in blocks:
        if block.kind == "break" and (
            tidy[-1].kind in ("break", "heading") if tidy else not keep_leading
        ):
            continue
        tidy.append(block)
    while tidy and tidy[-1].kind == "break":
        tidy.pop()
    return tidy


@dataclass(frozen=True)
class TextChapter:
    title: str
    blocks: tuple[Block, ...]


def story_text(meta: BookMeta, chapters: list[TextChapter], notes: str = "") -> str:
    """The plain-text form of a book: title, author, summary and notes as
    front matter, then `# Title` per chapter and its paragraphs."""
    parts: list[str] = []
    if meta.title:
        parts.append(_title_line(_one_line(meta.title)))
    if meta.author:
        parts.append(f"by {_one_line(meta.author)}")
    if meta.summary:
        parts.append(f"Summary: {_one_line(meta.summary)}")
    if notes:
        parts.append(f"Notes: {_one_line(notes)}")
    for number, chapter in enumerate(chapters, 1):
        title = _one_line(chapter.title) or f"Chapter {number}"
        parts.append(f"# {title[:85]}")
        for block in chapter.blocks:
            parts.append(_block_text(block))
    return "\n\n".join(part for part in parts if part) + "\n"


def _title_line(title: str) -> str:
    """The title as a bare line where parse takes it for one, else as `Title: ...`
    (a title ending in a full stop, with quotes, or long, would read as story)."""
    plain = (
        len(title) <= 100
        and len(title.split()) <= 14
        and not re.search(r"[\"“”]", title)
        and not title.startswith(("'", "‘"))
        and (not title.endswith((".", ",", ";", ":")) or title.endswith("..."))
    )
    return title if plain else f"Title: {title}"


def _block_text(block: Block) -> str:
    if block.kind == "break":
        return SCENE_BREAK
    if block.kind == "heading":  # a heading inside a chapter: a scene break, then its words
        return f"{SCENE_BREAK}\n\n{_sentence(block.text)}"
    return _one_line(block.text)


def _sentence(text: str) -> str:
    text = _one_line(text)
    return text if text.endswith((".", "!", "?")) else f"{text}."


def _one_line(text: str) -> str:
    return " ".join(text.split())


def blocks_text(blocks: list[Block]) -> str:
    """Paragraph text of blocks, for summaries and notes."""
    return " ".join(b.text for b in blocks if b.kind == "paragraph")


def chapters_from_blocks(blocks: list[Block], untitled: str) -> list[TextChapter]:
    """Split blocks at the top heading level present: each such heading opens a
    chapter; deeper headings stay inside as scene breaks. Words before the
    first heading form a chapter titled `untitled`."""
    levels = [b.level for b in blocks if b.kind == "heading"]
    top = min(levels) if levels else 0
    chapters: list[TextChapter] = []
    title, current = untitled, []
    for block in blocks:
        if block.kind == "heading" and block.level == top:
            if any(b.kind == "paragraph" for b in current):
                chapters.append(TextChapter(title, tuple(_tidy(current))))
            title, current = block.text, []
        else:
            current.append(block)
    if any(b.kind == "paragraph" for b in current):
        chapters.append(TextChapter(title, tuple(_tidy(current))))
    return chapters
