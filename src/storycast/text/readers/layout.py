"""Chapters of blocks -> a Document with its Outline: the part every reader
of a marked-up format shares.

The Document's text is the book laid out as plain text (the title, `by
Author`, `Summary:` and `Notes:`, the front matter, then `# Title` and the
paragraphs of each chapter, `* * *` between scenes), so a reader can see what
was extracted; the Outline says where each part is in it, so parse takes the
structure as the reader found it instead of guessing it back.

Front matter is the same in every format: sections before the story titled
as a note ("Author's Note", "Disclaimer"), and labelled paragraphs ("A/N:
...") that open the book before its first titled chapter."""

from __future__ import annotations

from dataclasses import dataclass, replace

from storycast.model import BookMeta, Document, Outline, OutlineChapter, OutlineParagraph, Span
from storycast.text.conventions import (
    is_front_matter,
    is_front_matter_title,
    is_heading,
    take_back_matter,
)
from storycast.text.readers.blocks import Block, tidy

SCENE_BREAK = "* * *"


@dataclass(frozen=True)
class TextChapter:
    """A chapter as a reader found it."""

    title: str
    blocks: tuple[Block, ...]
    named: bool = True
    """False when the title is only a stand-in (words before any heading)."""


def chapters_from_blocks(
    blocks: list[Block], untitled: str, named: bool = False
) -> list[TextChapter]:
    """Split blocks at the top heading level present: each such heading opens a
    chapter; deeper headings stay inside as scene breaks. Words before the
    first heading form a chapter titled `untitled` (a real name when `named`,
    unless they are only labelled notes, which a heading's chapter never owns)."""
    levels = [b.level for b in blocks if b.kind == "heading"]
    top = min(levels) if levels else 0
    chapters: list[TextChapter] = []
    current: list[Block] = []
    title, is_named, lead = untitled, named, True
    for block in blocks:
        if block.kind == "heading" and block.level == top:
            if any(b.kind == "paragraph" for b in current):
                notes = lead and all(
                    is_front_matter(b.text) for b in current if b.kind == "paragraph"
                )
                chapters.append(TextChapter(title, tuple(tidy(current)), is_named and not notes))
            title, current, is_named, lead = block.text, [], True, False
        else:
            current.append(block)
    if any(b.kind == "paragraph" for b in current):
        chapters.append(TextChapter(title, tuple(tidy(current)), is_named))
    return chapters


def book_document(
    meta: BookMeta, chapters: list[TextChapter], source: str, notes: str = ""
) -> Document:
    """The Document of a book: its text laid out, and the Outline of it."""
    front_notes, story = _split_front_matter(chapters)
    text = _Text()
    title = text.add(_one_line(meta.title)) if meta.title else None
    if meta.author:
        text.add(f"by {_one_line(meta.author)}")
    front = [
        text.add(line)
        for line in (
            f"Summary: {_one_line(meta.summary)}" if meta.summary else "",
            f"Notes: {_one_line(notes)}" if notes else "",
            *map(_one_line, front_notes),
        )
        if line
    ]
    story_starts = len(text.spans)
    laid_out = _lay_out_chapters(text, story)
    written = text.value()
    # The end marker is looked for among all the story's lines, headings and
    # breaks too, as in a .txt story; only paragraphs become back matter.
    kept, back = take_back_matter(
        text.spans[story_starts:], lambda span: written[span.start : span.end]
    )
    story_spans = set(kept)
    paragraph_spans = {p.span for chapter in laid_out for p in chapter.paragraphs}
    outline = Outline(
        chapters=tuple(
            replace(
                chapter, paragraphs=tuple(p for p in chapter.paragraphs if p.span in story_spans)
            )
            for chapter in laid_out
        ),
        title=title,
        author=_one_line(meta.author) if meta.author else None,
        front_matter=tuple(front),
        back_matter=tuple(span for span in back if span in paragraph_spans),
    )
    return Document(text=written, source=source, meta=meta, outline=outline)


def _split_front_matter(chapters: list[TextChapter]) -> tuple[list[str], list[TextChapter]]:
    """The paragraphs of the front matter, and the chapters of the story."""
    front: list[str] = []
    for index, chapter in enumerate(chapters):
        paragraphs = [b.text for b in chapter.blocks if b.kind == "paragraph"]
        if chapter.named and is_front_matter_title(chapter.title):
            front += [_one_line(chapter.title), *paragraphs]
            continue
        if chapter.named:
            return front, chapters[index:]
        blocks = list(chapter.blocks)
        while blocks and (blocks[0].kind == "break" or _is_note(blocks[0])):
            if blocks[0].kind == "paragraph":
                front.append(blocks[0].text)
            blocks.pop(0)
        if blocks:
            return front, [replace(chapter, blocks=tuple(tidy(blocks))), *chapters[index + 1 :]]
    return front, []


def _is_note(block: Block) -> bool:
    return block.kind == "paragraph" and is_front_matter(block.text)


def _lay_out_chapters(text: _Text, chapters: list[TextChapter]) -> list[OutlineChapter]:
    laid_out: list[OutlineChapter] = []
    for number, chapter in enumerate(chapters, 1):
        title = _one_line(chapter.title) or f"Chapter {number}"
        line = text.add(f"# {title}")
        heading = Span(line.start + 2, line.end)
        paragraphs: list[OutlineParagraph] = []
        scene = 0
        for block in chapter.blocks:
            if block.kind != "paragraph":
                text.add(SCENE_BREAK)
                scene += 1
            if block.kind == "break":
                continue
            words = _sentence(block.text) if block.kind == "heading" else _one_line(block.text)
            span = text.add(words)
            found = is_heading(words)
            if found is None:
                paragraphs.append(OutlineParagraph(span, scene))
                continue
            # A chapter heading written as a paragraph ("Chapter 2") opens a chapter.
            laid_out.append(OutlineChapter(title, heading, tuple(paragraphs)))
            at = span.start + max(words.find(found), 0)
            title, heading, paragraphs, scene = found, Span(at, at + len(found)), [], 0
        laid_out.append(OutlineChapter(title, heading, tuple(paragraphs)))
    return laid_out


class _Text:
    """The document's text, written paragraph by paragraph, blank lines between."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._length = 0
        self.spans: list[Span] = []
        """Every paragraph written, in order."""

    def add(self, paragraph: str) -> Span:
        if self._parts:
            self._parts.append("\n\n")
            self._length += 2
        self._parts.append(paragraph)
        self._length += len(paragraph)
        self.spans.append(Span(self._length - len(paragraph), self._length))
        return self.spans[-1]

    def value(self) -> str:
        return "".join(self._parts) + "\n"


def _sentence(text: str) -> str:
    text = _one_line(text)
    return text if text.endswith((".", "!", "?")) else f"{text}."


def _one_line(text: str) -> str:
    return " ".join(text.split())
