"""One short story with an author's note and a disclaimer, as text, Markdown,
HTML, EPUB and a folder of chapters: the note and disclaimer are front matter
in every format (never a chapter), the chapters, segments and speakers agree,
and every segment's offsets point at its words in the text the reader kept."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from storycast.model import Script, Segment
from storycast.render import load_script
from storycast.text.emphasis import strip_markers
from storycast.text.read import read

TITLE, AUTHOR = "The Late Bus", "Ann Writer"
NOTE, DISCLAIMER = "Thanks to my beta, who fixed the commas.", "I own nothing."
CHAPTERS = [
    (
        "Chapter 1: The Stop",
        [
            "Rain drummed on the shelter. Nell checked the timetable.",
            '"It is late," said Nell.',
            "***",
            '"Patience," said Tom. *She never waits.*',
        ],
    ),
    (
        "Chapter 2: The Ride",
        ["The bus came at last.", '"Two singles," said Tom.', '"Keep the change," Nell said.'],
    ),
]


def _txt(path: Path) -> Path:
    parts = [TITLE, f"by {AUTHOR}", f"Author's note: {NOTE}", f"Disclaimer: {DISCLAIMER}"]
    for title, paragraphs in CHAPTERS:
        parts += [title, *("* * *" if p == "***" else p for p in paragraphs)]
    path.write_text("\r\n\r\n".join(parts) + "\r\n", encoding="utf-8", newline="")
    return path


def _md(path: Path) -> Path:
    parts = [f"---\ntitle: {TITLE}\nauthor: {AUTHOR}\n---", f"A/N: {NOTE}"]
    parts.append(f"Disclaimer: {DISCLAIMER}")
    for title, paragraphs in CHAPTERS:
        parts += [f"# {title}", *paragraphs]
    path.write_text("\n\n".join(parts) + "\n", encoding="utf-8")
    return path


def _paragraphs_html(paragraphs: list[str]) -> str:
    return "".join(
        "<hr/>"
        if p == "***"
        else "<p>" + re.sub(r"\*(.+?)\*", r"<i>\1</i>", html.escape(p, quote=False)) + "</p>"
        for p in paragraphs
    )


def _note_html() -> str:
    return f"<p>{NOTE}</p><p>Disclaimer: {DISCLAIMER}</p>"


def _html(path: Path) -> Path:
    chapters = "".join(f"<h2>{t}</h2>{_paragraphs_html(p)}" for t, p in CHAPTERS)
    path.write_text(
        f'<html><head><meta name="author" content="{AUTHOR}"/></head><body>'
        f"<h1>{TITLE}</h1><h2>Author\u2019s Note</h2>{_note_html()}{chapters}</body></html>",
        encoding="utf-8",
    )
    return path


def _epub(path: Path, note_in_first_chapter: str = "") -> Path:
    """The note as its own spine document, or in chapter 1's document before
    its heading: under a heading of its own ("heading") or as labelled
    paragraphs ("labels")."""
    from ebooklib import epub

    book = epub.EpubBook()
    book.set_identifier("front-matter-test")
    book.set_title(TITLE)
    book.add_author(AUTHOR)
    note = f"<h1>Author's Note</h1>{_note_html()}"
    if note_in_first_chapter == "labels":
        note = f"<p>A/N: {NOTE}</p><p>Disclaimer: {DISCLAIMER}</p>"
    documents = []
    if not note_in_first_chapter:
        documents.append(epub.EpubHtml(title="Author's Note", file_name="note.xhtml"))
        documents[0].content = f"<html><body>{note}</body></html>"
    for number, (title, paragraphs) in enumerate(CHAPTERS, 1):
        document = epub.EpubHtml(title=title, file_name=f"c{number}.xhtml")
        before = note if note_in_first_chapter and number == 1 else ""
        document.content = (
            f"<html><body>{before}<h1>{title}</h1>{_paragraphs_html(paragraphs)}</body></html>"
        )
        documents.append(document)
    for document in documents:
        book.add_item(document)
    book.toc = documents
    book.add_item(epub.EpubNcx())
    book.add_item(epub.EpubNav())
    book.spine = ["nav", *documents]
    epub.write_epub(str(path), book)
    return path


def _folder(path: Path, note_in_first_file: bool = False) -> Path:
    """The note as a file of its own, or atop the first chapter's file."""
    path.mkdir()
    note = f"A/N: {NOTE}\n\nDisclaimer: {DISCLAIMER}\n"
    if not note_in_first_file:
        (path / "00 - Author's note.txt").write_text(note.removeprefix("A/N: "), encoding="utf-8")
    for number, (title, paragraphs) in enumerate(CHAPTERS, 1):
        lines = [title, *("* * *" if p == "***" else p for p in paragraphs)]
        text = "\n\n".join(lines) + "\n"
        if note_in_first_file and number == 1:
            text = f"{note}\n{text}"
        (path / f"{number:02} - part.txt").write_text(text, encoding="utf-8")
    return path


BUILDERS = {
    "story.txt": _txt,
    "story.md": _md,
    "story.html": _html,
    "story.epub": _epub,
    "note-heading-in-chapter.epub": lambda path: _epub(path, note_in_first_chapter="heading"),
    "note-labels-in-chapter.epub": lambda path: _epub(path, note_in_first_chapter="labels"),
    "story": _folder,
    "note-in-first-file": lambda path: _folder(path, note_in_first_file=True),
}


@pytest.fixture(params=sorted(BUILDERS))
def story(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    return BUILDERS[request.param](tmp_path / request.param)


def _story_segments(script: Script) -> list[tuple[str, list]]:
    """Chapter titles and their segments (kind, speaker, words), title announcement aside."""
    return [
        (
            chapter.title,
            [
                (s.kind, s.speaker, s.text, s.paragraph, s.scene)
                for s in chapter.segments
                if s.kind != "heading"
            ],
        )
        for chapter in script.chapters
    ]


def test_note_and_disclaimer_are_front_matter_in_every_format(story: Path, tmp_path: Path) -> None:
    script = load_script(story)
    front = " ".join(s.text for s in script.front_matter)
    assert NOTE in front and DISCLAIMER in front
    assert [c.title for c in script.chapters] == [title for title, _ in CHAPTERS]
    story_words = " ".join(s.text for c in script.chapters for s in c.segments)
    assert "beta" not in story_words and "own nothing" not in story_words
    expected = load_script(_txt(tmp_path / "expected.txt"))
    assert _story_segments(script) == _story_segments(expected)
    speakers = {s.speaker for c in script.chapters for s in c.segments if s.kind == "speech"}
    assert speakers == {"Nell", "Tom"}


def _words_at(text: str, segment: Segment) -> str:
    return strip_markers(" ".join(text[segment.start : segment.end].split()))[0]


def test_offsets_point_at_each_segments_words(story: Path) -> None:
    """`tag --json` offsets index the decoded source of a .txt story, and the
    reader's extracted text (Document.text) for every other format."""
    document = read(story)
    text = story.read_bytes().decode() if story.suffix == ".txt" else document.text
    script = load_script(story)
    segments = [
        *script.front_matter,
        *script.back_matter,
        *(s for c in script.chapters for s in c.segments),
    ]
    assert len(segments) > 10
    for segment in segments:
        words = _words_at(text, segment)
        if segment.kind == "heading" and segment.text.endswith(f", by {AUTHOR}"):
            assert segment.text == f"{words}, by {AUTHOR}"  # the title, announced with its author
        else:
            assert words == segment.text
