"""check: measure every audio file of a rendered book and judge it against a
mastering preset, naming each figure that fails."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from storycast.audio.master import Preset
from storycast.audio.measure import Measurement, measure_file
from storycast.book import timing as manifest
from storycast.book.layout import BookFolder
from storycast.errors import InputError

AUDIO_SUFFIXES = (".mp3", ".m4b", ".m4a", ".wav", ".flac", ".ogg", ".opus")


@dataclass(frozen=True)
class Failure:
    figure: str
    """What failed: RMS, peak, noise floor, loudness, true peak, head, ..."""
    detail: str
    """The measured figure against the rule."""

    def __str__(self) -> str:
        return f"{self.figure} {self.detail}"


@dataclass(frozen=True)
class Report:
    measurement: Measurement
    chapter: bool
    """A per-chapter file (the files ACX's per-file rules are about)."""
    failures: tuple[Failure, ...]

    @property
    def passed(self) -> bool:
        return not self.failures


def check_folder(folder: Path, target: Preset) -> list[Report]:
    """Measure and judge every audio file in `folder` (chapters first)."""
    if not folder.is_dir():
        raise InputError(f"{folder}: no such folder")
    paths = sorted(
        p
        for p in folder.iterdir()
        if p.suffix.lower() in AUDIO_SUFFIXES and p.is_file() and not p.name.startswith(".")
    )
    if not paths:
        raise InputError(f"{folder}: no audio files to check")
    chapters = chapter_files(folder, paths)
    paths.sort(key=lambda p: (p not in chapters, p.name))
    measured = [measure_file(path) for path in paths]
    layouts = Counter(m.info.channels for m in measured)
    usual = layouts.most_common(1)[0][0]
    reports = []
    for m in measured:
        failures = judge(m, target, Path(m.path) in chapters)
        if target.same_layout and m.info.channels != usual:
            failures.append(
                Failure("channels", f"{m.info.channels} (the other files have {usual})")
            )
        reports.append(Report(m, Path(m.path) in chapters, tuple(failures)))
    return reports


def chapter_files(folder: Path, paths: list[Path]) -> set[Path]:
    """The chapter files: as the timing manifest names them, else by name."""
    book = BookFolder(folder)
    if book.timing.is_file():
        return {folder / c.file for c in manifest.load(book.timing).chapters}
    return {p for p in paths if book.is_chapter(p)}


def judge(m: Measurement, target: Preset, chapter: bool) -> list[Failure]:
    """Each rule of the preset that the file breaks, with the figure that breaks it."""
    levels, info, fails = m.levels, m.info, []

    def fail(figure: str, detail: str) -> None:
        fails.append(Failure(figure, detail))

    if target.rms and not target.rms[0] <= levels.rms <= target.rms[1]:
        fail("RMS", f"{levels.rms:.1f} dBFS outside {target.rms[0]:g} to {target.rms[1]:g}")
    if target.peak is not None and levels.peak > target.peak:
        fail("peak", f"{levels.peak:.1f} dBFS above {target.peak:g}")
    if target.noise_floor is not None and levels.noise_floor > target.noise_floor:
        fail("noise floor", f"{levels.noise_floor:.1f} dBFS above {target.noise_floor:g}")
    if target.no_digital_silence and levels.digital_silence > 0:
        fail("digital silence", f"{levels.digital_silence:.2f} s (room tone expected)")
    aim = target.loudness_stereo if info.channels >= 2 else target.loudness_mono
    if aim is not None and abs(levels.loudness - aim) > target.loudness_tolerance:
        fail(
            "loudness",
            f"{levels.loudness:.1f} LUFS not within {target.loudness_tolerance:g} LU of {aim:g}",
        )
    if target.true_peak is not None and levels.true_peak > target.true_peak:
        fail("true peak", f"{levels.true_peak:.1f} dBTP above {target.true_peak:g}")
    if target.sample_rate and info.sample_rate != target.sample_rate:
        fail("sample rate", f"{info.sample_rate} Hz, not {target.sample_rate}")
    if target.head and not target.head[0] <= levels.head <= target.head[1]:
        fail(
            "head",
            f"room tone {levels.head:.2f} s outside {target.head[0]:g} to {target.head[1]:g}",
        )
    if target.tail and not target.tail[0] <= levels.tail <= target.tail[1]:
        fail(
            "tail",
            f"room tone {levels.tail:.2f} s outside {target.tail[0]:g} to {target.tail[1]:g}",
        )
    if chapter and target.min_bitrate:  # ACX's rules for the files handed in
        if info.codec != "mp3":
            fail("codec", f"{info.codec}, not mp3")
        elif info.constant_bitrate is False:
            fail("bitrate", "variable, not constant")
        if info.bitrate < target.min_bitrate:
            fail("bitrate", f"{info.bitrate // 1000} kbps below {target.min_bitrate // 1000}")
    if chapter and target.max_seconds and info.seconds > target.max_seconds:
        fail("duration", f"{info.seconds / 60:.1f} min over {target.max_seconds / 60:g}")
    return fails


_COLUMNS = (
    "file",
    "RMS",
    "peak",
    "floor",
    "LUFS",
    "TP",
    "length",
    "kHz",
    "kbps",
    "head",
    "tail",
    "result",
)


def table(reports: list[Report], target: Preset) -> str:
    """The report as a fixed-width table, then one line per failing file."""
    rows = [_COLUMNS] + [_row(r) for r in reports]
    widths = [max(len(row[i]) for row in rows) for i in range(len(_COLUMNS))]
    lines = [
        "  ".join(
            cell.ljust(w) if i == 0 else cell.rjust(w)
            for i, (cell, w) in enumerate(zip(row, widths))
        ).rstrip()
        for row in rows
    ]
    failed = [r for r in reports if not r.passed]
    lines.append("")
    for report in failed:
        lines.append(
            f"FAIL {Path(report.measurement.path).name}: " + "; ".join(map(str, report.failures))
        )
    lines.append(
        f"{len(reports) - len(failed)} of {len(reports)} file(s) pass the "
        f"{target.name} preset (RMS/peak/floor dBFS, LUFS, TP dBTP, head/tail s)"
    )
    return "\n".join(lines)


def _row(report: Report) -> tuple[str, ...]:
    m, levels = report.measurement, report.measurement.levels
    minutes, seconds = divmod(m.info.seconds, 60)
    kbps = f"{m.info.bitrate // 1000}" + ("" if m.info.constant_bitrate is not False else " vbr")
    figures = dict.fromkeys(f.figure for f in report.failures)
    result = "pass" if report.passed else "FAIL: " + ", ".join(figures)
    return (
        Path(m.path).name,
        _db(levels.rms),
        _db(levels.peak),
        _db(levels.noise_floor),
        _db(levels.loudness),
        _db(levels.true_peak),
        f"{int(minutes)}:{seconds:04.1f}",
        f"{m.info.sample_rate / 1000:g}",
        kbps,
        f"{levels.head:.2f}",
        f"{levels.tail:.2f}",
        result,
    )


def _db(value: float) -> str:
    return "-inf" if value == -math.inf else f"{value:.1f}"
