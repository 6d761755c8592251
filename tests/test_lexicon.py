"""The pronunciation lexicon: files, matching rules, per-engine entries, and
that an entry changes what the real engine says."""

from __future__ import annotations

import subprocess
import wave
from pathlib import Path

import pytest
from typer.testing import CliRunner

from storycast.cli import app
from storycast.errors import ConfigError
from storycast.model import VoiceProfile
from storycast.text.lexicon import lexicon_files, load_lexicon, parse_lexicon
from storycast.text.speakable import speakable_text

LEXICON = {
    "Bolly": "Bollie",
    "Quattro": {"say": "Kwattro", "espeak": "kw'atr@U", "piper": "[[ kwˈatɹoʊ ]]"},
    "Will": {"say": "Wil", "match_case": True},
    "graph": {"say": "graff", "whole_word": False},
}


def _espeak_phonemes(text: str) -> str:
    result = subprocess.run(
        ["espeak-ng", "-q", "-x", "-v", "gmw/en-GB-x-rp", text],
        capture_output=True,
        text=True,
        check=True,
    )
    return " ".join(result.stdout.split())


def test_entries_apply_per_engine() -> None:
    lexicon = parse_lexicon(LEXICON, "lexicon.yaml")
    assert speakable_text("Quattro's car", lexicon=lexicon, engine="espeak") == "[[kw'atr@U]]'s car"
    assert (
        speakable_text("Quattro's car", lexicon=lexicon, engine="piper") == "[[ kwˈatɹoʊ ]]'s car"
    )
    assert speakable_text("Quattro's car", lexicon=lexicon, engine="other") == "Kwattro's car"


def test_whole_word_and_case_rules() -> None:
    lexicon = parse_lexicon(LEXICON, "lexicon.yaml")
    said = speakable_text("BOLLY went to Bollywood. Will will see the paragraph.", lexicon=lexicon)
    assert said == "Bollie went to Bollywood. Wil will see the paragraff."


def test_story_lexicon_overrides_user_and_project(tmp_path: Path, monkeypatch) -> None:
    config = tmp_path / "config"
    (config / "storycast").mkdir(parents=True)
    (config / "storycast" / "lexicon.yaml").write_text("Bolly: Bolleh\nGene: Jeen\n")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    monkeypatch.chdir(tmp_path)
    story = tmp_path / "tab.txt"
    story.write_text("Words.\n")
    (tmp_path / "tab.lexicon.yaml").write_text("Bolly: Bollie\n")
    cast = tmp_path / "tab.cast.yaml"
    cast.write_text("characters: {}\n")
    (tmp_path / "tab.lexicon.yaml").touch()
    files = lexicon_files(story, cast)
    assert files[-1] == tmp_path / "tab.lexicon.yaml"
    lexicon = load_lexicon(files)
    assert speakable_text("Bolly and Gene", lexicon=lexicon) == "Bollie and Jeen"


@pytest.mark.parametrize(
    "text, message",
    [
        ("Bolly: [a, b]\n", "Bolly"),
        ("Bolly: {sya: Bollie}\n", "Bolly.sya"),
        ("Bolly: {match_case: yes please, say: x}\n", "Bolly.match_case"),
        ("Bolly: {match_case: true}\n", "needs `say`"),
    ],
)
def test_bad_entries_name_the_place(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "lexicon.yaml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=message) as error:
        load_lexicon([path])
    assert str(path) in str(error.value)


@pytest.mark.slow
def test_espeak_entry_changes_the_phonemes() -> None:
    lexicon = parse_lexicon({"Fenchurch": {"espeak": "f'Enk3:k"}}, "lexicon.yaml")
    plain = _espeak_phonemes(speakable_text("Fenchurch waited."))
    changed = _espeak_phonemes(speakable_text("Fenchurch waited.", lexicon=lexicon))
    assert changed != plain
    assert changed == _espeak_phonemes("[[f'Enk3:k]] waited.")
    respelled = parse_lexicon({"Fenchurch": "Fenkirk"}, "lexicon.yaml")
    assert _espeak_phonemes(speakable_text("Fenchurch", lexicon=respelled)) == _espeak_phonemes(
        "Fenkirk"
    )


@pytest.mark.slow
def test_espeak_entry_changes_the_audio() -> None:
    from storycast.engines.espeak import EspeakEngine

    engine, voice = EspeakEngine(), VoiceProfile("narrator")
    lexicon = parse_lexicon({"Quattro": {"espeak": "kw'atr@U"}}, "lexicon.yaml")
    plain = engine.synthesize(speakable_text("Quattro"), voice)
    changed = engine.synthesize(speakable_text("Quattro", lexicon=lexicon), voice)
    literal = engine.synthesize("kw atr at U", voice)
    assert changed.pcm != plain.pcm
    # Phoneme input is spoken as phonemes, not spelled out as brackets and letters.
    assert changed.seconds < 0.8 * literal.seconds


@pytest.mark.slow
def test_say_command_writes_what_the_lexicon_makes(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "none"))
    (tmp_path / "lexicon.yaml").write_text("Bolly: Bollie\n")
    out = tmp_path / "bolly.wav"
    result = CliRunner().invoke(app, ["say", "Bolly", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "espeak: Bollie" in result.output
    with wave.open(str(out)) as clip:
        assert clip.getnframes() > clip.getframerate() * 0.2
    bad = CliRunner().invoke(app, ["say", "Bolly", "--voice", "nobody", "-o", str(out)])
    assert bad.exit_code == 1 and "no voice profile" in bad.output


@pytest.mark.slow
def test_piper_entry_changes_the_audio() -> None:
    """Piper reads `[[ ipa ]]` as raw phonemes (piper-tts 1.3 and later). Skipped
    where the piper engine is not installed."""
    pytest.importorskip("piper")
    from storycast import engines

    if "piper" not in engines.names():
        pytest.skip("no piper engine in this checkout")
    engine = engines.get("piper")
    profile = VoiceProfile("joe", engine="piper", voice="joe")
    lexicon = parse_lexicon(
        {"Quattro": {"say": "Kwattro", "piper": "[[ kwˈɑːtɹoʊ ]]"}}, "lexicon.yaml"
    )
    plain = engine.synthesize(speakable_text("Quattro", engine="piper"), profile)
    changed = engine.synthesize(speakable_text("Quattro", lexicon=lexicon, engine="piper"), profile)
    respelled = engine.synthesize(
        speakable_text("Quattro", lexicon=lexicon, engine="other"), profile
    )
    assert len({plain.pcm, changed.pcm, respelled.pcm}) == 3
