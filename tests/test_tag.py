"""`storycast tag` and `storycast cast` end to end, and a hand-corrected
script rendered exactly as corrected (real espeak-ng and ffmpeg)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from storycast.cast import assign_voices, load_cast, load_profiles, voice_dirs
from storycast.cli import app
from storycast.render import RenderOptions, render
from storycast.script import load_yaml, spoken_chapters, to_lines
from storycast.synth import ClipCache, plan
from storycast.text.speakable import speakable

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
runner = CliRunner()

STORY = """The Bill

Luigi's was quiet. Gene Hunt sat at the bar with Alex Drake.

"You're paying tonight, Bolly," said Gene.

"I paid last time," Alex said.

"Did you?"

"I did. Twice."

He sighed.
"""
CAST = """characters:
  Gene:
    aliases: [Gene Hunt, Guv]
    gender: male
    voice: gene
  Alex:
    aliases: [Alex Drake, Bolly]
    gender: female
    voice: alex
"""


@pytest.fixture()
def story(tmp_path) -> Path:
    path = tmp_path / "bill.txt"
    path.write_text(STORY, encoding="utf-8")
    (tmp_path / "bill.cast.yaml").write_text(CAST, encoding="utf-8")
    return path


def speech(data: dict) -> list[dict]:
    return [s for c in data["chapters"] for s in c["segments"] if s["kind"] == "speech"]


def test_tag_json_has_speakers_rules_and_source_offsets(story):
    result = runner.invoke(
        app, ["tag", str(story), "--cast", str(story.with_suffix(".cast.yaml")), "--json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    lines = speech(data)
    assert [(s["speaker"], s["text"]) for s in lines] == [
        ("Gene", "You're paying tonight, Bolly,"),
        ("Alex", "I paid last time,"),
        ("Gene", "Did you?"),
        ("Alex", "I did. Twice."),
    ]
    assert lines[0]["rule"] == "quote-verb-name" and lines[0]["confidence"] >= 0.9
    assert all(0 < s["confidence"] <= 1 and s["rule"] for s in lines)
    for segment in (s for c in data["chapters"] for s in c["segments"]):
        assert STORY[segment["start"] : segment["end"]] == segment["text"]


def test_tag_yaml_lint_flags_a_hand_edit_that_contradicts_the_tag(story, tmp_path):
    out = tmp_path / "script.yaml"
    assert runner.invoke(app, ["tag", str(story), "-o", str(out)]).exit_code == 0
    clean = runner.invoke(app, ["tag", str(out), "--lint"])
    assert clean.exit_code == 0 and "lint:" not in clean.stdout
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    speech(data)[0]["speaker"] = "Alex"  # contradicts: said Gene
    out.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    flagged = runner.invoke(app, ["tag", str(out), "--lint"])
    assert flagged.exit_code == 0
    assert "lint:" in flagged.stdout and "'Gene'" in flagged.stdout and "Alex" in flagged.stdout


def test_review_lists_the_uncertain_lines_only(story):
    result = runner.invoke(app, ["tag", str(story), "--review"])
    assert result.exit_code == 0
    listed = [line for line in result.stdout.splitlines() if "@" in line and "lint" not in line]
    data = json.loads(runner.invoke(app, ["tag", str(story), "--json"]).stdout)
    uncertain = [s for s in speech(data) if s["confidence"] < 0.7]
    assert len(listed) == len(uncertain)
    assert all(f"@{s['start']}:" in "\n".join(listed) for s in uncertain)


def test_cast_command_drafts_a_cast_file_that_loads(story, tmp_path):
    out = tmp_path / "draft.cast.yaml"
    result = runner.invoke(app, ["cast", str(story), "-o", str(out)])
    assert result.exit_code == 0, result.output
    cast = load_cast(out)
    names = {c.name: c for c in cast.characters}
    gene = next(c for c in cast.characters if "Gene" in (c.name, *c.aliases))
    assert gene.gender == "male"
    assert any("Alex" in (c.name, *c.aliases) for c in cast.characters)
    assert len(names) == len(cast.characters)


@pytest.mark.slow
def test_hand_corrected_script_renders_with_the_corrected_voice(story, tmp_path):
    script_path = tmp_path / "script.yaml"
    assert runner.invoke(app, ["tag", str(story), "-o", str(script_path)]).exit_code == 0
    data = yaml.safe_load(script_path.read_text(encoding="utf-8"))
    line = speech(data)[2]  # "Did you?": Gene's; the reviewer gives it to Alex
    assert line["speaker"] == "Gene"
    line["speaker"] = "Alex"
    script_path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")

    out = tmp_path / "out"
    book = render(script_path, RenderOptions(out=out, cache=out / ".clips", jobs=1))
    rendered = load_yaml(Path(book.script_file))
    assert [s.speaker for c in rendered.chapters for s in c.segments if s.kind == "speech"] == [
        "Gene",
        "Alex",
        "Alex",
        "Alex",
    ]

    # Every clip the corrected script needs is in the cache (so it was
    # synthesized), and the clip in Gene's voice for that line is not.
    voices = assign_voices(rendered, load_profiles(voice_dirs()))
    cache = ClipCache(out / ".clips")
    lines = speakable(to_lines(spoken_chapters(rendered, False), voices))
    assert plan(lines, cache).missing == {}
    edited = next(i for i, ln in enumerate(lines) if ln.segment.text == "Did you?")
    assert lines[edited].profile.name == voices["Alex"].name != voices["Gene"].name
    as_gene = [
        ln if i != edited else type(ln)(ln.chapter, ln.segment, voices["Gene"], ln.text)
        for i, ln in enumerate(lines)
    ]
    assert len(plan(as_gene, cache).missing) == 1
