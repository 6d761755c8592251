"""Speaker attribution accuracy: the share of quotes whose speaker is right.

    python benchmarks/attribution.py                       # the project's stories
    python benchmarks/attribution.py --pdnc /work/shared/data/pdnc-dev [--novels Emma,...]

Prints accuracy overall, per rule and per quote type, with and without a cast
(for PDNC the cast is each novel's character list). PDNC gold quotes are
aligned to speech segments by source offsets; a gold quote whose first piece
overlaps no speech segment counts as wrong (rule "missed")."""

from __future__ import annotations

import argparse
import ast
import csv
import difflib
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from storycast.cast import load_cast  # noqa: E402
from storycast.model import Cast, Character, Segment  # noqa: E402
from storycast.text.attribute import attribute  # noqa: E402
from storycast.text.parse import parse  # noqa: E402
from storycast.text.read import read  # noqa: E402

_GENDERS = {"M": "male", "F": "female"}


class Tally:
    """Right/total counts overall and per key (rule, quote type)."""

    def __init__(self) -> None:
        self.right: Counter[str] = Counter()
        self.total: Counter[str] = Counter()

    def add(self, ok: bool, *keys: str) -> None:
        for key in ("overall", *keys):
            self.total[key] += 1
            self.right[key] += ok

    def merge(self, other: Tally) -> None:
        self.right.update(other.right)
        self.total.update(other.total)

    def accuracy(self, key: str = "overall") -> float:
        return self.right[key] / self.total[key] if self.total[key] else 0.0

    def report(self, label: str) -> None:
        print(f"{label}: {self.accuracy():.3f} ({self.right['overall']}/{self.total['overall']})")
        for prefix, title in (("type:", "per quote type"), ("rule:", "per rule")):
            keys = sorted(
                (k for k in self.total if k.startswith(prefix)), key=lambda k: -self.total[k]
            )
            if keys:
                print(f"  {title}:")
                for key in keys:
                    print(
                        f"    {key[len(prefix) :]:22} {self.accuracy(key):.3f}"
                        f"  ({self.right[key]}/{self.total[key]})"
                    )


def speech_segments(script) -> list[Segment]:
    return [s for c in script.chapters for s in c.segments if s.kind in ("speech", "thought")]


# --- the project's stories -------------------------------------------------------


def story_tally(story: Path, cast: Cast | None) -> Tally:
    gold = list(
        csv.DictReader(story.with_suffix(".gold.tsv").open(encoding="utf-8"), delimiter="\t")
    )
    segments = speech_segments(attribute(parse(read(story)), cast))
    normal = lambda text: " ".join(text.split()).lower()  # noqa: E731
    matcher = difflib.SequenceMatcher(
        a=[normal(g["quote"]) for g in gold], b=[normal(s.text) for s in segments], autojunk=False
    )
    found: dict[int, Segment] = {}
    for block in matcher.get_matching_blocks():
        for offset in range(block.size):
            found[block.a + offset] = segments[block.b + offset]
    tally = Tally()
    for index, row in enumerate(gold):
        segment = found.get(index)
        if segment is None:
            tally.add(False, "rule:missed")
        else:
            tally.add(segment.speaker == row["speaker"], f"rule:{segment.rule}")
    return tally


def run_stories() -> None:
    for with_cast in (True, False):
        total = Tally()
        for story in sorted((ROOT / "stories").glob("*.txt")):
            cast_file = story.with_suffix(".cast.yaml")
            cast = load_cast(cast_file) if with_cast and cast_file.exists() else None
            tally = story_tally(story, cast)
            print(
                f"  {story.name:28} {'cast' if with_cast else 'no cast':8} "
                f"{tally.accuracy():.3f} ({tally.right['overall']}/{tally.total['overall']})"
            )
            total.merge(tally)
        total.report(f"stories {'with cast' if with_cast else 'without cast'}")
        print()


# --- PDNC ------------------------------------------------------------------------


def pdnc_cast(folder: Path) -> tuple[Cast, dict[str, str]]:
    """The novel's character list as a cast, and alias (lower) -> main name."""
    characters, owner = [], {}
    with (folder / "character_info.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            name = row["Main Name"].strip()
            aliases = sorted({a.strip() for a in ast.literal_eval(row["Aliases"])} - {name})
            characters.append(
                Character(
                    name=name, aliases=tuple(aliases), gender=_GENDERS.get(row["Gender"], "unknown")
                )
            )
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
                gold.append(
                    (
                        spans[0][0],
                        spans[0][1],
                        row["speaker"].strip(),
                        row["quoteType"] if row["quoteType"] != "nan" else "unknown",
                    )
                )
    return gold


def pdnc_tally(folder: Path, with_cast: bool) -> Tally:
    cast, owner = pdnc_cast(folder)
    script = attribute(parse(read(folder / "novel_text.txt")), cast if with_cast else None)
    segments = speech_segments(script)
    starts = [s.start for s in segments]
    from bisect import bisect_right

    tally = Tally()
    for start, end, speaker, quote_type in pdnc_gold(folder):
        middle = (start + end) // 2
        index = bisect_right(starts, middle) - 1
        segment = segments[index] if index >= 0 and segments[index].end > start else None
        if segment is None:
            tally.add(False, f"type:{quote_type}", "rule:missed")
            continue
        predicted = (
            owner.get(segment.speaker.lower())
            if with_cast
            else _gold_name(segment, script.cast, owner)
        )
        # The gold speaker may be any of the character's names, not the main one.
        tally.add(
            predicted == owner.get(speaker.lower(), speaker),
            f"type:{quote_type}",
            f"rule:{segment.rule}",
        )
    return tally


def _gold_name(segment: Segment, cast: Cast, owner: dict[str, str]) -> str | None:
    """A discovered speaker -> the gold character one of its names belongs to."""
    character = cast.find(segment.speaker)
    for mention in (segment.speaker, *(character.aliases if character else ())):
        if mention.lower() in owner:
            return owner[mention.lower()]
    return None


def run_pdnc(path: Path, novels: list[str] | None) -> None:
    folders = sorted(p for p in path.iterdir() if (p / "quotation_info.csv").exists())
    if novels:
        folders = [f for f in folders if f.name in novels]
    for with_cast in (True, False):
        began = time.perf_counter()
        total = Tally()
        for folder in folders:
            tally = pdnc_tally(folder, with_cast)
            print(
                f"  {folder.name:30} {tally.accuracy():.3f} "
                f"({tally.right['overall']}/{tally.total['overall']})",
                flush=True,
            )
            total.merge(tally)
        label = "with character list" if with_cast else "without cast"
        total.report(f"PDNC {label} ({len(folders)} novels, {time.perf_counter() - began:.0f} s)")
        print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pdnc", type=Path, help="the PDNC folder (one sub-folder per novel)")
    parser.add_argument("--novels", help="comma-separated PDNC folder names (default: all)")
    parser.add_argument("--no-stories", action="store_true", help="skip the project's stories")
    args = parser.parse_args()
    if not args.no_stories:
        run_stories()
    if args.pdnc:
        run_pdnc(args.pdnc, args.novels.split(",") if args.novels else None)


if __name__ == "__main__":
    main()
