"""End to end: a sample story rendered with the real espeak-ng engine and the
real ffmpeg, then every file read back with ffprobe and mutagen."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from mutagen.id3 import ID3

from storycast import ffmpeg
from storycast.audio.frames import MP3_PADDING, MP3_PRIMING
from storycast.cast import load_profiles, voice_dirs
from storycast.files import safe_name
from storycast.render import RenderOptions, render

pytestmark = [
    pytest.mark.slow,
    pytest.mark.filterwarnings("ignore::DeprecationWarning"),
]


@pytest.fixture(scope="module")
def tab(tmp_path_factory, stories):
    out = tmp_path_factory.mktemp("out")
    return render(stories / "the-tab.txt", RenderOptions(out=out, cache=out / ".clips"))


@pytest.fixture(scope="module")
def quattro(tmp_path_factory, stories):
    out = tmp_path_factory.mktemp("out")
    return render(stories / "the-quattro-job.txt", RenderOptions(out=out))


def test_one_mp3_per_scene_when_the_story_has_no_chapter_headings(tab, duration):
    names = [Path(f).name for f in tab.chapter_files]
    assert names == ["01 - Part 1.mp3", "02 - Part 2.mp3", "03 - Part 3.mp3"]
    for path in tab.chapter_files:
        stream = ffmpeg.probe(Path(path))["streams"][0]
        assert stream["codec_name"] == "mp3"
        assert duration(Path(path)) > 30  # each scene is minutes of speech


def test_chapter_files_carry_id3_tags(tab):
    for number, path in enumerate(tab.chapter_files, 1):
        tags = ID3(path)
        assert tags.version[:2] == (2, 3)
        assert tags["TIT2"].text == [f"Part {number}"]
        assert tags["TALB"].text == ["The Tab"]
        assert tags["TRCK"].text == [f"{number}/3"]
        assert tags["TCON"].text == ["Audiobook"]
        assert tags["TPE1"].text[0]  # the story's "by" line names the author


def test_book_chapters_start_where_each_chapter_file_starts(quattro, decoded_seconds):
    chapters = sorted(
        ffmpeg.probe(Path(quattro.book_file))["chapters"], key=lambda c: float(c["start_time"])
    )
    titles = [c["tags"]["title"] for c in chapters]
    assert [safe_name(t) for t in titles] == [
        re.sub(r"^\d+ - |\.mp3$", "", Path(f).name) for f in quattro.chapter_files
    ]
    assert titles == [
        "Chapter 1: The Empty Kerb",
        "Chapter 2: Known Associates",
        "Chapter 3: Recovery",
    ]
    # Joined without re-encoding, each join adds the next chapter's encoder
    # priming and the last frame's padding, which the chapters are aligned to.
    join = (MP3_PRIMING + MP3_PADDING) / 44100
    expected_start = 0.0
    for chapter, path in zip(chapters, quattro.chapter_files):
        assert float(chapter["start_time"]) == pytest.approx(expected_start, abs=0.001)
        expected_start += decoded_seconds(Path(path)) + join
    assert decoded_seconds(Path(quattro.book_file)) == pytest.approx(
        expected_start - join, abs=0.001
    )
    tags = ID3(quattro.book_file)
    assert tags.getall("CTOC")[0].child_element_ids == [f"chp{n}" for n in (1, 2, 3)]


def test_gene_alex_and_luigi_speak_in_three_different_voices(quattro, tmp_path):
    voices = quattro.voices
    assert (voices["Gene"], voices["Alex"], voices["Luigi"]) == ("gene", "alex", "luigi")
    profiles = load_profiles(voice_dirs())
    sounds = {
        (p.voice, p.variant, p.pitch) for p in (profiles[n] for n in ("gene", "alex", "luigi"))
    }
    assert len(sounds) == 3
    assert len({profiles[n].voice for n in ("gene", "alex", "luigi")}) >= 2  # not one voice


def test_script_yaml_records_what_was_rendered(quattro):
    text = Path(quattro.script_file).read_text(encoding="utf-8")
    assert "speaker: Luigi" in text and "speaker: Gene" in text
