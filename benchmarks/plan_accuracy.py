"""How close `storycast render --plan` comes to the time a render takes.

For each case, `render --plan --json` is asked first, then the same render
is run and timed from outside (the whole command, process start included),
and the two are printed side by side. The cases, on texts generated as
render_speed.py makes them (each repeat made distinct):

  cold   a fresh text, nothing cached, at a few lengths and chapter counts
  edit   one line changed in the longest text: one chapter is made again
  same   the same text again: only the book's files are written
  part   --chapters 2 of a fresh text

The machine is timed first (calibration, once, as on a user's first
--plan); that time is reported apart. Target: every estimate within 25%.

Usage:
  python benchmarks/plan_accuracy.py
  python benchmarks/plan_accuracy.py --minutes 0.5 2 5 --jobs 2
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from render_speed import generate, one_line_edit  # noqa: E402  (a sibling script, not a package)

TARGET = 0.25


def main() -> None:
    args = parse_args()
    work = Path(tempfile.mkdtemp(prefix="storycast-plan-"))
    env = {**os.environ, "XDG_CACHE_HOME": str(work / "cache")}
    try:
        calibration = calibrate(work, env, args)
        rows = []
        texts = []
        for minutes, chapters in zip(args.minutes, args.chapters):
            story = work / f"cold-{minutes:g}min.txt"
            story.write_text(generate(minutes, chapters), encoding="utf-8")
            texts.append(story)
            rows.append(case(f"cold {minutes:g} min, {chapters} ch", story, work, env, args))
        longest = texts[-1]
        one_line_edit(longest)
        rows.append(case("edit: 1 chapter again", longest, work, env, args))
        rows.append(case("same: book files only", longest, work, env, args))
        part = ["--chapters", "2", "-o", str(work / "out-part")]  # a fresh folder and cache
        rows.append(case("part: --chapters 2", texts[-1], work, env, args, part))
        print_table(rows, calibration)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--minutes", type=float, nargs="+", default=[0.5, 2.0, 5.0])
    parser.add_argument("--chapters", type=int, nargs="+", default=[1, 3, 5])
    parser.add_argument("--jobs", type=int, default=0, help="synthesis processes (0: cores)")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    args = parser.parse_args()
    if len(args.chapters) != len(args.minutes):
        parser.error("give one --chapters count per --minutes length")
    return args


def storycast(story: Path, work: Path, args: argparse.Namespace, extra: list[str]) -> list[str]:
    """The render command; a later -o in `extra` wins over the shared one."""
    command = [sys.executable, "-m", "storycast", "render", str(story), "-o", str(work / "out")]
    return command + (["--jobs", str(args.jobs)] if args.jobs else []) + extra


def calibrate(work: Path, env: dict[str, str], args: argparse.Namespace) -> float:
    """The first --plan on this machine times it; that is not a render's time."""
    story = work / "calibrate.txt"
    story.write_text("Calibration\n\nShe said hello, and he said it back.\n", encoding="utf-8")
    started = time.perf_counter()
    subprocess.run(
        storycast(story, work, args, ["--plan"]), env=env, check=True, capture_output=True
    )
    return time.perf_counter() - started


def case(
    name: str,
    story: Path,
    work: Path,
    env: dict[str, str],
    args: argparse.Namespace,
    extra: list[str] | None = None,
) -> dict:
    extra = extra or []
    planned = subprocess.run(
        storycast(story, work, args, [*extra, "--plan", "--json"]),
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    plan = json.loads(planned.stdout)
    started = time.perf_counter()
    subprocess.run(storycast(story, work, args, extra), env=env, check=True, capture_output=True)
    measured = time.perf_counter() - started
    return {"case": name, "plan": plan, "measured": measured}


def print_table(rows: list[dict], calibration: float) -> None:
    stages = list(rows[0]["plan"]["stages"])
    header = (
        f"{'case':26} {'to make':>8} {'estimate s':>10} {'measured s':>10} {'error':>7}   "
        + " ".join(f"{stage:>6}" for stage in stages)
    )
    print(header)
    print("-" * len(header))
    worst = 0.0
    for row in rows:
        plan, measured = row["plan"], row["measured"]
        error = plan["estimated_seconds"] / measured - 1
        worst = max(worst, abs(error))
        made = f"{plan['chapters_to_make']}/{plan['chapters']}"
        print(
            f"{row['case']:26} {made:>8} {plan['estimated_seconds']:10.1f} {measured:10.1f} "
            f"{error:+7.0%}   " + " ".join(f"{plan['stages'][s]:6.1f}" for s in stages)
        )
    verdict = "within" if worst <= TARGET else "OUTSIDE"
    print(
        f"\nworst error {worst:.0%} ({verdict} the {TARGET:.0%} target); error = "
        f"estimate / measured - 1; measured = the whole command, process start included"
    )
    print(f"calibration (first --plan on this machine, once): {calibration:.1f} s")
    print(f"{os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()
