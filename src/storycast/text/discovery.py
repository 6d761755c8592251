"""Evidence for cast discovery from the whole text: which capitalised words
are only sentence openers ("Suddenly", "As I", "Later Bill"), the
characters known by a role rather than a name ("said the Hatter"), and the
name of a first-person narrator."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from storycast.model import Script
from storycast.text.firstperson import FIRST_PERSON_AT_LEAST, FIRST_PERSON_TAG
from storycast.text.names import TITLES
from storycast.text.tags import SPEECH_VERB

_LOWER = re.compile(r"\b[a-z][a-z'’]*\b")
_CAPITAL_MID_SENTENCE = re.compile(r"(?<=[a-z,;])\s+([A-Z][\w'’]*)")
_OPENER_SHARE = 50
"""A word is an opener when the text writes it in lower case at least this
many times as often as capitalised mid-sentence ("will" and "Will": a
character called Will is named mid-sentence far more often than that)."""


@dataclass(frozen=True)
class Openers:
    """Capitalised words that are ordinary words starting a sentence: the
    text uses them in lower case and (almost) never capitalises them
    mid-sentence. "May", "Rose" or "Frank" as a name is capitalised
    mid-sentence often ("said May")."""

    lower: Counter[str]
    capital: Counter[str]

    @classmethod
    def of(cls, script: Script) -> Openers:
        lower: Counter[str] = Counter()
        capital: Counter[str] = Counter()
        for chapter in script.chapters:
            for segment in chapter.segments:
                lower.update(_LOWER.findall(segment.text))
                capital.update(w.lower() for w in _CAPITAL_MID_SENTENCE.findall(segment.text))
        return cls(lower, capital)

    def opener(self, word: str) -> bool:
        key = word.lower().replace("’", "'").rstrip(".")
        if key in TITLES or word.lower() in TITLES:
            return False
        used = self.lower[key]
        return used >= 3 and self.capital[key] <= max(2, used / _OPENER_SHARE)

    def clean(self, name: str) -> str | None:
        """The name without the openers glued to it ("Later Bill" -> "Bill",
        "Emma--quite" -> "Emma"); None when nothing but openers is left."""
        words = re.split(r"--|—", name)[0].split()
        while words and self.opener(words[0]):
            words.pop(0)
        while words and self.opener(words[-1]):
            words.pop()
        return " ".join(words) or None


_ROLE = r"[Tt]he\s+((?:[A-Z][\w'’-]*\s+){0,2}[A-Z][\w'’-]*)\b"
_ROLE_TAGS = (
    re.compile(rf"\b{SPEECH_VERB}\s+{_ROLE}"),  # said the Hatter
    re.compile(rf"\b{_ROLE}(?:\s+\w+ly)?\s+{SPEECH_VERB}\b"),  # the Hatter said
)
ROLE_AT_LEAST = 3
"""Tags a role must stand in to be a character (the Queen of one scene)."""


def role_tags(narration: str) -> list[str]:
    """Capitalised roles beside a speech verb, as "the Hatter"."""
    return [f"the {m.group(1)}" for pattern in _ROLE_TAGS for m in pattern.finditer(narration)]


_NARRATOR_ADDRESSED = 3
"""Times the narrator is addressed, at least, and per time the narration names them."""


def narrator_name(addressed: Counter[str], narration: str) -> str | None:
    """In a story with "I said" tags, the name others address most often
    relative to how often the narration uses it: the narrator, whom the
    others call by name while the narration says "I"."""
    if len(FIRST_PERSON_TAG.findall(narration)) < FIRST_PERSON_AT_LEAST:
        return None
    score = {
        name: n / (1 + len(re.findall(rf"\b{re.escape(name)}\b", narration)))
        for name, n in addressed.items()
        if n >= _NARRATOR_ADDRESSED
    }
    best = max(score, key=lambda name: score[name], default=None)
    return best if best is not None and score[best] >= _NARRATOR_ADDRESSED else None
