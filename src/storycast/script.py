"""script: a story as a script, and the script as data.

A script comes from a story (read, parsed, attributed) or from a reviewed
script.yaml; it is written as the stable `tag --json` form or as the editable
script.yaml (the same fields), and cut into the lines the engines speak."""

from __future__ import annotations

import json
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

import yaml

from storycast import yamlfile
from storycast.cast import load_cast, load_cast_data, thought_voice
from storycast.files import write_text
from storycast.model import (
    NARRATOR,
    BookMeta,
    Cast,
    Chapter,
    Line,
    Script,
    Segment,
    ThoughtStyle,
    VoiceProfile,
)
from storycast.text.attribute import attribute
from storycast.text.chunk import chunks
from storycast.text.emphasis import apply_emphasis
from storycast.text.parse import parse
from storycast.text.read import read
from storycast.yamlfile import Where, reject_unknown, require_mapping, typed

_KINDS = ("heading", "narration", "speech", "thought")
_SEGMENT_FIELDS = {
    "kind",
    "speaker",
    "text",
    "start",
    "end",
    "confidence",
    "rule",
    "paragraph",
    "scene",
    "continued",
    "emphasis",
}


FRONT_MATTER_TITLE = "Author's note"
"""The chapter title the front matter is read under (--front-matter read)."""


def load_script(story: Path, cast_file: Path | None = None) -> Script:
    """A story file parsed and attributed, or a reviewed script.yaml as it is."""
    if is_script(story):
        script = load_yaml(story)
        return replace(script, cast=load_cast(cast_file)) if cast_file else script
    document = read(story)
    script = attribute(parse(document), load_cast(cast_file or sibling_cast(story)))
    return replace(apply_emphasis(script, document), meta=document.meta)


def sibling_cast(story: Path) -> Path | None:
    """STORY.cast.yaml beside the story, the cast used when none is named."""
    candidate = story.with_name(f"{story.stem}.cast.yaml")
    return candidate if candidate.is_file() else None


def spoken_chapters(script: Script, read_front_matter: bool) -> list[Chapter]:
    """The chapters read aloud: the front matter first when it is read."""
    chapters = list(script.chapters)
    if read_front_matter and script.front_matter:
        chapters.insert(0, Chapter(FRONT_MATTER_TITLE, script.front_matter))
    return chapters


def to_lines(
    chapters: list[Chapter], voices: dict[str, VoiceProfile], thought: ThoughtStyle | None = None
) -> list[Line]:
    """One line per segment, or per piece of a long segment, in its speaker's voice."""
    lines: list[Line] = []
    for number, chapter in enumerate(chapters):
        for segment in chapter.segments:
            profile = voices.get(segment.voiced_by, voices[NARRATOR])
            if segment.kind == "thought":
                profile = thought_voice(profile, thought or ThoughtStyle())
            lines.extend(Line(number, segment, profile, piece) for piece in chunks(segment.text))
    return lines


def save(script: Script, path: Path) -> Path:
    """script.yaml, written atomically."""
    return write_text(path, to_yaml(script))


def to_data(script: Script) -> dict[str, Any]:
    data: dict[str, Any] = {"title": script.title, "source": script.source}
    if script.author:
        data["author"] = script.author
    data["chapters"] = [
        {"title": c.title, "segments": [_segment_data(s) for s in c.segments]}
        for c in script.chapters
    ]
    if script.front_matter:
        data["front_matter"] = [_segment_data(s) for s in script.front_matter]
    if script.back_matter:
        data["back_matter"] = [_segment_data(s) for s in script.back_matter]
    data["cast"] = cast_data(script.cast)
    meta = {
        key: getattr(script.meta, key)
        for key in _META_FIELDS
        if getattr(script.meta, key) is not None
    }
    if meta:
        data["meta"] = meta
    return data


_META_FIELDS = ("series", "series_index", "summary", "language")
"""What script.yaml keeps of BookMeta (title and author are top-level; the cover
is written beside it as cover.jpg/png)."""


def _segment_data(segment: Segment) -> dict[str, Any]:
    data: dict[str, Any] = {
        "kind": segment.kind,
        "speaker": segment.speaker,
        "text": segment.text,
        "start": segment.start,
        "end": segment.end,
    }
    if segment.spoken:
        data["confidence"] = round(segment.confidence, 2)
        data["rule"] = segment.rule
    data["paragraph"] = segment.paragraph
    data["scene"] = segment.scene
    if segment.continued:
        data["continued"] = True
    if segment.emphasis:
        data["emphasis"] = [list(span) for span in segment.emphasis]
    return data


def cast_data(cast: Cast) -> dict[str, Any]:
    characters: dict[str, Any] = {}
    for character in cast.characters:
        entry: dict[str, Any] = {"aliases": list(character.aliases), "gender": character.gender}
        if character.voice:
            entry["voice"] = character.voice
        characters[character.name] = entry
    data = {"narrator": cast.narrator, "characters": characters}
    if cast.thought != ThoughtStyle():
        data["thought"] = asdict(cast.thought)
    return data


