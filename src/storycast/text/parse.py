"""parse: Document -> Script. Finds front matter, the title, chapters, scene
breaks and the end marker, then splits each paragraph into narration and
quoted speech. Speakers are left to the attribute stage."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from storycast.model import Chapter, Document, Script, Segment
from storycast.text.quotes import QuoteStyle, detect_style, split_quotes

_NUMBER = (
    r"(?:\d+|[ivxlcdm]+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|"
    r"twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty"
    r"(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?|thirty|forty|fifty)"
)
_HEADING = re.compile(
    rf"^(?:(?:chapter|part|book)\s+{_NUMBER}\b\.?(?:\s*[:.\-–—]\s*.*|\s+[A-Z\"'“‘].*)?"
    r"|(?:prologue|epilogue|interlude|afterword|foreword)\b(?:\s*[:.\-–—]\s*.*)?)$",
    re.IGNORECASE,
)
_MARKDOWN_HEADING = re.compile(r"^#{1,6}\s+(\S.*?)\s*#*$")
_SCENE_BREAK = re.compile(r"^(?:[-*~=_#/\\+.•·°oOxX0]\s*){3,}$|^[#*~]$")
# Decoration around the marker, but no quote marks: `End."` closes a wrapped quote.
_END_MARKER = re.compile(r"^[-*~=_#.\s(\[]*(?:fin|the end|end)[-*~=_#.!\s)\]]*$", re.IGNORECASE)
_MAX_BACK_MATTER = 12
"""An end marker counts only with at most this many paragraphs after it."""
_FRONT_MATTER = re.compile(
    r"^\W*(?:A\s*/\s*N|AN|Author'?s'?\s+Notes?|Notes?|Disclaimer|Summary|Rating|Pairings?|"
    r"Warnings?|Spoilers?|Word\s*count|Fandom|Characters|Category|Genre|Status|Published|"
    r"Updated|Dedication|Beta)\b\s*[:\-–—.]",
    re.IGNORECASE,
)
_AUTHOR_NOTE = re.compile(r"^\W*(?:A\s*/\s*N|Author'?s'?\s+Notes?)\b", re.IGNORECASE)
_TITLE_FIELD = re.compile(r"^\s*Title\s*:\s*(.+)$", re.IGNORECASE)
_AUTHOR_FIELD = re.compile(r"^\s*(?:by|author\s*:|written by)\s+(.{1,80})$", re.IGNORECASE)
_MAX_HEADING_CHARS = 90


@dataclass(frozen=True)
class Paragraph:
    start: int
    end: int
    text: str
    """The paragraph with inner newlines as spaces (same length as the source)."""

    @property
    def clean(self) -> str:
        return " ".join(self.text.split())


def parse(document: Document) -> Script:
    """Split a story into front matter, chapters of segments, and back matter."""
    paragraphs = split_paragraphs(document.text)
    front, title, author, body = _take_front_matter(paragraphs)
    body, back = _take_back_matter(body)
    style = detect_style(" ".join(p.text for p in body))
    story_title = title.clean if title else _title_from_source(document.source)
    chapters = _build_chapters(document, body, style, story_title)
    if title is not None and chapters:
        chapters[0] = _announce_title(document, chapters[0], title, author)
    return Script(
        title=story_title,
        author=author,
        source=document.source,
        chapters=tuple(chapters),
        front_matter=tuple(_narration(document, p, 0, 0) for p in front),
        back_matter=tuple(_narration(document, p, 0, 0) for p in back),
    )


def split_paragraphs(text: str) -> list[Paragraph]:
    """Paragraphs are blocks between blank lines; in text with long lines
    (one paragraph per line) every line is a paragraph of its own."""
    lines = [
        (m.start(), m.end())
        for m in re.finditer(r"[^\n]*", text)
        if m.start() < m.end() or m.start() == len(text)
    ]
    lines = [(s, e) for s, e in lines if text[s:e].strip()]
    if not lines:
        return []
    wrap = _wrap_width([e - s for s, e in lines])
    paragraphs: list[Paragraph] = []
    start, end = lines[0]
    for next_start, next_end in lines[1:]:
        gap = text[end:next_start]
        joined = (
            gap.count("\n") == 1
            and wrap
            and (end - start) >= 0.6 * wrap
            and not _is_structural(text[start:end].strip())
            and not _is_structural(text[next_start:next_end].strip())
        )
        if joined:
            end = next_end
            continue
        paragraphs.append(_paragraph(text, start, end))
        start, end = next_start, next_end
    paragraphs.append(_paragraph(text, start, end))
    return paragraphs


def _wrap_width(lengths: list[int]) -> int:
    """The hard-wrap width of the text, or 0 when lines are not wrapped."""
    ordered = sorted(lengths)
    p95 = ordered[int(0.95 * (len(ordered) - 1))]
    return p95 if 40 <= p95 <= 100 and len(ordered) >= 10 else 0


def _paragraph(text: str, start: int, end: int) -> Paragraph:
    raw = text[start:end]
    stripped = raw.strip()
    start += raw.index(stripped[0])
    end = start + len(stripped)
    return Paragraph(start, end, stripped.replace("\n", " "))


def _is_structural(line: str) -> bool:
    return bool(is_heading(line) or _SCENE_BREAK.match(line) or _END_MARKER.match(line))


def is_heading(line: str) -> str | None:
    """The chapter title if the line is a chapter heading, else None."""
    line = line.strip()
    if len(line) > _MAX_HEADING_CHARS:
        return None
    markdown = _MARKDOWN_HEADING.match(line)
    if markdown:
        return markdown.group(1)
    if _HEADING.match(line) and not line.endswith((",", ";")):
        return line.rstrip(".").strip()
    return None


def _take_front_matter(paragraphs: list[Paragraph]):
    """Author's notes, disclaimer, title and author line at the top."""
    front: list[Paragraph] = []
    title: Paragraph | None = None
    author: str | None = None
    index = 0
    while index < len(paragraphs):
        paragraph = paragraphs[index]
        text = paragraph.clean
        title_field = _TITLE_FIELD.match(text)
        author_field = _AUTHOR_FIELD.match(text)
        if title_field and title is None:
            title = Paragraph(
                paragraph.start + paragraph.text.index(title_field.group(1)),
                paragraph.end,
                title_field.group(1),
            )
            front.append(paragraph)
        elif author_field and author is None and len(text.split()) <= 10:
            author = author_field.group(1).strip()
        elif _FRONT_MATTER.match(text):
            front.append(paragraph)
        elif title is None and _looks_like_title(text):
            title = paragraph
        else:
            break
        index += 1
    return front, title, author, paragraphs[index:]


