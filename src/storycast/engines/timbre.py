"""timbre: move a voice's pitch and formants after synthesis, keeping its
duration, with ffmpeg's rubberband filter.

One neural model speaks with one voice; shifting pitch (how high) and
formants (how big the speaker sounds) apart from each other turns it into
several characters a listener tells apart."""

from __future__ import annotations

from storycast import ffmpeg

VERSION = "rubberband-2"
"""Changes whenever the same settings could sound different (part of cache keys)."""


def semitones(steps: float) -> float:
    """A frequency ratio for a shift in semitones."""
    return 2.0 ** (steps / 12.0)


def shift_filter(sample_rate: int, pitch: float, formant: float) -> str:
    """The ffmpeg filter chain that shifts pitch and formants by these semitones.

    rubberband alone moves the pitch with the formants kept, or both
    together. To move formants by F and pitch by P: play the samples F
    faster (asetrate: everything up by F, shorter by F), then let rubberband
    stretch back to the old length and move the pitch by P/F with the
    formants kept where they now are, then resample to the old rate."""
    pitch_ratio, formant_ratio = semitones(pitch), semitones(formant)
    quality = "formant=preserved:pitchq=quality"
    if formant == 0:
        return f"rubberband=pitch={pitch_ratio:.6f}:{quality}"
    fast_rate = round(sample_rate * formant_ratio)
    actual = fast_rate / sample_rate  # the rate is whole hertz; stretch by exactly that
    return (
        f"asetrate={fast_rate},"
        f"rubberband=tempo={1 / actual:.6f}:pitch={pitch_ratio / actual:.6f}:{quality},"
        f"aresample={sample_rate}"
    )


def shift(pcm: bytes, sample_rate: int, pitch: float = 0.0, formant: float = 0.0) -> bytes:
    """Mono 16-bit PCM with its pitch and formants moved; unchanged when both are 0."""
    if not pcm or (pitch == 0 and formant == 0):
        return pcm
    raw = ["-f", "s16le", "-ar", str(sample_rate), "-ac", "1"]
    # rubberband in ffmpeg sometimes drops the last tenth of a second or so
    # (it depends on the input's length); feed a little silence after the
    # line and cut back to the line's own length.
    padding = bytes(2 * (sample_rate // 4))
    out = ffmpeg.run(
        [*raw, "-i", "pipe:0", "-af", shift_filter(sample_rate, pitch, formant), *raw, "pipe:1"],
        stdin=pcm + padding,
    )
    return out[: len(pcm)].ljust(len(pcm), b"\0")
