"""The engine registry and what each engine owns: the profile settings it
reads and accepts, and how a lexicon's phonemes are written for it; where
profiles are found. No audio is made here."""

from __future__ import annotations

from importlib.metadata import entry_points
from pathlib import Path

import pytest

from fake_engine import FakeEngine
from storycast import engines
from storycast.cast import load_profile, load_profiles, voice_dirs
from storycast.errors import ConfigError
from storycast.locations import builtin_profiles
from storycast.text.lexicon import parse_lexicon
from storycast.text.speakable import speakable_text


def profile_file(folder: Path, text: str, name: str = "voice") -> Path:
    path = folder / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_builtin_engines_load_through_entry_points() -> None:
    declared = {entry.name: entry.value for entry in entry_points(group=engines.GROUP)}
    assert {"espeak", "piper"} <= set(declared)
    for name, target in declared.items():
        engine = engines.engine_class(name)
        assert f"{engine.__module__}:{engine.__qualname__}" == target
        assert engine.name == name


def test_a_registered_engine_is_found_by_name(fake_engine: type[FakeEngine]) -> None:
    assert "fake" in engines.names()
    assert isinstance(engines.get("fake"), fake_engine)


@pytest.mark.parametrize(
    "text, message",
    [
        ("engine: fake\nrate: 100\n", r"voice.yaml:2: rate: unknown field \(allowed: .*pitch"),
        ("engine: fake\npitch: 300\n", r"voice.yaml:2: pitch: must be between 0 and 100"),
        ("engine: fake\npitch: high\n", r"pitch: must be int or float, not text"),
        ("engine: espeak\npitch_shift: 2\n", r"voice.yaml:2: pitch_shift: unknown field"),
        ("engine: piper\nvariant: m3\n", r"variant: unknown field"),
        ("engine: piper\nspeaker: 1.5\n", r"speaker: must be int or str"),
        ("engine: piper\nspeaker: -1\n", r"speaker: must be a speaker number from 0"),
        ("engine: espeak\ndescription: [a]\n", r"description: must be str or int, not a list"),
        ("engine: festival\n", r"voice.yaml:1: engine: unknown engine 'festival'"),
    ],
)
def test_each_engine_checks_its_own_settings(
    fake_engine: type[FakeEngine], tmp_path: Path, text: str, message: str
) -> None:
    with pytest.raises(ConfigError, match=message):
        load_profile(profile_file(tmp_path, text))


def test_settings_take_the_profile_dataclass_types(tmp_path: Path) -> None:
    profile = load_profile(profile_file(tmp_path, "voice: 7\nrate: 150.7\nvolume: 1\n"))
    assert (profile.voice, profile.rate, profile.volume) == ("7", 150, 1.0)
    piper = load_profile(profile_file(tmp_path, "engine: piper\nspeaker: 2\nnoise_w: 1\n"))
    assert (piper.speaker, piper.noise_w) == (2, 1.0)


def test_builtin_profiles_and_the_examples_load() -> None:
    builtins = load_profiles([])
    assert sorted(builtins) == sorted(Path(e.name).stem for e in builtin_profiles())
    assert {"narrator", "male", "female", "other"} <= set(builtins)
    examples = sorted((Path(__file__).resolve().parents[1] / "voices" / "examples").glob("*.yaml"))
    assert examples
    for path in examples:
        assert load_profile(path).description


def test_profiles_are_found_in_the_documented_order(tmp_path: Path, monkeypatch) -> None:
    """--voices folders, then ./voices, then the user's config folder, then the built-ins."""
    given, config, work = tmp_path / "given", tmp_path / "config", tmp_path / "work"
    for folder in (given, work / "voices", config / "storycast" / "voices"):
        folder.mkdir(parents=True)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    monkeypatch.chdir(work)
    for name in ("narrator", "male", "female"):
        profile_file(config / "storycast" / "voices", "description: config\n", name)
    for name in ("narrator", "male"):
        profile_file(work / "voices", "description: here\n", name)
    profile_file(given, "description: given\n", "narrator")
    found = load_profiles(voice_dirs([given]))
    said = {name: found[name].description for name in ("narrator", "male", "female", "other")}
    builtin = load_profiles([])["other"].description
    assert said == {"narrator": "given", "male": "here", "female": "config", "other": builtin}


def test_a_lexicon_entry_takes_each_engines_phoneme_form(fake_engine: type[FakeEngine]) -> None:
    lexicon = parse_lexicon({"Quattro": {"say": "Kwattro", "espeak": "kw'atr@U"}}, "lex.yaml")
    assert speakable_text("Quattro", lexicon=lexicon, engine="espeak") == "[[kw'atr@U]]"
    assert speakable_text("Quattro", lexicon=lexicon, engine="fake") == "Kwattro"
    with pytest.raises(ConfigError, match=r"Quattro.fake: the fake engine takes no phonemes"):
        parse_lexicon({"Quattro": {"fake": "kwatro"}}, "lex.yaml")


def test_an_engine_that_cannot_load_is_a_clean_error(tmp_path: Path) -> None:
    engines.register("broken", "storycast_no_such_module:Engine")
    try:
        with pytest.raises(ConfigError, match=r"engine: engine 'broken' .* cannot be loaded"):
            load_profile(profile_file(tmp_path, "engine: broken\n"))
    finally:
        engines.unregister("broken")
