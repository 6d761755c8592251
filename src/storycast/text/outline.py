"""The structure of plain text, found from its words: front matter, the
title and author, chapters under headings, scene breaks and the end marker.
Readers of formats that mark their structure hand over an Outline instead,
so only plain text comes here."""

from __future__ import annotations

import re
from pathlib import Path

from storycast.model import Outline, OutlineChapter, OutlineParagraph, Span
from storycast.text.conventions import (
    is_front_matter,
    is_heading,
    is_scene_break,
    looks_like_title,
    take_back_matter,
)
from storycast.text.paragraphs import Paragraph, split_paragraphs

_TITLE_FIELD = re.compile(r"^\s*Title\s*:\s*(.+)$", re.IGNORECASE)
_AUTHOR_FIELD = re.compile(r"^\s*(?:by|author\s*:|written by)\s+(.{1,80})$", re.IGNORECASE)


def outline_of_text(text: str, source: str) -> Outline:
    """The Outline of a plain-text story; offsets point into `text`."""
    paragraphs = split_paragraphs(text)
    front, title, author, body = _take_front_matter(paragraphs)
    body, back = take_back_matter(body, lambda p: p.clean)
    story_title = " ".join(text[title.start : title.end].split()) if title else None
    return Outline(
        chapters=_chapters(body, story_title or title_from_source(source)),
        title=title,
        author=author,
        front_matter=tuple(Span(p.start, p.end) for p in front),
        back_matter=tuple(Span(p.start, p.end) for p in back),
    )


def title_from_source(source: str) -> str:
    """A title made from the file name, for a story that states none."""
    stem = Path(source).stem.replace("_", " ").replace("-", " ").strip()
    return stem.title() if stem else "Untitled"


def _take_front_matter(
    paragraphs: list[Paragraph],
) -> tuple[list[Paragraph], Span | None, str | None, list[Paragraph]]:
    """Author's notes, disclaimer, title and author line at the top."""
    front: list[Paragraph] = []
    title: Span | None = None
    author: str | None = None
    index = 0
    while index < len(paragraphs):
        paragraph = paragraphs[index]
        text = paragraph.clean
        title_field = _TITLE_FIELD.match(text)
        author_field = _AUTHOR_FIELD.match(text)
        if title_field and title is None:
            value = title_field.group(1)
            at = paragraph.start + paragraph.text.index(value)
            title = Span(at, at + len(value))
            front.append(paragraph)
        elif author_field and author is None and len(text.split()) <= 10:
            author = author_field.group(1).strip()
        elif is_front_matter(text):
            front.append(paragraph)
        elif title is None and looks_like_title(text):
            title = Span(paragraph.start, paragraph.end)
        else:
            break
        index += 1
    return front, title, author, paragraphs[index:]


def _chapters(body: list[Paragraph], story_title: str) -> tuple[OutlineChapter, ...]:
    """Chapters at headings; without headings, scene breaks divide the story
    into parts (one part keeps the story's title)."""
    cleaned = [p.clean for p in body]
    headings = [is_heading(text) for text in cleaned]
    has_headings = any(found is not None for found in headings)
    chapters: list[OutlineChapter] = []
    title: str | None = None if has_headings else story_title
    heading: Span | None = None
    paragraphs: list[OutlineParagraph] = []
    scene = 0
    worded = False  # a chapter of paragraphs without a single word is dropped

    def close_chapter() -> None:
        nonlocal paragraphs, scene, worded
        if worded:
            chapters.append(OutlineChapter(title or story_title, heading, tuple(paragraphs)))
        paragraphs, scene, worded = [], 0, False

    for paragraph, clean, found in zip(body, cleaned, headings):
        if found is not None:
            close_chapter()
            title, heading = found, _heading_span(paragraph, found)
        elif is_scene_break(clean):
            if has_headings:
                scene += 1
            else:
                close_chapter()
        else:
            paragraphs.append(OutlineParagraph(Span(paragraph.start, paragraph.end), scene))
            worded = worded or any(ch.isalnum() for ch in paragraph.text)
    close_chapter()
    if not has_headings and len(chapters) > 1:
        return tuple(
            OutlineChapter(f"Part {n}", c.heading, c.paragraphs) for n, c in enumerate(chapters, 1)
        )
    return tuple(chapters)


def _heading_span(paragraph: Paragraph, title: str) -> Span:
    """The heading's words in its paragraph ("# Title" is read as "Title")."""
    at = paragraph.text.find(title)
    if at < 0:
        return Span(paragraph.start, paragraph.end)
    return Span(paragraph.start + at, paragraph.start + at + len(title))
