"""Which lines a person should check: those whose speaker's confidence (the
ranker's calibrated probability) is under a threshold."""

from __future__ import annotations

from storycast.model import Script, Segment

REVIEW_BELOW = 0.7
"""Lines with a confidence under this are listed by `tag --review`."""


def lines_to_review(script: Script, below: float = REVIEW_BELOW) -> list[tuple[str, Segment]]:
    """(chapter title, segment) for each spoken line whose speaker is uncertain."""
    return [
        (chapter.title, segment)
        for chapter in script.chapters
        for segment in chapter.segments
        if segment.spoken and segment.confidence < below
    ]
