"""The conventions (headings, scene breaks, titles, front-matter labels) that
readers and parse share, the Outline that plain text gets from parse and
that readers hand over, and the layering between them."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from storycast.model import BookMeta, Document, Span
from storycast.text import conventions
from storycast.text.outline import outline_of_text
from storycast.text.parse import parse
from storycast.text.read import read
from storycast.text.readers.blocks import Block
from storycast.text.readers.layout import TextChapter, book_document, chapters_from_blocks

SRC = Path(__file__).resolve().parents[1] / "src" / "storycast" / "text"


@pytest.mark.parametrize("line", ["* * *", "~~~", "-/-/-", "oOo", "#", "§", "<><><>", "◇ ◇ ◇"])
def test_scene_break_lines(line: str) -> None:
    assert conventions.is_scene_break(line)


@pytest.mark.parametrize("line", ["Oh.", "No!", "—", "xo", "A long night."])
def test_not_scene_breaks(line: str) -> None:
    assert not conventions.is_scene_break(line)


@pytest.mark.parametrize("line", ["<><><>", "§"])
def test_one_scene_break_rule_in_text_and_html(tmp_path: Path, line: str) -> None:
    story = tmp_path / "story.txt"
    story.write_text(f"Chapter 1\n\nGene sat.\n\n{line}\n\nAlex stood.\n", encoding="utf-8")
    page = tmp_path / "story.html"
    page.write_text(f"<h1>Chapter 1</h1><p>Gene sat.</p><p>{line}</p><p>Alex stood.</p>")
    for path in (story, page):
        segments = [s for c in parse(read(path)).chapters for s in c.segments]
        assert [(s.text, s.scene) for s in segments if s.kind == "narration"] == [
            ("Gene sat.", 0),
            ("Alex stood.", 1),
        ]


def test_front_matter_labels_and_titles() -> None:
    assert conventions.is_front_matter("A/N: thanks for reading")
    assert conventions.is_front_matter("Disclaimer: not mine.")
    assert not conventions.is_front_matter("Notes were passed in class.")
    for title in ("Author's Note", "Author\u2019s Notes", "A/N", "Disclaimer", "Content warnings"):
        assert conventions.is_front_matter_title(title)
    for title in ("Chapter 1", "The Author's Notebook", "Beta Test"):
        assert not conventions.is_front_matter_title(title)


def test_titles_and_sameness() -> None:
    assert conventions.looks_like_title("The Quiet Tab")
    assert not conventions.looks_like_title("Chapter 3")
    assert not conventions.looks_like_title('"Hello," she said.')
    assert conventions.same("The Quiet Tab!", "the quiet  tab")
    assert not conventions.same("The Quiet Tab", "The Loud Tab")


def test_plain_text_outline_spans_hold_their_words() -> None:
    text = (
        "The Tab\n\nby Ann\n\nA/N: thanks.\n\nChapter 1: Rain\n\nGene sat.\n\n* * *\n\n"
        "Alex stood.\n\nThe End\n\nA/N: bye."
    )
    outline = outline_of_text(text, "tab.txt")

    def words(span: Span) -> str:
        return text[span.start : span.end]

    assert words(outline.title) == "The Tab" and outline.author == "Ann"
    assert [words(s) for s in outline.front_matter] == ["A/N: thanks."]
    assert [words(s) for s in outline.back_matter] == ["A/N: bye."]
    (chapter,) = outline.chapters
    assert (chapter.title, words(chapter.heading)) == ("Chapter 1: Rain", "Chapter 1: Rain")
    assert [(words(p.span), p.scene) for p in chapter.paragraphs] == [
        ("Gene sat.", 0),
        ("Alex stood.", 1),
    ]


def test_book_document_outline() -> None:
    chapters = [
        TextChapter("Author's Note", (Block("paragraph", "Thanks."),)),
        TextChapter(
            "Rain",
            (
                Block("paragraph", "Gene sat."),
                Block("break"),
                Block("paragraph", "*Wet,* he thought."),
                Block("paragraph", "Chapter 2"),  # a heading written as a paragraph
                Block("paragraph", "Alex stood."),
                Block("paragraph", "THE END"),
                Block("paragraph", "Kudos welcome."),
            ),
        ),
    ]
    document = book_document(BookMeta(title="Tab", summary="Two wait."), chapters, "tab")
    outline = document.outline
    assert outline is not None

    def words(span: Span) -> str:
        return document.text[span.start : span.end]

    assert words(outline.title) == "Tab"
    assert [words(s) for s in outline.front_matter] == [
        "Summary: Two wait.",
        "Author's Note",
        "Thanks.",
    ]
    assert [words(s) for s in outline.back_matter] == ["Kudos welcome."]
    assert [(c.title, words(c.heading)) for c in outline.chapters] == [
        ("Rain", "Rain"),
        ("Chapter 2", "Chapter 2"),
    ]
    assert [[(words(p.span), p.scene) for p in c.paragraphs] for c in outline.chapters] == [
        [("Gene sat.", 0), ("*Wet,* he thought.", 1)],
        [("Alex stood.", 0)],
    ]


def test_parse_takes_the_outline_not_the_words() -> None:
    """With an outline, a line that reads like a heading in the text is not one."""
    plain = Document(text="Chapter 9\n\nGene sat.\n", source="x.txt")
    assert [c.title for c in parse(plain).chapters] == ["Chapter 9"]
    laid_out = book_document(
        BookMeta(), [TextChapter("One", (Block("paragraph", "Gene sat."),))], "x"
    )
    assert [c.title for c in parse(laid_out).chapters] == ["One"]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def test_readers_import_nothing_above_them() -> None:
    above = {"storycast.text.parse", "storycast.text.read", "storycast.text.outline"}
    for path in sorted((SRC / "readers").glob("*.py")):
        assert not _imports(path) & above, path.name
    for shared in ("conventions.py", "paragraphs.py"):
        assert not {m for m in _imports(SRC / shared) if m.startswith("storycast.text.readers")}


def test_only_notes_before_the_first_heading_lose_their_name() -> None:
    blocks = [
        Block("paragraph", "A/N: thanks."),
        Block("heading", "Chapter 1", 1),
        Block("paragraph", "Note: the door was locked."),
        Block("heading", "Chapter 2", 1),
        Block("paragraph", "Gene sat."),
    ]
    chapters = chapters_from_blocks(blocks, "Rain", named=True)
    assert [(c.title, c.named) for c in chapters] == [
        ("Rain", False),
        ("Chapter 1", True),
        ("Chapter 2", True),
    ]
