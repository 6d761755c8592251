"""The espeak-ng engine, for real: deterministic clips, whole lines, plain text."""

from __future__ import annotations

import hashlib

import pytest

from storycast.engines import get
from storycast.errors import EngineError
from storycast.model import VoiceProfile

pytestmark = pytest.mark.slow

NARRATOR = VoiceProfile(name="narrator", voice="gmw/en-GB-x-rp", variant="m1", pitch=45)


@pytest.fixture(scope="module")
def espeak():
    return get("espeak")


def digest(audio) -> str:
    return hashlib.sha256(audio.pcm).hexdigest()


def test_the_same_line_always_gives_the_same_samples(espeak):
    line = "Hello there, Bolly. Shall we see what happens?"
    first = espeak.synthesize(line, NARRATOR)
    espeak.synthesize("Something else entirely, to change the engine's history.", NARRATOR)
    again = espeak.synthesize(line, NARRATOR)
    assert digest(first) == digest(again)


def test_a_longer_line_gives_proportionally_longer_speech(espeak):
    short = espeak.synthesize("Get in the car.", NARRATOR)
    long = espeak.synthesize("Get in the car. " * 4, NARRATOR)
    assert 3.0 < long.seconds / short.seconds < 5.0
    assert (
        max(
            abs(int.from_bytes(long.pcm[i : i + 2], "little", signed=True))
            for i in range(0, len(long.pcm), 2)
        )
        > 1000
    )  # speech, not silence


def test_markup_is_read_as_text_not_obeyed(espeak):
    plain = espeak.synthesize("speak break", NARRATOR)
    markup = espeak.synthesize('<speak><break time="5s"/></speak>', NARRATOR)
    assert markup.seconds < plain.seconds + 3  # a 5 s break would have been obeyed


def test_profiles_change_the_voice(espeak):
    line = "Fire up the Quattro."
    gene = VoiceProfile(name="gene", voice="gmw/en-GB-x-gbclan", variant="m3", pitch=22)
    assert digest(espeak.synthesize(line, gene)) != digest(espeak.synthesize(line, NARRATOR))


def test_unknown_voice_is_an_engine_error(espeak):
    with pytest.raises(EngineError, match="no voice"):
        espeak.synthesize("Hello.", VoiceProfile(name="x", voice="xx/klingon"))
