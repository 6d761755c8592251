"""The story's values: a decoded document, its script of segments, the cast."""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field
from typing import Literal

SegmentKind = Literal["heading", "narration", "speech", "thought"]
Gender = Literal["male", "female", "unknown"]
NARRATOR = "narrator"


@dataclass(frozen=True)
class BookMeta:
    """What a book says about itself (EPUB metadata, an archive's header)."""

    title: str | None = None
    author: str | None = None
    series: str | None = None
    series_index: str | None = None
    """The book's number in its series, as written ("2", "2.5")."""
    summary: str | None = None
    language: str | None = None
    """A language tag such as "en" or "en-GB"."""
    cover: bytes | None = None
    """The cover image's bytes, when the source has one."""
    cover_type: str | None = None
    """The cover's media type ("image/jpeg", "image/png")."""


@dataclass(frozen=True)
class Span:
    """A stretch of `Document.text`."""

    start: int
    """Offset in `Document.text` of the first character."""
    end: int
    """Offset in `Document.text` just past the last character."""


@dataclass(frozen=True)
class OutlineParagraph:
    """One paragraph of story text, `*italics*` kept as the reader marked them."""

    span: Span
    """Where the paragraph is in `Document.text`."""
    scene: int = 0
    """Scene number within the chapter: one more after each scene break."""


@dataclass(frozen=True)
class OutlineChapter:
    """A chapter as the source marks it."""

    title: str
    """The chapter's title (its heading's words, or a name the reader gave it)."""
    heading: Span | None
    """Where the heading is in `Document.text`; None when the title is not in it."""
    paragraphs: tuple[OutlineParagraph, ...]
    """The story paragraphs, in order."""


@dataclass(frozen=True)
class Outline:
    """A document's structure: what the reader found (or parse guessed from
    plain text), so nothing has to be guessed twice."""

    chapters: tuple[OutlineChapter, ...]
    """The story, chapter by chapter."""
    title: Span | None = None
    """Where the book's title is in `Document.text`, announced before chapter 1."""
    author: str | None = None
    """The author's name, announced with the title."""
    front_matter: tuple[Span, ...] = ()
    """Author's notes, disclaimer, summary: paragraphs before the story."""
    back_matter: tuple[Span, ...] = ()
    """Paragraphs after the end marker, and closing author's notes."""


@dataclass(frozen=True)
class Document:
    """A story's text after decoding, with a way back to source offsets."""

    text: str
    """The text with newlines normalised to LF."""
    source: str
    """Where the text came from, as the user named it."""
    crlf: tuple[int, ...] = ()
    """Positions in `text` of newlines that were two characters (CRLF) in the
    source, sorted: enough to map any offset back, at a few bytes per line."""
    meta: BookMeta = field(default_factory=BookMeta)
    """Metadata from formats that carry it (EPUB, HTML, Markdown front matter).
    For those formats `text` is the extracted plain text and offsets point into it."""
    outline: Outline | None = None
    """The structure, from readers of formats that mark it; None for plain
    text, whose structure the parse stage finds."""

    def source_offset(self, index: int) -> int:
        """Offset in the decoded source of position `index` in `text`."""
        return index + bisect_left(self.crlf, index) if self.crlf else index


@dataclass(frozen=True)
class Segment:
    """One stretch of text spoken by one voice."""

    kind: SegmentKind
    text: str
    """The words to say, without quote marks."""
    start: int
    """Offset of the first character in the decoded source."""
    end: int
    """Offset just past the last character in the decoded source."""
    speaker: str = NARRATOR
    confidence: float = 1.0
    rule: str = ""
    """The attribution rule that chose the speaker ("" for narration)."""
    paragraph: int = 0
    """Paragraph number within the chapter; pauses grow between paragraphs."""
    scene: int = 0
    """Scene number within the chapter; scene breaks get the longest pauses."""
    continued: bool = False
    """Speech that continues the previous paragraph's unclosed quote."""
    emphasis: tuple[tuple[int, int], ...] = ()
    """Italic spans as (start, end) offsets into `text`."""

    @property
    def spoken(self) -> bool:
        """Said or thought by a character (speech or thought), not narrated."""
        return self.kind in ("speech", "thought")

    @property
    def voiced_by(self) -> str:
        """Whose voice reads it: the speaker's when spoken, else the narrator's."""
        return self.speaker if self.spoken else NARRATOR


@dataclass(frozen=True)
class Chapter:
    title: str
    segments: tuple[Segment, ...]


@dataclass(frozen=True)
class Character:
    name: str
    aliases: tuple[str, ...] = ()
    gender: Gender = "unknown"
    voice: str | None = None
    """A voice profile name; None means: pick one by gender."""


@dataclass(frozen=True)
class ThoughtStyle:
    """How thoughts differ from speech in the thinker's voice: quieter and closer."""

    volume: float = 0.7
    """Factor on the voice's volume."""
    rate: float = 0.95
    """Factor on the voice's words per minute."""
    pitch: int = -4
    """Added to the voice's pitch (0 to 100 scale)."""


@dataclass(frozen=True)
class Cast:
    narrator: str = NARRATOR
    """The voice profile for narration."""
    characters: tuple[Character, ...] = ()
    thought: ThoughtStyle = field(default_factory=ThoughtStyle)
    """How thoughts (unquoted italics) are voiced."""

    def find(self, name: str) -> Character | None:
        for character in self.characters:
            if character.name == name:
                return character
        return None


@dataclass(frozen=True)
class Script:
    """A story as segments with speakers: what `tag` writes and `render` reads."""

    title: str
    source: str
    chapters: tuple[Chapter, ...]
    author: str | None = None
    front_matter: tuple[Segment, ...] = ()
    """Author's notes and disclaimer before the story (not read by default)."""
    back_matter: tuple[Segment, ...] = ()
    """Closing notes after the end marker (not read by default)."""
    cast: Cast = field(default_factory=Cast)
    meta: BookMeta = field(default_factory=BookMeta)
    """Series, summary, language and cover, for tags, the M4B and the feed."""
