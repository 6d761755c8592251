"""Speaker attribution accuracy, cross-validated: the share of quotes whose
speaker is right.

    python benchmarks/attribution.py --pdnc ../shared/data/pdnc-dev

PDNC's novels are split into 5 folds; each fold is scored by a ranker
trained on the other four, so no novel is scored by a model trained on it.
Beside each cross-validated figure: the fit on the training folds, and the
sieve alone (its rules are hand-written, but were developed on this corpus).
Then the project's stories, with and without their casts, by a ranker
trained on all of PDNC; and the review quality of `tag --review`. Without
--pdnc (`make bench`), the stories only, by the model shipped in the
package."""

from __future__ import annotations

import argparse
import csv
import difflib
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pdnc import (  # noqa: E402
    ROOT,
    SETTINGS,
    Quote,
    gold_name,
    gold_words,
    novels,
    read_novel,
    story_segments,
)
from storycast.cast import load_cast  # noqa: E402
from storycast.model import Cast  # noqa: E402
from storycast.text.attribute import attribute  # noqa: E402
from storycast.text.parse import parse  # noqa: E402
from storycast.text.ranker import Ranker, shipped_ranker  # noqa: E402
from storycast.text.read import read  # noqa: E402
from storycast.text.review import REVIEW_BELOW  # noqa: E402
from train_attribution import decide, decode_all, emissions_of, fit, readings_of  # noqa: E402

_FOLDS = 5
_TYPES = ("Explicit", "Anaphoric", "Implicit")


def cross_validate(
    quotes: list[Quote], second_reading: bool = True
) -> tuple[dict[int, tuple[bool, float]], dict, Ranker]:
    """Per quote (by id): (right, confidence) from the fold that held it out;
    the training-fold fit as {(setting, type): (right, total)}; and a ranker
    trained on everything."""
    names = sorted({q.novel for q in quotes})
    fold_of = {name: number % _FOLDS for number, name in enumerate(names)}
    held: dict[int, tuple[bool, float]] = {}
    fit_counts: dict = {}
    for fold in range(_FOLDS):
        training = [q for q in quotes if fold_of[q.novel] != fold]
        ranker = fit(training, second_reading)
        held_out = [q for q in quotes if fold_of[q.novel] == fold]
        for quote, decided in _decided(ranker, held_out):
            held[id(quote)] = decided
        for quote, decided in _decided(ranker, training):
            for key in _keys(quote):
                counts = fit_counts.setdefault(key, [0, 0])
                counts[0] += decided[0]
                counts[1] += 1
        print(f"  fold {fold + 1}/{_FOLDS}: {ranker.transitions}", file=sys.stderr)
    return held, fit_counts, fit(quotes, second_reading)


def _decided(ranker: Ranker, group: list[Quote]) -> list:
    """(quote, (right, confidence)) for each quote, each novel's
    conversations decided jointly by `ranker`."""
    decoded = decode_all(emissions_of(ranker, readings_of(group)), ranker.transitions)
    return [(quote, decide(quote, decoded, ranker)) for quote in group]


def _keys(quote: Quote) -> list[tuple[str, str]]:
    return [(quote.setting, "overall"), (quote.setting, quote.kind)]


def report_pdnc(quotes: list[Quote], held: dict, fit_counts: dict) -> None:
    print(
        f"PDNC, {_FOLDS}-fold cross-validation by novel ({len({q.novel for q in quotes})} novels)"
    )
    print(f"{'':12}" + "".join(f"{s:>34}" for s in SETTINGS))
    print(f"{'':12}" + f"{'cross-val (n)':>20}{'train fit':>10}{'sieve':>7}"[-34:] * 2)
    for kind in ("overall", *_TYPES):
        row = f"{kind:12}"
        for setting in SETTINGS:
            group = [q for q in quotes if q.setting == setting and kind in ("overall", q.kind)]
            right = sum(held[id(q)][0] for q in group)
            trained = fit_counts[(setting, kind)]
            sieve = sum(q.sieve_ok for q in group) / len(group)
            row += f"{right / len(group):>13.3f} ({len(group):5}){trained[0] / trained[1]:>10.3f}"
            row += f"{sieve:>7.3f}"
        print(row)
    for setting in SETTINGS:
        group = [held[id(q)] for q in quotes if q.setting == setting]
        report_review(f"review, {setting}", group)
        report_tradeoff(group)
        report_calibration(group)


def report_review(label: str, decided: list[tuple[bool, float]]) -> None:
    listed = [right for right, confidence in decided if confidence < REVIEW_BELOW]
    wrong = sum(not right for right, _ in decided)
    caught = sum(not right for right in listed)
    print(
        f"{label} (confidence < {REVIEW_BELOW}): lists {caught / max(wrong, 1):.1%} of the "
        f"wrong lines, {len(listed) / len(decided):.1%} of all lines"
    )


