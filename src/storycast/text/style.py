"""Speaking style: how much a quote sounds like each character's tagged
quotes in the same book. Characters keep their own words (dialect spellings,
pet phrases, "sir" or "my dear", exclamations), so a smoothed word model of
what the text tags as theirs helps decide the quotes it does not tag."""

from __future__ import annotations

import math
import re
from collections import Counter

_TOKEN = re.compile(r"[a-z]+(?:['’][a-z]+)*['’]?|['’][a-z]+|[!?;—–…]|--", re.IGNORECASE)
_PRIOR = 300.0
"""Tokens of the book's overall speech that weigh in each character's model:
a character tagged a few times sounds like everyone."""


def tokens(text: str) -> list[str]:
    return [token.lower().replace("’", "'") for token in _TOKEN.findall(text)]


class Styles:
    """Word models of each character's tagged quotes, against the book's
    speech as a whole."""

    def __init__(self, tagged: list[tuple[str, str]], spoken: list[str]) -> None:
        """`tagged`: (speaker, quote) for each quote a tag decides; `spoken`:
        every quote of the book."""
        self.by_speaker: dict[str, Counter[str]] = {}
        for speaker, text in tagged:
            self.by_speaker.setdefault(speaker, Counter()).update(tokens(text))
        self.totals = {name: sum(counts.values()) for name, counts in self.by_speaker.items()}
        self.background: Counter[str] = Counter()
        for text in spoken:
            self.background.update(tokens(text))
        self.size = sum(self.background.values()) + len(self.background) + 1

    def likeness(self, text: str, names: list[str], own: str | None = None) -> dict[str, float]:
        """Per candidate with tagged quotes: the log-likelihood ratio of the
        quote's words under their model against the book's, per sqrt of its
        length (`own`: the quote's tagged speaker, whose model leaves the
        quote out)."""
        words = Counter(tokens(text))
        if not words:
            return {}
        length = sum(words.values())
        found = {}
        for name in names:
            counts = self.by_speaker.get(name)
            if counts is None:
                continue
            mine = counts - words if name == own else counts
            total = self.totals[name] - (length if name == own else 0)
            score = 0.0
            for word, n in words.items():
                common = (self.background[word] + 1) / self.size
                score += n * math.log((mine[word] + _PRIOR * common) / (total + _PRIOR) / common)
            found[name] = score / math.sqrt(length)
        return found
