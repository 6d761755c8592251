"""Lint a script: lines whose speaker contradicts the speech tag beside them
("...," said Gene, but the line is Alex's), or a he/she tag that does not fit
the speaker's gender. Meant for scripts people have edited, and as a check
on the attribute stage itself."""

from __future__ import annotations

from dataclasses import dataclass

from storycast.model import Script, Segment
from storycast.text.names import Names
from storycast.text.tags import PRONOUN_GENDER, Tag, tag_after, tags_before


@dataclass(frozen=True)
class Finding:
    chapter: str
    segment: Segment
    message: str


def lint(script: Script) -> list[Finding]:
    """Every speech line that disagrees with an adjacent tag."""
    names = Names.from_cast(script.cast)
    findings = []
    for chapter in script.chapters:
        segments = chapter.segments
        for index, segment in enumerate(segments):
            if segment.kind != "speech":
                continue
            for tag, where in _adjacent_tags(segments, index):
                problem = _contradiction(tag, segment.speaker, names)
                if problem:
                    findings.append(Finding(chapter.title, segment, f"{problem} ({where})"))
                    break
    return findings


def _adjacent_tags(segments: tuple[Segment, ...], index: int) -> list[tuple[Tag, str]]:
    segment = segments[index]
    found = []
    after = segments[index + 1] if index + 1 < len(segments) else None
    if after is not None and after.kind == "narration" and after.paragraph == segment.paragraph:
        tag = tag_after(after.text, segment.text)
        if tag:
            found.append((tag, f"tag after: {after.text[:40]!r}"))
    before = segments[index - 1] if index > 0 else None
    if before is not None and before.kind == "narration" and before.paragraph == segment.paragraph:
        candidates = tags_before(before.text)
        if candidates:
            found.append((candidates[0], f"tag before: {before.text[-40:]!r}"))
    return found


def _contradiction(tag: Tag, speaker: str, names: Names) -> str | None:
    if not tag.verb:
        return None
    if tag.kind == "name":
        named = names.resolve(tag.mention)
        if named and named != speaker:
            return f"tagged {tag.mention!r} ({named}) but spoken by {speaker}"
    if tag.kind == "pronoun":
        gender = names.gender.get(speaker, "unknown")
        if gender in ("male", "female") and PRONOUN_GENDER[tag.mention] != gender:
            return f"tagged {tag.mention!r} but {speaker} is {gender}"
    return None
