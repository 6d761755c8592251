"""A folder of chapter files, read in name order (chapter 2 before chapter
10). Each file is a chapter: .txt, .md or .html; a file's own heading titles
it, else its name does. Only regular files inside the folder are read (links
out of it, pipes and subfolders are skipped with a warning), and the
chapters together are held to one story's size limit."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from storycast.errors import InputError
from storycast.model import BookMeta, Document
from storycast.text.conventions import is_front_matter, is_heading, is_scene_break
from storycast.text.paragraphs import split_paragraphs
from storycast.text.readers import intake
from storycast.text.readers.blocks import Block
from storycast.text.readers.layout import TextChapter, book_document

CHAPTER_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".xhtml")


def read_folder(folder: Path, source: str, decode: Callable[[bytes, str], str]) -> Document:
    """`decode(bytes, source) -> str` is read.py's encoding detection."""
    from storycast.text.readers.html import chapters_of_html
    from storycast.text.readers.markdown import markdown_chapters, split_front_matter

    files = sorted(intake.folder_files(folder, CHAPTER_SUFFIXES), key=natural_key)
    if not files:
        raise InputError(
            f"{source}: the folder has no chapter files ({', '.join(CHAPTER_SUFFIXES)})"
        )
    chapters: list[TextChapter] = []
    budget = intake.MAX_BYTES
    for path in files:
        try:
            data = intake.read_chapter(path, budget)
        except intake.TooBig:
            raise intake.too_big(source, intake.MAX_BYTES, "its chapters together") from None
        budget -= len(data)
        text = decode(data, str(path))
        untitled = chapter_title_from_name(path)
        suffix = path.suffix.lower()
        if suffix in (".html", ".htm", ".xhtml"):
            found = chapters_of_html(text, untitled)
        elif suffix in (".md", ".markdown"):
            found = markdown_chapters(split_front_matter(text)[1], untitled, named=True)[0]
        else:
            found = _text_chapters(text, untitled)
        chapters.extend(found)
    meta = BookMeta(title=folder.resolve().name.replace("_", " ").replace("-", " ").title())
    return book_document(meta, chapters, source)


def natural_key(path: Path) -> list:
    """'Chapter 10' after 'Chapter 9': digit runs compare as numbers."""
    return [int(part) if part.isdigit() else part.lower() for part in re.split(r"(\d+)", path.name)]


def chapter_title_from_name(path: Path) -> str:
    stem = re.sub(r"^\d+\s*[-_. ]\s*", "", path.stem) or path.stem  # "01 - Rain" -> "Rain"
    return " ".join(stem.replace("_", " ").replace("-", " ").split()).strip() or path.stem


def _text_chapters(text: str, name: str) -> list[TextChapter]:
    """A plain-text chapter, its paragraphs found as in a .txt story: titled
    by its heading when it opens with one, else by `name`. Labelled notes
    before the heading ("A/N: ...") come first, untitled, as they would in a
    .txt story (so at the start of a book they are front matter)."""
    paragraphs = [p.clean for p in split_paragraphs(text.replace("\r\n", "\n").replace("\r", "\n"))]
    notes = 0
    while notes < len(paragraphs) and is_front_matter(paragraphs[notes]):
        notes += 1
    if notes == len(paragraphs) or is_heading(paragraphs[notes]) is None:
        notes = 0
    lead = [TextChapter(name, _blocks(paragraphs[:notes]), named=False)] if notes else []
    title = is_heading(paragraphs[notes]) if notes < len(paragraphs) else None
    body = _blocks(paragraphs[notes + (title is not None) :])
    return [*lead, TextChapter(title or name, body)] if body else lead


def _blocks(paragraphs: list[str]) -> tuple[Block, ...]:
    return tuple(Block("break") if is_scene_break(p) else Block("paragraph", p) for p in paragraphs)
