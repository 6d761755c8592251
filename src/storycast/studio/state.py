"""state: the script a studio session edits.

Every segment has an id, its position in reading order (front matter,
chapters, back matter): edits change speakers and voices, never the
script's shape, so ids hold for the whole session. The script's version is
a hash of the file's bytes; a save that names an older version is refused
(two tabs never silently overwrite each other). The file is read again
whenever it changes on disk, so an edit made elsewhere is seen, not lost."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from storycast.cast import assign_voices
from storycast.errors import StorycastError
from storycast.files import write_text
from storycast.model import NARRATOR, Chapter, Character, Script, Segment, VoiceProfile
from storycast.script import load_yaml, to_data, to_yaml

REVIEWED = "reviewed"
"""The rule of a line whose speaker a person chose (confidence 1)."""
UNDO_DEPTH = 50
_NAME_LIMIT = 80


class StudioError(StorycastError):
    """A request the studio cannot carry out; `status` is its HTTP status."""

    status = 400


class NotFound(StudioError):
    status = 404


class Conflict(StudioError):
    """A stale version, or an edit while a render runs."""

    status = 409


@dataclass(frozen=True)
class Where:
    """A segment's place: the list it is in ("chapters", "front_matter",
    "back_matter"), the chapter (for chapters) and its index."""

    part: str
    chapter: int
    index: int


class ScriptState:
    """The script file, read and written under one lock."""

    def __init__(
        self,
        path: Path,
        profiles: dict[str, VoiceProfile],
        engine: str | None = None,
        writing: Callable[[], AbstractContextManager[object]] | None = None,
    ):
        self.path = path
        self.profiles = profiles
        self.engine = engine
        self.writing = writing or nullcontext
        """Held while the file is written (the book folder's lock when it is the book's)."""
        self.lock = threading.RLock()
        self.busy: Callable[[], str | None] = lambda: None
        """Why edits must wait now (a render is running), or None."""
        self.undo: list[Script] = []
        self._stamp: tuple[int, int, int] | None = None
        self.version = ""
        self.script = self._read()

    # reading

    def _read(self) -> Script:
        data = self.path.read_bytes()
        script = load_yaml(self.path)
        stat = self.path.stat()
        self._stamp = (stat.st_mtime_ns, stat.st_size, stat.st_ino)
        self.version = _version(data)
        self.places = list(_places(script))
        self._voices: dict[str, VoiceProfile] | None = None
        return script

    def refresh(self) -> None:
        """Read the file again if it changed on disk since it was last read."""
        with self.lock:
            try:
                stat = self.path.stat()
            except OSError as error:
                raise Conflict(f"{self.path}: {error.strerror}") from None
            if (stat.st_mtime_ns, stat.st_size, stat.st_ino) == self._stamp:
                return
            before = self.version
            self.script = self._read()
            if self.version != before:
                self.undo.clear()  # the history is of a file that is no more

    def voices(self) -> dict[str, VoiceProfile]:
        """speaker -> voice profile, chosen as a render chooses them."""
        if self._voices is None:
            self._voices = assign_voices(self.script, self.profiles, self.engine)
        return self._voices

    def voice_names(self) -> dict[str, str]:
        """speaker -> the name of the profile that speaks for them."""
        return {speaker: profile.name for speaker, profile in self.voices().items()}

    def segment(self, segment_id: int) -> Segment:
        return _segment_at(self.script, self.place(segment_id))

    def place(self, segment_id: int) -> Where:
        if not 0 <= segment_id < len(self.places):
            raise NotFound(f"no segment {segment_id}; ids run from 0 to {len(self.places) - 1}")
        return self.places[segment_id]

    def data(self) -> dict[str, Any]:
        """The script as `tag --json` has it, each segment with its id; and the
        version, each speaker's voice, the profiles to choose from and how
        many edits can be undone."""
        data = to_data(self.script)
        ids = iter(range(len(self.places)))
        for segment in _segment_dicts(data):
            segment["id"] = next(ids)
        data["version"] = self.version
        data["voices"] = self.voice_names()
        data["profiles"] = sorted(self.profiles)
        data["undo"] = len(self.undo)
        return data

    # editing

    def set_speaker(self, segment_id: int, speaker: object, version: object) -> dict[str, Any]:
        name = checked_name(speaker, "speaker")
        with self.lock:
            self._may_edit(version)
            place = self.place(segment_id)
            segment = _segment_at(self.script, place)
            if not segment.spoken:
                raise StudioError(
                    f"segment {segment_id} is {segment.kind}: only speech and thoughts "
                    "have a speaker"
                )
            fixed = replace(segment, speaker=name, confidence=1.0, rule=REVIEWED)
            self._save(_with_segment(self.script, place, fixed))
            return self.segment_data(segment_id)

    def set_voice(self, character: str, voice: object, version: object) -> dict[str, Any]:
        name = checked_name(character, "character")
        profile = checked_name(voice, "voice")
        if profile not in self.profiles:
            raise StudioError(
                f"no voice profile {profile!r}; choose one of {', '.join(sorted(self.profiles))}"
            )
        with self.lock:
            self._may_edit(version)
            self._save(_with_voice(self.script, name, profile))
            return {
                "character": name,
                "voice": profile,
                "version": self.version,
                "voices": self.voice_names(),
            }

    def undo_last(self, version: object) -> dict[str, Any]:
        with self.lock:
            self._may_edit(version)
            if not self.undo:
                raise Conflict("nothing to undo")
            self._save(self.undo.pop(), remember=False)
            return {"version": self.version, "undo": len(self.undo)}

    def segment_data(self, segment_id: int) -> dict[str, Any]:
        data = to_data(replace(self.script, chapters=(Chapter("", (self.segment(segment_id),)),)))
        segment = data["chapters"][0]["segments"][0]
        return {
            "id": segment_id,
            **segment,
            "version": self.version,
            "voices": self.voice_names(),
        }

    def _may_edit(self, version: object) -> None:
        self.refresh()
        reason = self.busy()
        if reason:
            raise Conflict(reason)
        if version is not None and version != self.version:
            raise Conflict(
                f"the script changed since version {str(version)[:40]!r} "
                f"(now {self.version}); reload it and edit again"
            )

    def _save(self, script: Script, remember: bool = True) -> None:
        text = to_yaml(script)
        with self.writing():
            write_text(self.path, text)
        if remember:
            self.undo = [*self.undo[-(UNDO_DEPTH - 1) :], self.script]
        self.script = self._read()


def checked_name(value: object, what: str) -> str:
    """A speaker, character or profile name from a request: one line of text."""
    if not isinstance(value, str):
        raise StudioError(f"{what} must be a string")
    name = " ".join(value.split())
    if not name or len(name) > _NAME_LIMIT or not name.isprintable():
        raise StudioError(f"{what} must be 1 to {_NAME_LIMIT} printable characters")
    return name


def _version(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def _places(script: Script) -> Iterator[Where]:
    for index, _ in enumerate(script.front_matter):
        yield Where("front_matter", 0, index)
    for number, chapter in enumerate(script.chapters):
        for index, _ in enumerate(chapter.segments):
            yield Where("chapters", number, index)
    for index, _ in enumerate(script.back_matter):
        yield Where("back_matter", 0, index)


def _segment_dicts(data: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The segments of `to_data`'s dict in the order `_places` numbers them."""
    yield from data.get("front_matter", [])
    for chapter in data["chapters"]:
        yield from chapter["segments"]
    yield from data.get("back_matter", [])


