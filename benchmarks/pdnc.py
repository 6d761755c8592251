"""PDNC (the Project Dialogism Novel Corpus) for the attribution benchmark
and trainer: a novel's character list as a cast, its gold quotes aligned to
storycast's speech segments, and each quote's candidates labelled.

The corpus is read from the path given on the command line; nothing of it
is written anywhere."""

from __future__ import annotations

import ast
import csv
import re
import sys
from bisect import bisect_right
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from storycast.model import Cast, Character, Segment  # noqa: E402
from storycast.text.attribute import attribute_with_candidates  # noqa: E402
from storycast.text.conversation import Decision  # noqa: E402
from storycast.text.features import QuoteCandidates  # noqa: E402
from storycast.text.names import TITLES  # noqa: E402
from storycast.text.parse import parse  # noqa: E402
from storycast.text.ranker import rankable  # noqa: E402
from storycast.text.read import read  # noqa: E402

_GENDERS = {"M": "male", "F": "female"}
SETTINGS = ("with list", "without")


@dataclass
class Quote:
    """One gold quote as storycast read it."""

    novel: str
    setting: str
    kind: str
    """Explicit, Anaphoric or Implicit."""
    sieve_ok: bool
    """The sieve's speaker is right (False where no segment was found)."""
    sieve_confidence: float
    rule: str
    labels: np.ndarray | None = None
    """Per candidate: is it the gold speaker? None where the ranker does not decide."""
    features: np.ndarray | None = None
    reading: Reading | None = None
    """The novel as read in this setting (every quote's candidates, in order)."""
    key: tuple[int, int] | None = None
    """(chapter, segment) of the quote's speech segment."""
    names: tuple[str, ...] = ()
    """The candidates, in the order of `labels`."""


@dataclass
class Reading:
    """Every quote storycast found in one novel, in one setting, with its
    candidates, in the order of the text (for deciding conversations jointly)."""

    novel: str
    setting: str
    found: list[QuoteCandidates]


def novels(path: Path) -> list[Path]:
    return sorted(p for p in path.iterdir() if (p / "quotation_info.csv").exists())


def pdnc_cast(folder: Path) -> tuple[Cast, dict[str, str]]:
    """The novel's character list as a cast, and alias (lower) -> main name."""
    characters, owner = [], {}
    with (folder / "character_info.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            name = row["Main Name"].strip()
            aliases = sorted({a.strip() for a in ast.literal_eval(row["Aliases"])} - {name})
            gender = _GENDERS.get(row["Gender"], "unknown")
            characters.append(Character(name=name, aliases=tuple(aliases), gender=gender))
            for mention in (name, *aliases):
                owner.setdefault(mention.lower(), name)
    return Cast(characters=tuple(characters)), owner


def pdnc_gold(folder: Path) -> list[tuple[int, int, str, str]]:
    """(start, end, speaker, quote type) of each quote's first piece."""
    gold = []
    with (folder / "quotation_info.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            spans = ast.literal_eval(row["quoteByteSpans"])
            if spans:
                kind = row["quoteType"] if row["quoteType"] != "nan" else "unknown"
                gold.append((spans[0][0], spans[0][1], row["speaker"].strip(), kind))
    return gold


def read_novel(folder: Path, exact_aliases: bool = False) -> list[Quote]:
    """Every gold quote of the novel, read with and without the character list
    (`exact_aliases`: score a discovered name right only when it is one of the
    gold aliases, as before 4 Dec 2026)."""
    cast, owner = pdnc_cast(folder)
    words_of = {} if exact_aliases else gold_words(owner)
    document = parse(read(folder / "novel_text.txt"))
    quotes = []
    for setting in SETTINGS:
        script, found = attribute_with_candidates(
            document, cast if setting == SETTINGS[0] else None
        )
        where = {(q.chapter, q.segment): q for q in found}
        reading = Reading(folder.name, setting, found)
        segments = [
            (number, index, segment)
            for number, chapter in enumerate(script.chapters)
            for index, segment in enumerate(chapter.segments)
            if segment.spoken
        ]
        starts = [s.start for _, _, s in segments]
        cast_read = script.cast

        def gold_of(name: str, cast_read: Cast = cast_read) -> str | None:
            return gold_name(name, cast_read, owner, words_of)

        for start, end, speaker, kind in pdnc_gold(folder):
            right = owner.get(speaker.lower(), speaker)
            at = bisect_right(starts, (start + end) // 2) - 1
            if at < 0 or segments[at][2].end <= start:
                quotes.append(Quote(folder.name, setting, kind, False, 0.0, "missed"))
                continue
            number, index, segment = segments[at]
            quote = Quote(
                folder.name,
                setting,
                kind,
                gold_of(segment.speaker) == right,
                segment.confidence,
                segment.rule,
            )
            candidates = where.get((number, index))
            if candidates is not None and rankable(Decision(segment.speaker, segment.rule, 1)):
                quote.labels = np.array([gold_of(n) == right for n in candidates.names])
                quote.features = candidates.features
                quote.reading, quote.key = reading, (number, index)
                quote.names = candidates.names
            quotes.append(quote)
    return quotes


def gold_name(
    name: str, cast: Cast, owner: dict[str, str], words_of: dict[str, set[str]]
) -> str | None:
    """A speaker's name -> the gold character one of its names belongs to;
    failing an exact alias, the one gold character whose names contain all
    the name's words but titles ("Mike" -> Mike Campbell, "the Gryphon" ->
    The Gryphon; none where two characters could be meant, nor where
    `words_of` is empty: exact aliases only)."""
    character = cast.find(name)
    for mention in (name, *(character.aliases if character else ())):
        if mention.lower() in owner:
            return owner[mention.lower()]
    words = _name_words(name)
    owners = [main for main, names in words_of.items() if words and words <= names]
    return owners[0] if len(owners) == 1 else None


def gold_words(owner: dict[str, str]) -> dict[str, set[str]]:
    """Per gold character, the words of all its names."""
    words_of: dict[str, set[str]] = {}
    for alias, main in owner.items():
        words_of.setdefault(main, set()).update(_name_words(alias))
    return words_of


def _name_words(name: str) -> set[str]:
    """A name's words, lower case, without titles or a leading "the"."""
    words = re.sub(r"^the\s+", "", name.lower().replace("’", "'")).split()
    return {w for w in words if w not in TITLES}


def story_segments(script) -> list[Segment]:  # noqa: ANN001
    return [s for c in script.chapters for s in c.segments if s.spoken]