def report_tradeoff(decided: list[tuple[bool, float]]) -> None:
    wrong = max(sum(not right for right, _ in decided), 1)
    cells = []
    for below in (0.5, 0.6, 0.7, 0.8):
        listed = [right for right, confidence in decided if confidence < below]
        caught = sum(not right for right in listed) / wrong
        cells.append(f"< {below}: {caught:.0%} of wrong, {len(listed) / len(decided):.0%} listed")
    print("  other thresholds: " + "; ".join(cells))


def report_calibration(decided: list[tuple[bool, float]]) -> None:
    bins = [(0.0, 0.3), (0.3, 0.5), (0.5, 0.7), (0.7, 0.9), (0.9, 1.01)]
    cells = []
    for low, high in bins:
        group = [right for right, confidence in decided if low <= confidence < high]
        if group:
            cells.append(
                f"[{low:.1f},{min(high, 1):.1f}) {sum(group) / len(group):.2f} n={len(group)}"
            )
    print("  calibration (confidence bin: share right): " + "; ".join(cells))


def story_accuracy(
    story: Path, with_cast: bool, ranker: Ranker, exact: bool = False
) -> tuple[int, int, list]:
    """(right, total, [(right, confidence)]) for a story's gold lines. As on
    PDNC, a discovered name is right when it names one character of the
    story's cast file ("Fratelli" is Enzo Fratelli); `exact`: only when it
    is the gold name itself."""
    gold = list(
        csv.DictReader(story.with_suffix(".gold.tsv").open(encoding="utf-8"), delimiter="\t")
    )
    cast_file = story.with_suffix(".cast.yaml")
    gold_cast = load_cast(cast_file) if cast_file.exists() else Cast()
    script = attribute(parse(read(story)), gold_cast if with_cast else None, ranker)
    owner = {
        mention.lower(): character.name
        for character in gold_cast.characters
        for mention in (character.name, *character.aliases)
    }
    words_of = {} if exact else gold_words(owner)
    segments = story_segments(script)
    normal = lambda text: " ".join(text.split()).lower()  # noqa: E731
    matcher = difflib.SequenceMatcher(
        a=[normal(g["quote"]) for g in gold], b=[normal(s.text) for s in segments], autojunk=False
    )
    found = {}
    for block in matcher.get_matching_blocks():
        for offset in range(block.size):
            found[block.a + offset] = segments[block.b + offset]
    decided = []
    for index, row in enumerate(gold):
        segment = found.get(index)
        decided.append(
            (
                segment is not None
                and (gold_name(segment.speaker, script.cast, owner, words_of) or segment.speaker)
                == row["speaker"],
                segment.confidence if segment else 0.0,
            )
        )
    return sum(r for r, _ in decided), len(gold), decided


def report_stories(ranker: Ranker, exact: bool = False) -> None:
    print("\nThe project's stories (ranker trained on all of PDNC, or the shipped one)")
    for with_cast in (True, False):
        decided_all = []
        for story in sorted((ROOT / "stories").glob("*.txt")):
            right, total, decided = story_accuracy(story, with_cast, ranker, exact)
            decided_all += decided
            label = "with cast" if with_cast else "no cast"
            print(f"  {story.name:28} {label:10} {right / total:.3f} ({right}/{total})")
        report_review("  review", decided_all)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pdnc", type=Path, help="the PDNC folder (default: the stories only)")
    parser.add_argument("--novels", help="comma-separated PDNC folder names (default: all)")
    parser.add_argument("--no-stories", action="store_true", help="skip the project's stories")
    parser.add_argument(
        "--one-reading", action="store_true", help="train without the second reading (to compare)"
    )
    parser.add_argument(
        "--exact-aliases",
        action="store_true",
        help="score a discovered name right only when it is a gold alias (the scoring before "
        "4 Dec 2026, to compare)",
    )
    args = parser.parse_args()
    began = time.perf_counter()
    ranker = shipped_ranker()  # the stories alone are scored by the shipped model
    if args.pdnc:
        folders = novels(args.pdnc)
        if args.novels:
            folders = [f for f in folders if f.name in args.novels.split(",")]
        quotes = [q for folder in folders for q in read_novel(folder, args.exact_aliases)]
        held, fit_counts, ranker = cross_validate(quotes, not args.one_reading)
        report_pdnc(quotes, held, fit_counts)
    if not args.no_stories and ranker is not None:
        report_stories(ranker, args.exact_aliases)
    print(f"\n({time.perf_counter() - began:.0f} s)")


if __name__ == "__main__":
    main()
