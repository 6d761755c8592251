"""recognize: what a plain speech recognizer hears in a voice, and how far
that is from the text (word error rate).

A recognizer is harsher than a listener, but damage that doubles its errors
on the same words is damage a listener hears too. pocketsphinx's wheel ships
its own US English model, so this works offline; it is imported only here,
when a check runs."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from storycast import ffmpeg
from storycast.errors import StorycastError

RATE = 16000
"""pocketsphinx's model is for 16 kHz speech."""
_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")


def words(text: str) -> list[str]:
    """Lower-case words, punctuation dropped (how the recognizer writes them)."""
    return _WORD.findall(text.lower().replace("’", "'"))


def word_error_rate(reference: str, heard: str) -> float:
    """(substitutions + deletions + insertions) / words of the reference."""
    said, got = words(reference), words(heard)
    if not said:
        return 0.0 if not got else 1.0
    row = list(range(len(got) + 1))
    for i, word in enumerate(said, 1):
        diagonal, row[0] = row[0], i
        for j, other in enumerate(got, 1):
            diagonal, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, diagonal + (word != other))
    return row[-1] / len(said)


@cache
def _decoder() -> Any:
    try:
        from pocketsphinx import Decoder
    except ImportError:
        raise StorycastError(
            "voices check needs the pocketsphinx package: pip install pocketsphinx"
        ) from None
    return Decoder(samprate=RATE, logfn="/dev/null")


def transcribe(pcm: bytes, sample_rate: int) -> str:
    """What pocketsphinx hears in mono 16-bit PCM at `sample_rate`."""
    decoder = _decoder()
    resampled = ffmpeg.run([*_raw(sample_rate), "-i", "pipe:0", *_raw(RATE), "pipe:1"], stdin=pcm)
    decoder.start_utt()
    decoder.process_raw(resampled, full_utt=True)
    decoder.end_utt()
    hypothesis = decoder.hyp()
    return hypothesis.hypstr if hypothesis is not None else ""


def _raw(rate: int) -> list[str]:
    return ["-f", "s16le", "-ar", str(rate), "-ac", "1"]
