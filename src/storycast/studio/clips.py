"""clips: one segment's audio, to hear a line in the studio.

The segment is cut into lines and made speakable exactly as a render does
it, so its clips have the render's keys: each comes from the clip cache, or
is said now and cached (the next render finds it there). A long segment's
pieces are joined into one WAV."""

from __future__ import annotations

import io
import threading
import wave

from storycast.model import Chapter, Segment, ThoughtStyle, VoiceProfile
from storycast.script import to_lines
from storycast.studio.state import NotFound, StudioError
from storycast.synth import ClipCache, clip_keys, synthesize_one
from storycast.text.lexicon import Lexicon
from storycast.text.speakable import speakable

_SAYING = threading.Lock()
"""One line said at a time in this process: the engines keep one instance each."""


def segment_wav(
    segment: Segment,
    voices: dict[str, VoiceProfile],
    thought: ThoughtStyle,
    lexicon: Lexicon,
    cache: ClipCache,
) -> bytes:
    """The segment said in its voice (as `voices` gives it), as WAV bytes."""
    lines = speakable(to_lines([Chapter("", (segment,))], voices, thought), lexicon)
    if not lines:
        raise NotFound("that line has no words to say")
    pcm, rates = [], set()
    for line, key in zip(lines, clip_keys(lines)):
        clip = cache.get(key)
        if clip is None:
            with _SAYING:
                clip = cache.get(key) or cache.put(key, synthesize_one(line.profile, line.text))
        with wave.open(str(clip.path), "rb") as source:
            pcm.append(source.readframes(source.getnframes()))
        rates.add(clip.sample_rate)
    if len(rates) != 1:
        raise StudioError("the line's pieces were said at different sample rates")
    return _wav(b"".join(pcm), rates.pop())


def _wav(pcm: bytes, rate: int) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(pcm)
    return buffer.getvalue()
