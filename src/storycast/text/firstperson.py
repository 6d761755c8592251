"""Who "I" is in a first-person story, so that `"...," I said` gets a name."""

from __future__ import annotations

import re
from collections import Counter

from storycast.model import Script
from storycast.text.names import Names
from storycast.text.vocatives import vocatives

FIRST_PERSON_TAG = re.compile(
    r"\b(?:I\s+(?:said|asked|replied|answered|cried)|"
    r"(?:said|asked|replied|answered|cried)\s+I)\b"
)

FIRST_PERSON_AT_LEAST = 5
"""First-person tags that make a story first-person (not a letter or two)."""


def first_person_speaker(script: Script, names: Names) -> str | None:
    """The narrating character: in a story with "I said" tags, the character
    most often addressed by name in speech relative to how often the
    narration names them (others call the narrator by name; the narration
    says "I")."""
    tags = 0
    addressed: Counter[str] = Counter()
    narrated: Counter[str] = Counter()
    for chapter in script.chapters:
        for segment in chapter.segments:
            if segment.kind == "narration":
                tags += len(FIRST_PERSON_TAG.findall(segment.text))
                narrated.update(name for _, name in names.mentions(segment.text))
            elif segment.kind == "speech":
                addressed.update(filter(None, map(names.resolve, vocatives(segment.text))))
    if tags < FIRST_PERSON_AT_LEAST:
        return None
    score = {name: count / (1 + narrated[name]) for name, count in addressed.items() if count >= 3}
    return max(score, key=lambda name: score[name]) if score else None
