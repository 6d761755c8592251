"""Markdown, through markdown-it-py: `#` headings are chapters (or, when one
`#` title sits over `##` chapters, the title and its chapters), `***` scene
breaks, `*italics*`. Pandoc-style YAML front matter gives the metadata."""

from __future__ import annotations

import re
from dataclasses import replace

from storycast import yamlfile
from storycast.model import BookMeta, Document
from storycast.text.conventions import is_scene_break
from storycast.text.readers.blocks import blocks_of, parse_html
from storycast.text.readers.layout import TextChapter, book_document, chapters_from_blocks

# Footnotes (a pandoc extension CommonMark lacks): definitions and markers are not read.
_FOOTNOTE_DEFINITION = re.compile(r"^\[\^[^\]]+\]:.*(?:\n(?:[ \t]+.*)?)*?(?=\n\S|\Z)", re.M)
_FOOTNOTE_MARK = re.compile(r"\[\^[^\]]+\]")
_FRONT = re.compile(r"\A---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*\n", re.S)


def read_markdown(text: str, source: str) -> Document:
    front, body = split_front_matter(text)
    meta = _meta(front)
    chapters, title = markdown_chapters(body, meta.title or "Chapter 1")
    if title and not meta.title:
        meta = replace(meta, title=title)
    return book_document(meta, chapters, source)


def markdown_chapters(
    body: str, untitled: str, named: bool = False
) -> tuple[list[TextChapter], str | None]:
    """Chapters, and the book title when a lone `#` heading stands over `##` ones.
    Words before the first heading are titled `untitled` (a real name when `named`)."""
    from markdown_it import MarkdownIt

    body = _scene_breaks(_FOOTNOTE_MARK.sub("", _FOOTNOTE_DEFINITION.sub("", body)))
    html = MarkdownIt("commonmark").enable("table").render(body)
    blocks = blocks_of(parse_html(html).body or parse_html(html))
    tops = [b for b in blocks if b.kind == "heading" and b.level == 1]
    title = None
    if (
        len(tops) == 1
        and blocks[0] is tops[0]
        and any(b.kind == "heading" and b.level > 1 for b in blocks)
    ):
        title, blocks = tops[0].text, blocks[1:]
    return chapters_from_blocks(blocks, title or untitled, named=named), title


def _scene_breaks(body: str) -> str:
    """Scene-break lines Markdown would misread (`~~~` opens code, `#` is an
    empty heading, `-/-/-` is a paragraph) as `***`, when they stand alone
    between blank lines."""
    lines = body.split("\n")
    for index, line in enumerate(lines):
        alone = (index == 0 or not lines[index - 1].strip()) and (
            index + 1 == len(lines) or not lines[index + 1].strip()
        )
        if alone and line.strip() and is_scene_break(line):
            lines[index] = "***"
    return "\n".join(lines)


def split_front_matter(text: str) -> tuple[dict, str]:
    match = _FRONT.match(text)
    if not match:
        return {}, text
    try:
        data = yamlfile.loads(match.group(1), "front matter", yamlfile.FRONT_MATTER_BYTES)
    except yamlfile.NotYAML:
        return {}, text
    return (data if isinstance(data, dict) else {}), text[match.end() :]


def _meta(front: dict) -> BookMeta:
    def text(*keys: str) -> str | None:
        for key in keys:
            value = front.get(key)
            if isinstance(value, list):
                value = ", ".join(str(v) for v in value)
            if value not in (None, ""):
                return " ".join(str(value).split())
        return None

    return BookMeta(
        title=text("title"),
        author=text("author", "creator"),
        series=text("series", "belongs-to-collection"),
        series_index=text("series_index", "group-position"),
        summary=text("summary", "description", "abstract"),
        language=text("lang", "language"),
        date=text("date", "year", "published"),
    )