def to_json(script: Script) -> str:
    return json.dumps(to_data(script), ensure_ascii=False, indent=1)


def to_yaml(script: Script) -> str:
    header = (
        "# storycast script: edit a speaker or a text, then `storycast render` this file.\n"
        "# confidence < 0.7 marks lines worth checking (`storycast tag --review`).\n"
    )
    return header + yaml.dump(
        to_data(script), Dumper=_DUMPER, sort_keys=False, allow_unicode=True, width=100
    )


_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
"""libyaml's emitter where PyYAML has it: ten times faster on a novel's script."""


def is_script(path: Path) -> bool:
    return path.suffix.lower() in (".yaml", ".yml")


def load_yaml(path: Path) -> Script:
    """Read a script.yaml back, validating every field."""
    data = require_mapping(yamlfile.load(path), Where(path), "a script")
    where = Where(path, data)
    reject_unknown(
        data,
        {"title", "source", "author", "chapters", "front_matter", "back_matter", "cast", "meta"},
        where,
    )
    chapters = typed(data, "chapters", list, where, [])
    if not chapters:
        raise where.error("a script needs at least one chapter", key="chapters")
    return Script(
        title=typed(data, "title", str, where, path.stem),
        source=typed(data, "source", str, where, str(path)),
        author=typed(data, "author", str, where, None),
        chapters=tuple(_chapter(c, path, n) for n, c in enumerate(chapters)),
        front_matter=_segments(typed(data, "front_matter", list, where, []), path, "front_matter"),
        back_matter=_segments(typed(data, "back_matter", list, where, []), path, "back_matter"),
        cast=load_cast_data(typed(data, "cast", dict, where, {}), path),
        meta=_meta(
            typed(data, "meta", dict, where, {}), path, typed(data, "title", str, where, None)
        ),
    )


def _meta(data: dict, path: Path, title: str | None) -> BookMeta:
    where = Where(path, data)
    reject_unknown(data, set(_META_FIELDS), where, "meta.")

    def text(key: str) -> str | None:
        value = typed(data, key, (str, int, float), where, None, "meta.")
        return None if value is None else str(value)

    return BookMeta(
        title=title,
        series=text("series"),
        series_index=text("series_index"),
        summary=text("summary"),
        language=text("language"),
    )


def _chapter(data: Any, path: Path, number: int) -> Chapter:
    prefix = f"chapters[{number}]."
    data = require_mapping(data, Where(path), f"{prefix[:-1]}")
    where = Where(path, data)
    reject_unknown(data, {"title", "segments"}, where, prefix)
    title = typed(data, "title", str, where, f"Chapter {number + 1}", prefix)
    segments = typed(data, "segments", list, where, [], prefix)
    return Chapter(title, _segments(segments, path, f"{prefix}segments"))


def _segments(items: list, path: Path, prefix: str) -> tuple[Segment, ...]:
    return tuple(_segment(item, path, f"{prefix}[{n}].") for n, item in enumerate(items))


def _segment(data: Any, path: Path, prefix: str) -> Segment:
    data = require_mapping(data, Where(path), prefix[:-1])
    where = Where(path, data)
    reject_unknown(data, _SEGMENT_FIELDS, where, prefix)
    kind = typed(data, "kind", str, where, "narration", prefix)
    if kind not in _KINDS:
        raise where.error(f"must be one of {', '.join(_KINDS)}", key="kind", field=f"{prefix}kind")
    return Segment(
        kind=kind,
        text=str(typed(data, "text", (str, int, float), where, "", prefix)),
        start=typed(data, "start", int, where, 0, prefix),
        end=typed(data, "end", int, where, 0, prefix),
        speaker=str(typed(data, "speaker", (str, int), where, NARRATOR, prefix)),
        confidence=float(typed(data, "confidence", (int, float), where, 1.0, prefix)),
        rule=typed(data, "rule", str, where, "", prefix),
        paragraph=typed(data, "paragraph", int, where, 0, prefix),
        scene=typed(data, "scene", int, where, 0, prefix),
        continued=typed(data, "continued", bool, where, False, prefix),
        emphasis=_spans(typed(data, "emphasis", list, where, [], prefix), where, prefix),
    )


def _spans(items: list, where: Where, prefix: str) -> tuple[tuple[int, int], ...]:
    """Italic spans: [start, end] pairs of offsets into the segment's text."""
    if not all(
        isinstance(i, list) and len(i) == 2 and all(isinstance(n, int) for n in i) for i in items
    ):
        raise where.error(
            "must be a list of [start, end] pairs", key="emphasis", field=f"{prefix}emphasis"
        )
    return tuple((a, b) for a, b in items)
