"""Italic thoughts: their own segments, with the thinker as speaker, voiced
quieter in the thinker's voice."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from storycast.cast import load_cast, thought_voice
from storycast.errors import ConfigError
from storycast.model import ThoughtStyle, VoiceProfile
from storycast.script import load_script, to_lines
from storycast.text.emphasis import strip_markers

CAST = """\
characters:
  Gene: {gender: male, aliases: [Guv]}
  Alex: {gender: female, aliases: [Bolly]}
"""


def _script(tmp_path: Path, text: str, cast: str = CAST, newline: str = "\n"):
    story = tmp_path / "story.txt"
    story.write_bytes(text.replace("\n", newline).encode("utf-8"))
    cast_file = tmp_path / "story.cast.yaml"
    cast_file.write_text(cast, encoding="utf-8")
    return load_script(story, cast_file), story


def _spoken(script) -> list[tuple[str, str, str, str]]:
    return [
        (s.kind, s.speaker, s.text, s.rule)
        for c in script.chapters
        for s in c.segments
        if s.kind in ("speech", "thought")
    ]


def test_thought_tags_name_the_thinker(tmp_path: Path) -> None:
    script, _ = _script(
        tmp_path,
        (
            "Gene and Alex waited in the car.\n\n"
            "*This is taking forever,* thought Gene.\n\n"
            "Alex looked at him. *He is going to explode,* she thought.\n\n"
            "*Not again,* he thought, as the radio crackled.\n"
        ),
    )
    spoken = _spoken(script)
    assert [(k, who, text) for k, who, text, _ in spoken] == [
        ("thought", "Gene", "This is taking forever,"),
        ("thought", "Alex", "He is going to explode,"),
        ("thought", "Gene", "Not again,"),
    ]
    assert spoken[1][3] == "thought-pronoun" and spoken[0][3] == "thought-tag"


def test_untagged_thought_goes_to_the_character_in_the_paragraph(tmp_path: Path) -> None:
    script, _ = _script(
        tmp_path,
        (
            "Gene parked outside the bank.\n\n"
            "Alex stared at the doors. _Something is wrong here._ She reached for the radio.\n\n"
            '"Stay put," Gene said.\n'
        ),
    )
    assert ("thought", "Alex", "Something is wrong here.") in [s[:3] for s in _spoken(script)]
    assert ("speech", "Gene", "Stay put,") in [s[:3] for s in _spoken(script)]


def test_emphasis_and_titles_are_not_thoughts(tmp_path: Path) -> None:
    script, _ = _script(
        tmp_path,
        (
            "Gene was *not* happy. He threw down *The Daily Mirror* and stood.\n\n"
            "He hoped *The Times* would print it.\n\n"
            '"I said *now*, Bolly," Gene said.\n'
        ),
    )
    segments = [s for c in script.chapters for s in c.segments]
    assert not [s for s in segments if s.kind == "thought"]
    narration = next(s for s in segments if "happy" in s.text)
    assert [narration.text[a:b] for a, b in narration.emphasis] == ["not", "The Daily Mirror"]
    speech = next(s for s in segments if s.kind == "speech")
    assert speech.text == "I said now, Bolly," and speech.emphasis == ((7, 10),)


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_thought_offsets_point_at_the_source(tmp_path: Path, newline: str) -> None:
    script, story = _script(
        tmp_path,
        (
            "A Story\n\nGene waited.\n\nAlex sighed. *I cannot  believe this man,* she thought. "
            "Then she left.\n\n*Good,*  Gene thought.\n"
        ),
        newline=newline,
    )
    source = story.read_bytes().decode("utf-8")
    for segment in (s for c in script.chapters for s in c.segments if s.kind != "heading"):
        assert (
            " ".join(source[segment.start : segment.end].split()).replace("*", "") == segment.text
        )


def test_thoughts_use_the_thinkers_voice_quieter(tmp_path: Path) -> None:
    script, _ = _script(
        tmp_path,
        "Alex sat down. *What a day,* she thought.\n",
        cast=CAST + "thought: {volume: 0.5, rate: 0.9, pitch: -6}\n",
    )
    assert script.cast.thought == ThoughtStyle(volume=0.5, rate=0.9, pitch=-6)
    alex = VoiceProfile("alex", volume=0.9, rate=170, pitch=60)
    voices = {"narrator": VoiceProfile("narrator"), "Alex": alex}
    lines = to_lines(list(script.chapters), voices, script.cast.thought)
    thought = next(line for line in lines if line.segment.kind == "thought")
    assert (thought.profile.name, thought.profile.voice) == (alex.name, alex.voice)
    assert (thought.profile.volume, thought.profile.rate, thought.profile.pitch) == (
        pytest.approx(0.45),
        153,
        54,
    )


def test_thought_settings_are_checked(tmp_path: Path) -> None:
    path = tmp_path / "bad.cast.yaml"
    path.write_text("thought: {volume: 3}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="thought.volume"):
        load_cast(path)
    path.write_text("thought: {loudness: 1}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="thought.loudness"):
        load_cast(path)


@pytest.mark.slow
def test_a_thought_sounds_quieter_with_the_real_engine() -> None:
    from storycast.engines.espeak import EspeakEngine

    engine = EspeakEngine()
    voice = VoiceProfile("alex", volume=1.0)
    said = engine.synthesize("What a long day it has been.", voice)
    thought = engine.synthesize(
        "What a long day it has been.", thought_voice(voice, ThoughtStyle())
    )
    assert rms(thought.pcm) < 0.85 * rms(said.pcm)


def test_strip_markers() -> None:
    assert strip_markers("a *b c* and _d_ but not snake_case or 2*3*4") == (
        "a b c and d but not snake_case or 2*3*4",
        ((2, 5), (10, 11)),
    )
    assert strip_markers("* * *") == ("* * *", ())


def test_tag_before_the_thought_and_notes_read_out(tmp_path: Path) -> None:
    script, _ = _script(
        tmp_path,
        (
            "Gene and Alex stood at the bar.\n\n"
            "Gene thought, *she will never let this go.*\n\n"
            "The note on the door said: *Back in ten minutes.*\n\n"
            "She wondered to herself: *why does he always do that?*\n"
        ),
    )
    spoken = [s[:3] for s in _spoken(script)]
    assert spoken == [
        ("thought", "Gene", "she will never let this go."),
        ("thought", "Alex", "why does he always do that?"),
    ]


def rms(pcm: bytes) -> float:
    samples = np.frombuffer(pcm, dtype="<i2").astype(np.float64)
    return float(np.sqrt(np.mean(samples**2)))
