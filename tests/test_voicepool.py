"""Casting from the installed Piper voices: main characters get real voices
(by gender where it is known) before shifted ones, speakers of a
multi-speaker model count as voices, `KEY#N` names a speaker, and
`storycast cast` writes the choice into the draft cast. The installed
voices here are configs beside placeholder models: nothing is synthesized."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from storycast.cast import assign_voices, load_profiles
from storycast.cli import app
from storycast.model import Cast, Chapter, Character, Script, Segment
from storycast.voicepool import gender_of

MALE, FEMALE, PAIR = "en_US-ryan-medium", "en_US-amy-medium", "en_US-pair-medium"


@pytest.fixture()
def installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    home = tmp_path / "data" / "storycast" / "voices"
    home.mkdir(parents=True)
    for key, speakers in ((MALE, 1), (FEMALE, 1), (PAIR, 2), ("de_DE-thorsten-medium", 1)):
        (home / f"{key}.onnx").write_bytes(b"placeholder")
        config = {"language": {"code": key.split("-")[0]}, "num_speakers": speakers}
        (home / f"{key}.onnx.json").write_text(json.dumps(config))
    return home


def script(*characters: Character, lines: dict[str, int] | None = None) -> Script:
    counts = lines or {c.name: 10 - i for i, c in enumerate(characters)}
    speech = tuple(
        Segment("speech", "Hi.", 0, 3, speaker=name)
        for name, count in counts.items()
        for _ in range(count)
    )
    return Script("T", "t.txt", (Chapter("One", speech),), cast=Cast(characters=characters))


def cast_of(voices: dict) -> dict[str, str]:
    return {speaker: profile.name for speaker, profile in voices.items()}


@pytest.mark.parametrize(
    "key, gender",
    [
        (FEMALE, "female"),
        (MALE, "male"),
        ("en_US-hfc_female-medium", "female"),
        ("en_GB-northern_english_male-medium", "male"),
        (PAIR, "unknown"),
    ],
)
def test_gender_of(key: str, gender: str) -> None:
    assert gender_of(key) == gender


def test_main_characters_get_real_voices_by_gender(installed: Path) -> None:
    story = script(
        Character("Ann", gender="female"),
        Character("Bob", gender="male"),
        Character("Cy"),
        Character("Dee", gender="female"),
        Character("Eve", gender="female"),
        Character("Fay", gender="female"),
    )
    voices = cast_of(assign_voices(story, load_profiles([]), "piper"))
    assert voices == {
        "narrator": "piper-narrator",
        "Ann": FEMALE,
        "Bob": MALE,
        "Cy": f"{PAIR}#0",  # a speaker of unknown gender, for a character of unknown gender
        "Dee": f"{PAIR}#1",  # no female voice left: one of unknown gender, never a male one
        "Eve": "piper-female",  # none left: the shifted defaults, as before
        "Fay": "piper-female-2",
    }


def test_real_voices_only_for_the_neural_engine(installed: Path) -> None:
    story = script(Character("Ann", gender="female"))
    assert cast_of(assign_voices(story, load_profiles([]), None))["Ann"] == "female"
    assert cast_of(assign_voices(story, load_profiles([]), "espeak"))["Ann"] == "female"


def test_a_voice_the_cast_names_is_not_given_to_another(installed: Path) -> None:
    story = script(
        Character("Ann", gender="female"),
        Character("Bea", gender="female", voice=FEMALE),
        lines={"Ann": 9, "Bea": 1},
    )
    voices = assign_voices(story, load_profiles([]), "piper")
    assert cast_of(voices) == {"narrator": "piper-narrator", "Ann": f"{PAIR}#0", "Bea": FEMALE}
    assert voices["Ann"].speaker == 0 and voices["Bea"].voice == FEMALE


def test_a_speaker_by_name_in_the_cast(installed: Path) -> None:
    story = script(Character("Ann", voice=f"{PAIR}#1"))
    voice = assign_voices(story, load_profiles([]), None)["Ann"]
    assert (voice.engine, voice.voice, voice.speaker) == ("piper", PAIR, 1)


def test_without_installed_voices_casting_is_as_before(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "empty"))
    story = script(Character("Ann", gender="female"), Character("Bea", gender="female"))
    voices = cast_of(assign_voices(story, load_profiles([]), "piper"))
    assert voices == {"narrator": "piper-narrator", "Ann": "piper-female", "Bea": "piper-female-2"}


STORY = """The Quiet Room

"You came," said Margaret. She put down her cup.

"I said I would," said Thomas. He took off his hat.

"Sit down, then," Margaret said. She pointed at the chair.

"Thank you," said Thomas.
"""


def test_the_draft_cast_names_the_real_voices(installed: Path, tmp_path: Path) -> None:
    story = tmp_path / "quiet.txt"
    story.write_text(STORY)
    result = CliRunner().invoke(app, ["cast", str(story)])
    assert result.exit_code == 0, result.output
    characters = yaml.safe_load(result.output)["characters"]
    assert characters["Margaret"]["voice"] == FEMALE, characters
    assert characters["Thomas"]["voice"] == MALE, characters
