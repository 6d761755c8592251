"""parse: Document -> Script. Takes the document's structure (from its
reader, or found in plain text by storycast.text.outline), then splits each
paragraph into narration and quoted speech. Speakers are left to the
attribute stage."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from storycast.model import (
    Chapter,
    Document,
    Outline,
    OutlineChapter,
    Script,
    Segment,
    SegmentKind,
    Span,
)
from storycast.text.conventions import is_heading
from storycast.text.outline import outline_of_text, title_from_source
from storycast.text.paragraphs import Paragraph, split_paragraphs
from storycast.text.quotes import QuoteStyle, detect_style, split_quotes

__all__ = ["Paragraph", "is_heading", "parse", "split_paragraphs"]


def parse(document: Document) -> Script:
    """Split a story into front matter, chapters of segments, and back matter."""
    outline = document.outline or outline_of_text(document.text, document.source)
    story_title = (
        _words(document, outline.title) if outline.title else title_from_source(document.source)
    )
    texts = [[_raw(document, p.span) for p in chapter.paragraphs] for chapter in outline.chapters]
    style = detect_style(" ".join(_story_texts(document, outline, texts)))
    said = (_chapter(document, c, t, style) for c, t in zip(outline.chapters, texts))
    chapters = [chapter for chapter in said if chapter is not None]
    if outline.title is not None and chapters:
        chapters[0] = _announce_title(document, chapters[0], outline.title, outline.author)
    return Script(
        title=story_title,
        author=outline.author,
        source=document.source,
        chapters=tuple(chapters),
        front_matter=tuple(_narration(document, span) for span in outline.front_matter),
        back_matter=tuple(_narration(document, span) for span in outline.back_matter),
    )


def _story_texts(document: Document, outline: Outline, texts: list[list[str]]) -> Iterator[str]:
    """Headings and paragraphs of the story, for telling its quote style."""
    for chapter, paragraphs in zip(outline.chapters, texts):
        if chapter.heading is not None:
            yield _raw(document, chapter.heading)
        yield from paragraphs


def _chapter(
    document: Document, chapter: OutlineChapter, texts: list[str], style: QuoteStyle
) -> Chapter | None:
    """The chapter's segments (`texts`: its paragraphs' words); None when it
    has no words to say."""
    segments: list[Segment] = []
    if chapter.heading is not None:
        segments.append(_segment(document, chapter.heading, "heading"))
    unclosed = False
    scene = 0
    for number, (paragraph, text) in enumerate(zip(chapter.paragraphs, texts)):
        if paragraph.scene != scene:  # a quote never runs on over a scene break
            scene, unclosed = paragraph.scene, False
        span = paragraph.span
        pieces, unclosed = split_quotes(text, style, continues=unclosed)
        for piece in pieces:
            segments.append(
                _piece(
                    document,
                    span.start + piece.start,
                    span.start + piece.end,
                    piece.kind,
                    number,
                    scene,
                    piece.continued,
                )
            )
    if not any(s.kind != "heading" for s in segments):
        return None
    return Chapter(chapter.title, tuple(segments))


def _raw(document: Document, span: Span) -> str:
    """A span's text with newlines as spaces (so positions in it still hold)."""
    return document.text[span.start : span.end].replace("\n", " ")


def _words(document: Document, span: Span) -> str:
    return " ".join(document.text[span.start : span.end].split())


def _segment(
    document: Document,
    span: Span,
    kind: SegmentKind,
    paragraph: int = 0,
    scene: int = 0,
    continued: bool = False,
) -> Segment:
    return _piece(document, span.start, span.end, kind, paragraph, scene, continued)


def _piece(
    document: Document,
    start: int,
    end: int,
    kind: SegmentKind,
    paragraph: int = 0,
    scene: int = 0,
    continued: bool = False,
) -> Segment:
    """The segment of text[start:end] (offsets into the text, not the source)."""
    return Segment(
        kind=kind,
        text=" ".join(document.text[start:end].split()),
        start=document.source_offset(start),
        end=document.source_offset(end),
        paragraph=paragraph,
        scene=scene,
        continued=continued,
    )


def _narration(document: Document, span: Span) -> Segment:
    return _segment(document, span, "narration")


def _announce_title(
    document: Document, chapter: Chapter, title: Span, author: str | None
) -> Chapter:
    announcement = _segment(document, title, "heading")
    if author:
        announcement = replace(announcement, text=f"{announcement.text}, by {author}")
    return Chapter(chapter.title, (announcement, *chapter.segments))
