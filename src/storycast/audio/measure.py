"""measure: what a meter says about a file, read from ffmpeg's own meters.

One ffmpeg pass per file: ebur128 (ITU-R BS.1770 integrated loudness and
true peak) on one branch, astats over 20 ms windows on the other. The
windows give the whole-file RMS and sample peak, the noise floor (the
quietest half second, as ACX measures it), any digital silence, and the
room tone before the first and after the last sound."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

from storycast import ffmpeg
from storycast.errors import InputError, ToolError

WINDOW = 0.02
"""Seconds per astats window."""
NOISE_WINDOW = 0.5
"""The noise floor is the RMS of the quietest stretch this long."""
SOUND_DBFS = -50.0
"""A window louder than this is sound, not room tone (room tone sits near -70)."""


@dataclass(frozen=True)
class Levels:
    """Levels of one stream of audio, in dB relative to full scale."""

    rms: float
    """RMS over the whole file, dBFS (what ACX calls RMS)."""
    peak: float
    """Highest sample, dBFS."""
    noise_floor: float
    """RMS of the quietest NOISE_WINDOW seconds, dBFS."""
    loudness: float
    """Integrated loudness, LUFS (-70 when everything is below the gate)."""
    true_peak: float
    """Highest peak between samples (4x oversampled), dBTP."""
    head: float
    """Seconds of room tone before the first sound."""
    tail: float
    """Seconds of room tone after the last sound."""
    digital_silence: float
    """Seconds of windows with every sample exactly zero."""
    samples: int
    """Samples per channel."""


@dataclass(frozen=True)
class FileInfo:
    """What ffprobe (and for MP3, the LAME header) says about a file."""

    codec: str
    sample_rate: int
    channels: int
    seconds: float
    bitrate: int
    """Bits per second of the audio stream (0 when unknown)."""
    constant_bitrate: bool | None
    """True for CBR MP3, False for VBR/ABR, None when the format does not say."""


@dataclass(frozen=True)
class Measurement:
    path: str
    info: FileInfo
    levels: Levels


def measure_file(path: Path) -> Measurement:
    """Probe and meter one audio file."""
    info = file_info(path)
    return Measurement(str(path), info, levels(["-i", str(path)], info.sample_rate))


def quick_level(path: Path, sample_rate: int | None, sample_format: str | None, kind: str) -> float:
    """One figure, cheaply, for mastering's decisions: "rms" or "peak" (dBFS,
    astats), "loudness" (LUFS, ebur128) or "true_peak" (dBTP, ebur128).
    Raw mono PCM when sample_rate and sample_format are given, else a file."""
    source = (
        ["-f", sample_format, "-ar", str(sample_rate), "-ac", "1"] if sample_format else []
    ) + ["-i", str(path), "-map", "0:a:0"]
    _, stderr = ffmpeg.measure([*source, "-af", level_filter(kind), "-f", "null", "-"])
    return parse_level(stderr, kind)


def loudnesses(paths: list[Path], sample_rate: int, sample_format: str) -> list[float]:
    """Integrated loudness (LUFS) of each raw mono PCM file, all metered by
    one ffmpeg (an ebur128 per input): a chapter's voices are many short
    files, and starting ffmpeg costs more than metering one of them."""
    if not paths:
        return []
    inputs = [
        arg
        for path in paths
        for arg in ("-f", sample_format, "-ar", str(sample_rate), "-ac", "1", "-i", str(path))
    ]
    meters = ";".join(f"[{n}:a]{level_filter('loudness')}[m{n}]" for n in range(len(paths)))
    joined = "".join(f"[m{n}]" for n in range(len(paths)))
    _, stderr = ffmpeg.measure(
        [
            *inputs,
            "-filter_complex",
            f"{meters};{joined}concat=n={len(paths)}:v=0:a=1[all]",
            "-map",
            "[all]",
            "-f",
            "null",
            "-",
        ]
    )
    summaries = dict(
        re.findall(
            r"\[Parsed_ebur128_(\d+) @ [^]]+\] Summary:(.*?)(?=\[Parsed_|\Z)", stderr, flags=re.S
        )
    )
    if len(summaries) != len(paths):
        raise ToolError("ffmpeg's ebur128 gave no summary", [], stderr)
    return [
        _ebur128_summary("Summary:" + summaries[key], with_peak=False)[0]
        for key in sorted(summaries, key=int)
    ]


def level_filter(kind: str) -> str:
    """The ffmpeg filter that reports `kind` on stderr (see parse_level)."""
    if kind in ("rms", "peak"):
        return "astats=measure_perchannel=none:measure_overall=RMS_level+Peak_level"
    return f"ebur128=peak={'true' if kind == 'true_peak' else 'none'}:framelog=verbose"


def parse_level(stderr: str, kind: str) -> float:
    if kind in ("rms", "peak"):
        label = "RMS level dB" if kind == "rms" else "Peak level dB"
        found = re.findall(label + r": (\S+)", stderr)
        if not found:
            raise ToolError(f"ffmpeg's astats gave no {label}", [], stderr)
        return float(found[-1])
    loudness, peak = _ebur128_summary(stderr, with_peak=kind == "true_peak")
    return peak if kind == "true_peak" else loudness


def file_info(path: Path) -> FileInfo:
    try:
        probed = ffmpeg.probe(path)
    except ToolError as error:
        raise InputError(f"{path}: not a readable audio file ({error})") from None
    audio = [s for s in probed.get("streams", []) if s.get("codec_type") == "audio"]
    if not audio:
        raise InputError(f"{path}: has no audio stream")
    stream = audio[0]
    seconds = float(stream.get("duration") or probed.get("format", {}).get("duration") or 0)
    bitrate = int(stream.get("bit_rate") or probed.get("format", {}).get("bit_rate") or 0)
    return FileInfo(
        stream.get("codec_name", "?"),
        int(stream.get("sample_rate", 0)),
        int(stream.get("channels", 0)),
        seconds,
        bitrate,
        _mp3_cbr(path, stream),
    )


def _mp3_cbr(path: Path, stream: dict) -> bool | None:
    """CBR or not, from the LAME/Xing header mutagen reads ('Info' means CBR)."""
    if stream.get("codec_name") != "mp3":
        return None
    from mutagen.mp3 import MP3, BitrateMode, HeaderNotFoundError

    try:
        info = MP3(path).info
    except HeaderNotFoundError:
        return None
    mode = info.bitrate_mode if info else BitrateMode.UNKNOWN
    return None if mode == BitrateMode.UNKNOWN else mode == BitrateMode.CBR


def levels(input_args: list[str], sample_rate: int) -> Levels:
    """Run the meters over one input (ffmpeg input arguments ending in -i X)."""
    window = max(1, round(sample_rate * WINDOW))
    graph = (
        "[0:a:0]asplit=2[meter][windows];"
        "[meter]ebur128=peak=true:framelog=verbose,anullsink;"
        f"[windows]asetnsamples=n={window}:p=0,"
        "astats=metadata=1:reset=1:measure_perchannel=none:"
        "measure_overall=RMS_level+Peak_level+Number_of_samples,"
        r"ametadata=mode=print:file='pipe\:1'[out]"
    )
    stdout, stderr = ffmpeg.measure(
        [*input_args, "-filter_complex", graph, "-map", "[out]", "-f", "null", "-"]
    )
    rms, peaks, counts = _windows(stdout.decode("ascii", "replace"))
    loudness, true_peak = _ebur128_summary(stderr)
    return summarise(rms, peaks, counts, sample_rate, loudness, true_peak)


_WINDOW_VALUE = re.compile(
    r"^lavfi\.astats\.Overall\.(RMS_level|Peak_level|Number_of_samples)="
    r"(\S+)$",
    re.M,
)


def _windows(text: str) -> tuple[list[float], list[float], list[int]]:
    """Per-window RMS (dBFS), peak (dBFS) and samples, from ametadata's print."""
    rms: list[float] = []
    peaks: list[float] = []
    counts: list[int] = []
    for key, value in _WINDOW_VALUE.findall(text):
        if key == "RMS_level":
            rms.append(float(value))
        elif key == "Peak_level":
            peaks.append(float(value))
        else:
            counts.append(int(float(value)))
    return rms, peaks, counts


