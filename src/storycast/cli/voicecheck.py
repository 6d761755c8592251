"""voices check: how intelligible and how distinct voice profiles are."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from storycast.cli.app import JsonOption, VoicesOption, engine_option, progress_bars, user_errors

if TYPE_CHECKING:  # imported when the command runs, so --help stays instant
    from storycast.voicecheck.check import Report

TEXT_LIMIT = 100_000
"""About 15,000 words, over an hour of speech to recognize: plenty for a check."""
MAIN_PROFILES = ("narrator", "gene", "alex")
"""The main cast of the sample stories: checked when no profile is named."""


def check(
    names: list[str] = typer.Argument(
        None,
        metavar="PROFILE",
        help="Voice profiles to check (default: the main profiles, narrator, gene "
        "and alex, for --engine).",
    ),
    engine: str | None = engine_option(
        "Check each profile's counterpart for this engine (default piper when no PROFILE is named)."
    ),
    text_file: Path | None = typer.Option(
        None,
        "--text",
        metavar="FILE",
        dir_okay=False,
        help="Say this text instead of the built-in paragraph (slower; plain text).",
    ),
    extra: list[Path] = VoicesOption,
    as_json: bool = JsonOption,
) -> None:
    """Say a paragraph in each profile and its base voice; print the word
    error rate a speech recognizer gets (and what the profile adds to its
    base voice's), the median pitch, and how far apart every two profiles
    are. Exits 1 when a profile costs more than 0.08 or two sound alike."""
    from storycast.cast import for_engine, load_profiles, voice_dirs
    from storycast.errors import InputError
    from storycast.voicecheck import check as voicecheck

    with user_errors():
        profiles = load_profiles(voice_dirs(extra))
        chosen = list(names or MAIN_PROFILES)
        engine = engine or (None if names else "piper")
        choices = for_engine(profiles, engine) if engine else dict(profiles)
        missing = [name for name in chosen if not choices.get(name)]
        if missing:
            raise InputError(
                f"no voice profile {missing[0]!r}"
                + (f" for {engine}" if engine else "")
                + f"; have: {', '.join(sorted(n for n, p in choices.items() if p))}"
            )
        text = _read_text(text_file) if text_file else voicecheck.PARAGRAPH
        selected = [p for p in (choices[name] for name in chosen) if p]
        with progress_bars() as progress:
            advance = progress("Voices measured", voicecheck.renderings(selected))
            report = voicecheck.check(selected, " ".join(text.split()), advance)
    if as_json:
        typer.echo(json.dumps(_report_data(report), indent=2))
    else:
        for line in table(report):
            typer.echo(line)
    if not report.passed:
        raise typer.Exit(1)


def _read_text(path: Path) -> str:
    """The words of a plain-text file (at most TEXT_LIMIT bytes), or InputError."""
    from storycast.errors import InputError

    with open(path, "rb") as handle:
        data = handle.read(TEXT_LIMIT + 1)
    if len(data) > TEXT_LIMIT:
        raise InputError(f"{path}: longer than {TEXT_LIMIT // 1000} KB; check a shorter text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError(f"{path}: not UTF-8 text") from None
    if not text.strip():
        raise InputError(f"{path}: no words to say")
    return text


def table(report: Report) -> list[str]:
    """The report as the lines of two plain-text tables: voices, then pairs."""
    from storycast.voicecheck.check import BUDGET

    lines = [
        f"{'profile':18} {'engine':7} {'WER':>5} {'base':>5} {'cost':>6} {'pitch':>7}  flag",
    ]
    for voice in report.voices:
        flag = f"costs over {BUDGET:.2f}" if voice.over_budget else ""
        lines.append(
            f"{voice.profile.name:18} {voice.profile.engine:7} {voice.own.wer:5.2f} "
            f"{voice.base.wer:5.2f} {voice.cost:+6.2f} {_hz(voice.own.pitch):>7}  {flag}".rstrip()
        )
    if report.pairs:
        lines += ["", f"{'pair':38} {'pitch apart':>11} {'spectral':>8}  flag"]
    for pair in report.pairs:
        apart = "?" if math.isnan(pair.semitones) else f"{pair.semitones:.1f} st"
        flag = "too alike" if pair.too_alike else ""
        names = f"{pair.first} / {pair.second}"
        lines.append(f"{names:38} {apart:>11} {pair.spectral:8.1f}  {flag}".rstrip())
    return lines


def _hz(pitch: float) -> str:
    return "?" if math.isnan(pitch) else f"{pitch:.0f} Hz"


def _report_data(report: Report) -> dict:
    def number(value: float) -> float | None:
        return None if math.isnan(value) else round(value, 3)

    return {
        "passed": report.passed,
        "voices": [
            {
                "profile": v.profile.name,
                "engine": v.profile.engine,
                "wer": number(v.own.wer),
                "base_wer": number(v.base.wer),
                "cost": number(v.cost),
                "pitch_hz": number(v.own.pitch),
                "over_budget": v.over_budget,
            }
            for v in report.voices
        ],
        "pairs": [
            {
                "profiles": [p.first, p.second],
                "semitones": number(p.semitones),
                "spectral": number(p.spectral),
                "too_alike": p.too_alike,
            }
            for p in report.pairs
        ],
    }
