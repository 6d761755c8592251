"""timbre: move a voice's pitch and formants, and tilt its spectrum, after
synthesis.

One neural model speaks with one voice; a few characters are made from it by
moving how high it sounds (pitch), how big the speaker sounds (formants) and
how bright it sounds (tilt). Measured with a speech recognizer (`storycast
voices check`), the phase vocoder that moves pitch apart from formants costs
most of a voice's intelligibility even for a semitone or two, while playing
the samples faster or slower (pitch and formants together, as a smaller or
bigger speaker would sound) costs next to nothing for a few semitones. So:

- the formant shift F is a change of playback rate: the engine has the model
  speak 2^(F/12) slower first (its length_scale), then the samples are
  played 2^(F/12) faster, which moves pitch and formants together by F and
  gives back the pace the profile asked for;
- only the part of the pitch shift that differs from F goes through
  rubberband (formants kept); the shipped main profiles use none;
- the tilt is a gentle shelf: a cut of the lows (brighter) or of the highs
  (darker), never a boost, so nothing clips."""

from __future__ import annotations

from storycast import ffmpeg

VERSION = "timbre-3"
"""Changes whenever the same settings could sound different (part of cache keys)."""
LOW_SHELF_HZ = 300
HIGH_SHELF_HZ = 3000


def semitones(steps: float) -> float:
    """A frequency ratio for a shift in semitones."""
    return 2.0 ** (steps / 12.0)


def slowed_for(formant: float) -> float:
    """How much slower the engine must speak so that, played faster by the
    formant shift, the line keeps its pace: multiply length_scale by this."""
    return semitones(formant)


def shift_filter(sample_rate: int, pitch: float, formant: float, tilt: float = 0.0) -> str:
    """The ffmpeg filter chain for these shifts (semitones) and tilt (dB); empty
    when there is nothing to do."""
    chain = []
    if formant:
        # The rate is whole hertz; the length the caller expects uses the same rate.
        chain += [f"asetrate={faster_rate(sample_rate, formant)}", f"aresample={sample_rate}"]
    if pitch != formant:
        ratio = semitones(pitch - formant)
        chain.append(f"rubberband=pitch={ratio:.6f}:formant=preserved:pitchq=quality")
    if tilt > 0:
        chain.append(f"bass=g={-tilt:g}:f={LOW_SHELF_HZ}")
    elif tilt < 0:
        chain.append(f"treble=g={tilt:g}:f={HIGH_SHELF_HZ}")
    return ",".join(chain)


def faster_rate(sample_rate: int, formant: float) -> int:
    return round(sample_rate * semitones(formant))


def shifted_length(samples: int, sample_rate: int, formant: float) -> int:
    """Samples a line of `samples` has after the formant shift's faster playback."""
    if not formant:
        return samples
    return round(samples * sample_rate / faster_rate(sample_rate, formant))


def shift(
    pcm: bytes, sample_rate: int, pitch: float = 0.0, formant: float = 0.0, tilt: float = 0.0
) -> bytes:
    """Mono 16-bit PCM with its pitch, formants and tilt moved; unchanged when
    all are 0. Its length shrinks (or grows) by the formant shift's rate change."""
    chain = shift_filter(sample_rate, pitch, formant, tilt)
    if not pcm or not chain:
        return pcm
    raw = ["-f", "s16le", "-ar", str(sample_rate), "-ac", "1"]
    # rubberband in ffmpeg sometimes drops the last tenth of a second or so
    # (it depends on the input's length); feed a little silence after the
    # line and cut back to the line's own length.
    padding = bytes(2 * (sample_rate // 4))
    out = ffmpeg.run([*raw, "-i", "pipe:0", "-af", chain, *raw, "pipe:1"], stdin=pcm + padding)
    length = 2 * shifted_length(len(pcm) // 2, sample_rate, formant)
    return out[:length].ljust(length, b"\0")
