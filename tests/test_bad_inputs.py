"""Every kind of input a user can hand storycast ends in a valid render or in
one line of error with exit status 1: never a traceback, never a
half-written file at a final path."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from _hostile import PROGRESS
from storycast.cli import app

runner = CliRunner()
HI = '\n\n"Hi," said Gene.\n'


def run(*args: str):
    return runner.invoke(app, list(args))


def assert_clean_error(result, *names: str) -> None:
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    # Progress lines (stderr is not a terminal here) may come first; the error is one line.
    message = [line for line in result.output.strip().splitlines() if not PROGRESS.match(line)]
    assert len(message) == 1 and message[0].startswith("storycast: error:")
    for name in names:
        assert name in message[0]


def assert_no_audio(out: Path) -> None:
    assert not [p for p in out.rglob("*") if p.suffix in (".mp3", ".m4b", ".yaml")]


BAD_STORIES = {
    "empty.txt": b"",
    "blank.txt": b" \n\t\r\n  \n",
    "binary.txt": bytes(range(256)) * 40,
    "invalid.txt": b"Title\n\n" + b"abc \x81\x8d\x8f more text\n",
    "quotes-only.txt": b'"' * 400 + b"\n" + b"'" * 300 + "\n“”“”\n".encode(),
}


@pytest.mark.parametrize("name", BAD_STORIES)
def test_unusable_story_is_a_clean_error(tmp_path, name):
    story = tmp_path / name
    story.write_bytes(BAD_STORIES[name])
    result = run("render", str(story), "-o", str(tmp_path / "out"), "-j", "1")
    assert_clean_error(result, str(story))
    assert_no_audio(tmp_path / "out")


def test_a_story_too_large_is_refused_before_any_work(tmp_path):
    story = tmp_path / "huge.txt"
    with open(story, "wb") as handle:
        handle.truncate(50_000_000)  # 50 MB
    result = run("render", str(story), "-o", str(tmp_path / "out"))
    assert_clean_error(result, "split it")


ODD_STORIES = {
    "control.txt": b'Title\n\nHello\x07 there\x1b[31m red\x00 "Hi\x08," he said.\n',
    "emoji-rtl.txt": ('🙂 Smile\n\n"שלום," said Gene. 😀 مرحبا "Hello 👋," Alex said.\n').encode(),
    "markup.txt": (
        b"<speak>Tags</speak>\n\n\"<break time='9s'/> &amp; hi,\" said Gene. "
        b'<voice name="x">boo</voice>\n'
    ),
    "mixed-encoding.txt": 'Café "hello," said Bob.\n\n'.encode()
    + b"Na\xefve \x93quoted,\x94 he said.\n",
    "utf16.txt": '\ufeffTea Time\n\n"Tea?" she asked.\n'.encode("utf-16-le"),
    "dots.txt": b"../../etc" + HI.encode(),
    "con.txt": b"CON" + HI.encode(),
    "long-title.txt": b"Q" * 300 + HI.encode(),
}


@pytest.mark.slow
@pytest.mark.parametrize("name", ODD_STORIES)
def test_odd_story_renders_inside_the_output_folder(tmp_path, name, duration):
    story = tmp_path / name
    story.write_bytes(ODD_STORIES[name])
    out = tmp_path / "out"
    result = run("render", str(story), "-o", str(out), "-j", "1")
    assert result.exit_code == 0, result.output
    books = [p for p in out.rglob("*.mp3")]
    assert books
    for book in books:
        assert book.resolve().is_relative_to(out.resolve())
        assert len(book.name) <= 120
        seconds = duration(book)
        assert 0.5 < seconds < 30  # markup was read as words, never obeyed as a 9 s break


def test_a_megabyte_paragraph_without_punctuation_is_cut_into_engine_sized_lines(tmp_path):
    from storycast.model import VoiceProfile
    from storycast.script import load_script, to_lines

    story = tmp_path / "wall.txt"
    story.write_text("Wall\n\n" + " ".join(["word", "Gene", "the"] * 90_000) + "\n")
    script = load_script(story)
    voice = VoiceProfile(name="narrator")
    lines = to_lines(list(script.chapters), {"narrator": voice})
    assert len(lines) > 2000 and max(len(line.text) for line in lines) <= 400
    assert sum(len(line.text.split()) for line in lines) == 270_000 + 1  # every word, once


def test_thousands_of_chapters_are_all_found(tmp_path):
    story = tmp_path / "many.txt"
    story.write_text(
        "Many\n\n" + "".join(f'Chapter {n}\n\n"Line {n}," said Gene.\n\n' for n in range(1, 3001))
    )
    result = run("tag", str(story), "--json")
    assert result.exit_code == 0
    assert result.output.count('"title": "Chapter ') == 3000


BAD_CASTS = {
    "syntax": ("characters:\n  Gene: [unclosed\n", ["not valid YAML"]),
    "wrong type": ("characters:\n  Gene:\n    aliases: Guv\n", ["characters.Gene.aliases", "list"]),
    "unknown field": ("characters:\n  Gene:\n    hat: trilby\n", ["characters.Gene.hat", ":3"]),
    "bad gender": ("characters:\n  Gene:\n    gender: 7\n", ["characters.Gene.gender"]),
    "alias clash": (
        "characters:\n  Gene:\n    aliases: [Guv]\n  Ray:\n    aliases: [guv]\n",
        ["guv", "Gene", "Ray"],
    ),
    "yaml bomb": (
        "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\n"
        "c: &c [*b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c]\n",
        ["aliases"],
    ),
    "not a mapping": ("- Gene\n- Alex\n", ["mapping"]),
    "unknown voice": ("characters:\n  Gene:\n    voice: nobody\n", ["nobody"]),
}


@pytest.mark.parametrize("case", BAD_CASTS)
def test_bad_cast_file_is_a_clean_error(tmp_path, case):
    text, expected = BAD_CASTS[case]
    cast = tmp_path / "cast.yaml"
    cast.write_text(text)
    story = tmp_path / "s.txt"
    story.write_text("S" + HI)
    result = run("render", str(story), "--cast", str(cast), "-o", str(tmp_path / "out"))
    assert_clean_error(result, str(cast) if case != "unknown voice" else "", *expected)
    assert_no_audio(tmp_path / "out")


BAD_PROFILES = {
    "unknown engine": ("engine: festival\nvoice: x\n", ["festival"]),
    "unknown voice id": ("engine: espeak\nvoice: xx/klingon\n", ["xx/klingon", "narrator"]),
    "wrong type": ("rate: fast\n", ["rate", "narrator.yaml"]),
    "out of range": ("pitch: 500\n", ["pitch"]),
    "unknown field": ("colour: warm\n", ["colour"]),
}


@pytest.mark.parametrize("case", BAD_PROFILES)
def test_bad_voice_profile_is_a_clean_error(tmp_path, case):
    text, expected = BAD_PROFILES[case]
    voices = tmp_path / "voices"
    voices.mkdir()
    (voices / "narrator.yaml").write_text(text)
    story = tmp_path / "s.txt"
    story.write_text("S" + HI)
    result = run("render", str(story), "--voices", str(voices), "-o", str(tmp_path / "out"))
    assert_clean_error(result, *expected)
    assert_no_audio(tmp_path / "out")