def _ebur128_summary(stderr: str, with_peak: bool = True) -> tuple[float, float]:
    summary = stderr[stderr.rfind("Summary:") :]
    loudness = re.search(r"I:\s+(-?[\d.]+|-inf) LUFS", summary)
    peak = re.search(r"True peak:\s+Peak:\s+(-?[\d.]+|-inf) dBFS", summary)
    if not loudness or (with_peak and not peak):
        raise ToolError("ffmpeg's ebur128 gave no summary", [], stderr)
    return float(loudness.group(1)), float(peak.group(1)) if peak else math.nan


def summarise(
    rms: list[float],
    peaks: list[float],
    counts: list[int],
    sample_rate: int,
    loudness: float,
    true_peak: float,
) -> Levels:
    """Whole-file figures from the window figures (power-weighted by samples)."""
    if not rms:
        return Levels(-math.inf, -math.inf, -math.inf, loudness, true_peak, 0.0, 0.0, 0.0, 0)
    counts = counts if len(counts) == len(rms) else [1] * len(rms)
    powers = [_power(level) for level in rms]
    total = sum(counts)
    mean_power = sum(p * n for p, n in zip(powers, counts)) / total
    sound = [i for i, level in enumerate(rms) if level > SOUND_DBFS]
    seconds = [n / sample_rate for n in counts]
    head = sum(seconds[: sound[0]]) if sound else total / sample_rate
    tail = sum(seconds[sound[-1] + 1 :]) if sound else total / sample_rate
    silent = sum(s for s, level in zip(seconds, rms) if level == -math.inf)
    return Levels(
        _db(mean_power),
        max(peaks, default=-math.inf),
        _quietest(powers, counts, round(NOISE_WINDOW / WINDOW)),
        loudness,
        true_peak,
        head,
        tail,
        silent,
        total,
    )


def _quietest(powers: list[float], counts: list[int], span: int) -> float:
    """dB of the lowest mean power over `span` consecutive windows (sliding)."""
    span = max(1, min(span, len(powers)))
    weighted = [p * n for p, n in zip(powers, counts)]
    power, samples = sum(weighted[:span]), sum(counts[:span])
    lowest = power / samples
    for i in range(span, len(powers)):
        power += weighted[i] - weighted[i - span]
        samples += counts[i] - counts[i - span]
        lowest = min(lowest, power / samples)
    return _db(max(lowest, 0.0))


def _power(level_db: float) -> float:
    return 0.0 if level_db == -math.inf else 10 ** (level_db / 10)


def _db(power: float) -> float:
    return 10 * math.log10(power) if power > 0 else -math.inf
