"""Nothing an engine could take as a command reaches it: the speakable
stage's last step clears control characters (espeak-ng reads \\x01 and digits
as an in-band command), private-use characters (the lexicon's placeholders),
surrogates and non-characters, whatever they came from: a story, a
script.yaml or a lexicon value."""

from __future__ import annotations

import unicodedata

import pytest

from _hostile import run
from storycast.render import RenderOptions, render
from storycast.text.lexicon import Lexicon, load_lexicon
from storycast.text.speakable import engine_safe, speakable_text

HOSTILE = [
    "\x01450S It was raining",  # espeak-ng: speech rate
    "It \x01200A was raining",  # volume
    "\x0150P raining \x01" + "9" * 40 + "S",
    "raining\x1b[31m in red\x07",
    "NUL\x00 and DEL\x7f and C1\x85\x9b",
    "Quattro \ue000\ue100\ue001 end",  # a lexicon placeholder, made by hand
    "Hi \ue000\ue1ff\ue001",
    "\ue000\ue100",
    "private \U000f0000 plane and \ufdd0 \uffff non-characters",
]


def engine_safe_text(text: str) -> bool:
    return not any(unicodedata.category(c) in ("Cc", "Co", "Cs") for c in text)


@pytest.mark.parametrize("text", HOSTILE)
def test_story_text_reaches_the_engine_clean(text):
    lexicon = load_lexicon([])
    for engine in ("espeak", "piper"):
        said = speakable_text(text, lexicon=lexicon, engine=engine)
        assert engine_safe_text(said), said
        assert "[[" not in said or "Quattro" in text  # no phonemes but the lexicon's


def test_a_placeholder_typed_in_a_story_injects_no_phonemes():
    lexicon = load_lexicon([])
    said = speakable_text("Quattro \ue000\ue100\ue001 end", lexicon=lexicon, engine="espeak")
    assert said.count("[[") == 1  # Quattro's own entry, once
    assert speakable_text("Hi \ue000\ue100\ue001", lexicon=lexicon) == "Hi"


def test_a_lexicon_value_with_control_characters_is_cleared(tmp_path):
    path = tmp_path / "s.lexicon.yaml"
    path.write_text(
        'boom: "\\x01200A boom"\n'
        'Zed: {say: "\\x1b zed", espeak: "z\\x01\\x02Ed"}\n'
        'Ann: "\\ue000\\ue100\\ue001 Anne"\n'
    )
    lexicon = load_lexicon([path])
    for engine in ("espeak", "piper"):
        said = speakable_text("boom went Zed at Ann", lexicon=lexicon, engine=engine)
        assert engine_safe_text(said), said
        assert "boom" in said and "Anne" in said


def test_everything_said_in_a_render_is_clean(tmp_path, fake_engine, fake_voices):
    """A script.yaml and a lexicon with in-band commands, rendered: the
    engine (the fake one, which records what it is given) sees none."""
    script = tmp_path / "script.yaml"
    script.write_text(
        'title: Commands\nchapters:\n- title: "One \\x01\\x0250P"\n  segments:\n'
        '  - {kind: narration, speaker: narrator, text: "\\x01450S It was raining"}\n'
        '  - {kind: narration, speaker: narrator, text: "Then \\ue000\\ue100\\ue001 rain"}\n'
        '  - {kind: narration, speaker: narrator, text: "A boom \\x1b[0m here"}\n'
    )
    (tmp_path / "script.lexicon.yaml").write_text('boom: "\\x01200A bang"\n')
    render(script, RenderOptions(out=tmp_path / "out", jobs=1, voices=[fake_voices]))
    spoken = fake_engine.spoken
    assert spoken and all(engine_safe_text(text) for text in spoken), spoken
    assert any("bang" in text for text in spoken)


def test_engine_safe_keeps_ordinary_text_as_it_is():
    for text in ("Plain text.", "Café — “quoted” ’tis", "日本語のテキスト", "emoji 🙂 ok"):
        assert engine_safe(text) == text


@pytest.mark.slow
def test_say_with_placeholders_neither_crashes_nor_injects(tmp_path):
    result = run("say", "Quattro \ue000\ue100\ue001 end", "-o", tmp_path / "a.wav")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0].count("[[") == 1
    result = run("say", "Hi \ue000\ue100\ue001", "-o", tmp_path / "b.wav")
    assert result.exit_code == 0, result.output


def test_an_empty_lexicon_leaves_placeholders_nothing_to_collide_with():
    said = speakable_text("\ue000\ue100\ue001 words", lexicon=Lexicon())
    assert said == "words"
