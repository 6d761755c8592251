"""A folder of chapter files, read in name order (chapter 2 before chapter
10). Each file is a chapter: .txt, .md or .html; a file's own heading titles
it, else its name does."""

from __future__ import annotations

import re
from pathlib import Path

from storycast.errors import InputError
from storycast.model import BookMeta, Document
from storycast.text.readers.blocks import SCENE_BREAK_LINE, Block, TextChapter, story_text

CHAPTER_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".xhtml")


def read_folder(folder: Path, source: str, decode) -> Document:  # noqa: ANN001
    """`decode(bytes, source) -> str` is read.py's encoding detection."""
    from storycast.text.readers.html import chapters_of_html
    from storycast.text.readers.markdown import markdown_chapters, split_front_matter

    files = sorted(
        (
            p
            for p in folder.iterdir()
            if p.is_file() and p.suffix.lower() in CHAPTER_SUFFIXES and not p.name.startswith(".")
        ),
        key=natural_key,
    )
    if not files:
        raise InputError(
            f"{source}: the folder has no chapter files ({', '.join(CHAPTER_SUFFIXES)})"
        )
    chapters: list[TextChapter] = []
    for path in files:
        text = decode(path.read_bytes(), str(path))
        untitled = chapter_title_from_name(path)
        suffix = path.suffix.lower()
        if suffix in (".html", ".htm", ".xhtml"):
            found = chapters_of_html(text, untitled)
        elif suffix in (".md", ".markdown"):
            found = markdown_chapters(split_front_matter(text)[1], untitled)[0]
        else:
            found = _text_chapters(text, untitled)
        chapters.extend(found)
    meta = BookMeta(title=folder.resolve().name.replace("_", " ").replace("-", " ").title())
    return Document(text=story_text(meta, chapters), source=source, meta=meta)


def natural_key(path: Path) -> list:
    """'Chapter 10' after 'Chapter 9': digit runs compare as numbers."""
    return [int(part) if part.isdigit() else part.lower() for part in re.split(r"(\d+)", path.name)]


def chapter_title_from_name(path: Path) -> str:
    stem = re.sub(r"^\d+\s*[-_. ]\s*", "", path.stem) or path.stem  # "01 - Rain" -> "Rain"
    return " ".join(stem.replace("_", " ").replace("-", " ").split()).strip() or path.stem


def _text_chapters(text: str, untitled: str) -> list[TextChapter]:
    """A plain-text chapter: its first line is the title when it is a heading."""
    from storycast.text.parse import is_heading

    text = text.replace("\r", "")
    separator = r"\n\s*\n" if re.search(r"\n\s*\n", text) else r"\n"  # one paragraph a line
    paragraphs = [" ".join(p.split()) for p in re.split(separator, text)]
    paragraphs = [p for p in paragraphs if p]
    title = untitled
    if paragraphs and is_heading(paragraphs[0]):
        title = is_heading(paragraphs[0]) or untitled
        paragraphs = paragraphs[1:]
    blocks = tuple(
        Block("break") if SCENE_BREAK_LINE.match(p) else Block("paragraph", p) for p in paragraphs
    )
    return [TextChapter(title, blocks)] if blocks else []