def _looks_like_title(text: str) -> bool:
    return (
        len(text) <= 100
        and len(text.split()) <= 14
        and not is_heading(text)
        and not _SCENE_BREAK.match(text)
        and not re.search(r"[\"“”]", text)
        and not text.startswith(("'", "‘"))
        and (not text.endswith((".", ",", ";", ":")) or text.endswith("..."))
    )


def _take_back_matter(body: list[Paragraph]):
    """Everything from the end marker on, and closing author's notes."""
    for index, paragraph in enumerate(body):
        if _END_MARKER.match(paragraph.clean) and len(body) - index - 1 <= _MAX_BACK_MATTER:
            return body[:index], body[index + 1 :]
    end = len(body)
    while end > 0 and _AUTHOR_NOTE.match(body[end - 1].clean):
        end -= 1
    return body[:end], body[end:]


def _build_chapters(
    document: Document, body: list[Paragraph], style: QuoteStyle, story_title: str
) -> list[Chapter]:
    has_headings = any(is_heading(p.clean) for p in body)
    chapters: list[Chapter] = []
    title: str | None = None if has_headings else story_title
    segments: list[Segment] = []
    paragraph_number = scene = 0
    unclosed = False

    def close_chapter() -> None:
        nonlocal segments, paragraph_number, scene
        if any(s.kind != "heading" for s in segments):
            chapters.append(Chapter(title or story_title, tuple(segments)))
        segments, paragraph_number, scene = [], 0, 0

    for paragraph in body:
        heading = is_heading(paragraph.clean)
        if heading is not None:
            close_chapter()
            title = heading
            at = paragraph.text.find(heading)  # "# Title" is read as "Title"
            at, end = (at, at + len(heading)) if at >= 0 else (0, len(paragraph.text))
            segments.append(_segment(document, paragraph, "heading", at, end, 0, 0))
            unclosed = False
        elif _SCENE_BREAK.match(paragraph.clean):
            if has_headings:
                scene += 1
            else:
                close_chapter()
            unclosed = False
        else:
            pieces, unclosed = split_quotes(paragraph.text, style, continues=unclosed)
            for piece in pieces:
                segments.append(
                    _segment(
                        document,
                        paragraph,
                        piece.kind,
                        piece.start,
                        piece.end,
                        paragraph_number,
                        scene,
                        piece.continued,
                    )
                )
            paragraph_number += 1
    close_chapter()
    if not has_headings and len(chapters) > 1:
        chapters = [Chapter(f"Part {n}", c.segments) for n, c in enumerate(chapters, 1)]
    return chapters


def _segment(
    document: Document,
    paragraph: Paragraph,
    kind: str,
    start: int,
    end: int,
    paragraph_number: int,
    scene: int,
    continued: bool = False,
) -> Segment:
    return Segment(
        kind=kind,  # type: ignore[arg-type]
        text=" ".join(paragraph.text[start:end].split()),
        start=document.source_offset(paragraph.start + start),
        end=document.source_offset(paragraph.start + end),
        paragraph=paragraph_number,
        scene=scene,
        continued=continued,
    )


def _narration(document: Document, paragraph: Paragraph, number: int, scene: int) -> Segment:
    return _segment(document, paragraph, "narration", 0, len(paragraph.text), number, scene)


def _announce_title(
    document: Document, chapter: Chapter, title: Paragraph, author: str | None
) -> Chapter:
    announcement = _segment(document, title, "heading", 0, len(title.text), 0, 0)
    if author:
        announcement = Segment(**{**announcement.__dict__, "text": f"{title.clean}, by {author}"})
    return Chapter(chapter.title, (announcement, *chapter.segments))


def _title_from_source(source: str) -> str:
    stem = Path(source).stem.replace("_", " ").replace("-", " ").strip()
    return stem.title() if stem else "Untitled"
