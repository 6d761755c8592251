"""How fast storycast renders with the Piper engine, side by side with the
`piper` command-line program (from piper-tts) synthesizing the same text
alone, on the same machine in the same run.

    .venv/bin/python benchmarks/piper_speed.py [STORY] [--jobs N] [--skip-render]

Prints, for each way: wall seconds, CPU seconds (all processes: workers,
ffmpeg), seconds of speech, times faster than real time, and the ratios of
wall and CPU time to the bare program's. On a machine shared with other
work the CPU figures are the steadier ones. The ways:
  piper CLI       every line of the story, one per line, in one `piper` run
  synth plain     storycast's synthesis stage, every line in the plain joe
                  voice (the same work as the CLI: storycast's own overhead)
  synth voices    the synthesis stage with the piper-* character voices
                  (their rates and pitch/formant shifts)
  render          `storycast render --engine piper`, end to end: synthesis,
                  assembly, MP3 encoding (cold clip cache)
Asserts nothing; timings depend on the machine and its load."""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
import wave
from dataclasses import replace
from pathlib import Path

from storycast.cast import assign_voices, load_profiles, voice_dirs
from storycast.engines.piper import bundled_model
from storycast.model import Line, VoiceProfile
from storycast.script import load_script, spoken_chapters, to_lines
from storycast.synth import ClipCache, synthesize
from storycast.text.speakable import speakable

ROOT = Path(__file__).resolve().parents[1]
PLAIN = VoiceProfile(name="plain-joe", engine="piper", voice="joe")


def story_lines(story: Path, engine: str) -> list[Line]:
    script = load_script(story)
    voices = assign_voices(script, load_profiles(voice_dirs()), engine)
    return speakable(to_lines(spoken_chapters(script, False), voices))


class Timer:
    """Wall and CPU seconds (this process and every child it waited for)."""

    def __enter__(self) -> Timer:
        self.wall, self.cpu = time.perf_counter(), _cpu()
        return self

    def __exit__(self, *_: object) -> None:
        self.wall, self.cpu = time.perf_counter() - self.wall, _cpu() - self.cpu


def _cpu() -> float:
    return sum(
        u.ru_utime + u.ru_stime
        for u in (
            resource.getrusage(resource.RUSAGE_SELF),
            resource.getrusage(resource.RUSAGE_CHILDREN),
        )
    )


def time_piper_cli(texts: list[str], work: Path) -> tuple[Timer, float]:
    """(time taken, seconds of speech) for the bare `piper` program."""
    text_file, wav_file = work / "story.txt", work / "piper.wav"
    text_file.write_text("\n".join(t.replace("\n", " ") for t in texts) + "\n", encoding="utf-8")
    program = Path(sys.executable).with_name("piper")
    with Timer() as timer:
        subprocess.run(
            [str(program), "-m", str(bundled_model()), "-i", str(text_file), "-f", str(wav_file)],
            check=True,
            capture_output=True,
        )
    with wave.open(str(wav_file)) as clip:
        return timer, clip.getnframes() / clip.getframerate()


def time_synth(lines: list[Line], work: Path, jobs: int) -> tuple[Timer, float]:
    with Timer() as timer:
        clips = synthesize(lines, ClipCache(work), jobs)
    return timer, sum(c.samples / c.sample_rate for c in clips)


def time_render(story: Path, work: Path, jobs: int) -> tuple[Timer, float]:
    program = Path(sys.executable).with_name("storycast")
    with Timer() as timer:
        result = subprocess.run(
            [
                str(program),
                "render",
                str(story),
                "--engine",
                "piper",
                "-o",
                str(work),
                "--jobs",
                str(jobs),
            ],
            check=True,
            capture_output=True,
            text=True,
        )
    length = next(line for line in result.stdout.splitlines() if "chapter(s)" in line)
    minutes, seconds = length.rsplit(" ", 1)[1].split(":")
    return timer, int(minutes) * 60 + int(seconds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("story", nargs="?", type=Path, default=ROOT / "stories" / "the-tab.txt")
    parser.add_argument("--engine", default="piper", choices=["piper"])
    parser.add_argument("--jobs", type=int, default=0, help="worker processes (0: one per core)")
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="rounds of every way, in turn; the fastest of each is kept",
    )
    parser.add_argument("--skip-render", action="store_true", help="leave out the full render")
    args = parser.parse_args()
    jobs = args.jobs or os.cpu_count() or 1

    lines = story_lines(args.story, args.engine)
    words = sum(len(line.text.split()) for line in lines)
    print(
        f"{args.story.name}: {len(lines)} lines, {words} words; {jobs} worker(s), "
        f"{os.cpu_count()} core(s)"
    )
    plain = [replace(line, profile=PLAIN) for line in lines]
    ways = {
        "piper CLI": lambda work: time_piper_cli([line.text for line in lines], work),
        "synth plain": lambda work: time_synth(plain, work, jobs),
        "synth voices": lambda work: time_synth(lines, work, jobs),
    }
    if not args.skip_render:
        ways["render"] = lambda work: time_render(args.story, work, jobs)
    best: dict[str, tuple[Timer, float]] = {}
    load = os.getloadavg()[0]
    for _ in range(args.repeat):
        for name, way in ways.items():
            with tempfile.TemporaryDirectory(prefix="storycast-bench-") as folder:
                timer, speech = way(Path(folder))
            if name not in best or timer.wall < best[name][0].wall:
                best[name] = (timer, speech)
    report(best, load)


def report(best: dict[str, tuple[Timer, float]], load: float) -> None:
    bare = best["piper CLI"][0]
    print(f"load average before: {load:.2f}, after: {os.getloadavg()[0]:.2f}")
    print(
        f"{'way':14} {'wall s':>7} {'CPU s':>7} {'speech s':>9} {'x real time':>12} "
        f"{'wall/CLI':>9} {'CPU/CLI':>8}"
    )
    for name, (timer, speech) in best.items():
        print(
            f"{name:14} {timer.wall:7.1f} {timer.cpu:7.1f} {speech:9.1f} "
            f"{speech / timer.wall:12.1f} {timer.wall / bare.wall:9.2f} "
            f"{timer.cpu / bare.cpu:8.2f}"
        )


if __name__ == "__main__":
    main()
