"""The sound's values: voices, lines and clips, chapter audio and parts, the book."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from storycast.model.story import Segment

PresetName = Literal["acx", "podcast"]
"""The mastering presets (audio.master.PRESETS)."""
EpisodesPer = Literal["auto", "chapter", "story"]
"""A feed's episodes: per chapter, per story, or per chapter when a story has several."""
Advance = Callable[[int], None]
"""advance(n): n more units of a long task are done (a progress bar's step)."""
ProgressFactory = Callable[[str, int], Advance]
"""progress(description, total) -> advance: how stages report long work."""


@dataclass(frozen=True)
class VoiceProfile:
    """How one voice sounds: an engine, its voice id and settings."""

    name: str
    engine: str = "espeak"
    voice: str = "gmw/en-GB-x-rp"
    """The engine's own voice id."""
    variant: str | None = None
    """An espeak-ng voice variant (e.g. m3, f2, Gene)."""
    rate: int = 165
    """Words per minute."""
    pitch: int = 50
    """Engine pitch, 0 to 100."""
    volume: float = 1.0
    """0.0 to 1.0."""
    description: str = ""
    # Neural (Piper) settings; engines without the idea ignore them.
    speaker: int | str | None = None
    """A speaker number (or name) in a multi-speaker model; None: the model's default."""
    length_scale: float | None = None
    """Phoneme length: above 1 speaks slower, below 1 faster; None: the model's own."""
    noise_scale: float | None = None
    """How much the voice varies from one phoneme to the next; None: the model's own."""
    noise_w: float | None = None
    """How much phoneme durations vary (rhythm); None: the model's own."""
    pitch_shift: float = 0.0
    """Semitones to move the pitch after synthesis, formants kept (timbre)."""
    formant_shift: float = 0.0
    """Semitones to move the formants (vocal tract size) after synthesis:
    up sounds smaller and younger, down bigger and older."""
    tilt: float = 0.0
    """dB: above 0 brighter (the lows cut), below 0 darker (the highs cut)."""


@dataclass(frozen=True)
class Line:
    """One utterance for the engine: a segment in its voice, made speakable."""

    chapter: int
    segment: Segment
    profile: VoiceProfile
    text: str
    """Speakable text: what the engine is given."""


@dataclass(frozen=True)
class Audio:
    """Mono 16-bit PCM."""

    pcm: bytes
    sample_rate: int

    @property
    def seconds(self) -> float:
        return len(self.pcm) / 2 / self.sample_rate


@dataclass(frozen=True)
class Clip:
    """A synthesized line in the cache."""

    path: Path
    sample_rate: int
    samples: int


@dataclass(frozen=True)
class ChapterAudio:
    """A chapter's mastered audio, as a file of raw mono s16le PCM, with its
    line timings."""

    pcm_path: str
    sample_rate: int
    samples: int
    cues: tuple[Cue, ...]

    @property
    def seconds(self) -> float:
        return self.samples / self.sample_rate


@dataclass(frozen=True)
class Cue:
    """Where a line sits in its chapter's audio (seconds)."""

    start: float
    end: float
    speaker: str
    text: str


@dataclass(frozen=True)
class Part:
    """A chapter's mastered audio, encoded once to MP3 and AAC and kept under
    the hash of its recipe (audio/parts.py)."""

    key: str
    mp3: Path
    aac: Path
    """ADTS: frames that join byte to byte."""
    sample_rate: int
    samples: int
    """Samples of the chapter's audio (what a player plays of the part)."""
    mp3_frames: int
    aac_frames: int
    cues: tuple[Cue, ...]


@dataclass(frozen=True)
class BookInfo:
    """What every file of a book is tagged with."""

    title: str
    author: str | None
    chapter_count: int
    cover: Path | None = None
    """A JPEG embedded in every file (APIC in MP3s, covr in the M4B)."""
    year: str | None = None
    description: str | None = None
    narrator: str | None = None
    """Who reads the book: for storycast, the narration's voice profile."""


@dataclass(frozen=True)
class BookChapter:
    """A chapter as the book's files hold it."""

    number: int
    """1-based, in reading order."""
    title: str
    part: Part
    file: Path
    """The chapter's own MP3."""


@dataclass(frozen=True)
class Audiobook:
    """What render produced."""

    folder: Path
    title: str
    chapter_files: tuple[Path, ...]
    files: dict[str, Path]
    """The book's other files by role: mp3, m4b, vtt, srt, chapters, cover,
    script, timing."""
    seconds: float
    voices: dict[str, str] = field(default_factory=dict)
    """speaker -> the voice profile that spoke their lines."""

    @property
    def book_file(self) -> Path:
        """The whole book as one MP3 with chapter marks."""
        return self.files["mp3"]

    @property
    def script_file(self) -> Path:
        return self.files["script"]