def _segment_at(script: Script, place: Where) -> Segment:
    if place.part == "chapters":
        return script.chapters[place.chapter].segments[place.index]
    segments: tuple[Segment, ...] = getattr(script, place.part)
    return segments[place.index]


def _with_segment(script: Script, place: Where, segment: Segment) -> Script:
    def put(segments: tuple[Segment, ...]) -> tuple[Segment, ...]:
        return (*segments[: place.index], segment, *segments[place.index + 1 :])

    if place.part == "front_matter":
        return replace(script, front_matter=put(script.front_matter))
    if place.part == "back_matter":
        return replace(script, back_matter=put(script.back_matter))
    chapters = list(script.chapters)
    chapter = chapters[place.chapter]
    chapters[place.chapter] = replace(chapter, segments=put(chapter.segments))
    return replace(script, chapters=tuple(chapters))


def _with_voice(script: Script, name: str, voice: str) -> Script:
    """The cast with `name` (a character, or the narrator) in `voice`; a
    name not in the cast yet joins it."""
    cast = script.cast
    if name.lower() == NARRATOR:
        return replace(script, cast=replace(cast, narrator=voice))
    if cast.find(name) is None:
        characters = (*cast.characters, Character(name, voice=voice))
    else:
        characters = tuple(
            replace(c, voice=voice) if c.name == name else c for c in cast.characters
        )
    return replace(script, cast=replace(cast, characters=characters))
