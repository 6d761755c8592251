"""The M4B and the cover, read back with ffprobe and mutagen."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from mutagen.id3 import ID3

from _books import BASE, sample_book, short_book
from storycast import ffmpeg
from storycast.book.timing import load

pytestmark = pytest.mark.slow


def _m4b(book) -> Path:
    path = book.files["m4b"]
    return path


def test_m4b_chapters_are_the_timing_manifests_to_the_millisecond():
    # (That each mark is where its chapter's audio starts: test_incremental.py.)
    book = sample_book()
    timing = load(Path(book.folder) / "timing.json")
    probed = ffmpeg.probe(_m4b(book))
    chapters = probed["chapters"]
    assert [c["tags"]["title"] for c in chapters] == ["Part 1", "Part 2", "Part 3"]
    ends = [c.start for c in timing.chapters[1:]] + [timing.duration]
    for chapter, timed, end in zip(chapters, timing.chapters, ends):
        assert abs(float(chapter["start_time"]) - timed.start) <= 0.001
        assert abs(float(chapter["end_time"]) - end) <= 0.001
    audio = [s for s in probed["streams"] if s["codec_type"] == "audio"]
    assert audio[0]["codec_name"] == "aac" and int(audio[0]["sample_rate"]) == 44100
    # AAC works in 1024-sample frames: the last one's padding may be played
    assert 0 <= float(audio[0]["duration"]) - timing.duration <= 1024 / 44100


def test_m4b_is_tagged_as_an_audiobook_with_its_cover():
    book = sample_book()
    probed = ffmpeg.probe(_m4b(book))
    tags = probed["format"]["tags"]
    assert tags["major_brand"] == "M4B "
    assert tags["title"] == "The Tab"
    assert tags["artist"] == "QuattroQueen81"
    assert tags["genre"] == "Audiobook"
    (cover,) = [s for s in probed["streams"] if s["codec_type"] == "video"]
    assert cover["disposition"]["attached_pic"] == 1
    assert cover["codec_name"] == "mjpeg" and cover["width"] == cover["height"] >= 1400


def test_drawn_cover_is_square_and_in_every_mp3():
    book = sample_book()
    cover = Path(book.folder) / "cover.jpg"
    (picture,) = ffmpeg.probe(cover)["streams"]
    assert picture["width"] == picture["height"] >= 1400
    for mp3 in (*book.chapter_files, book.book_file):
        (apic,) = ID3(mp3).getall("APIC")
        assert apic.mime == "image/jpeg" and apic.type == 3
        assert apic.data == cover.read_bytes()


def test_book_mp3_chapter_frames_follow_the_timing_manifest():
    book = sample_book()
    timing = load(Path(book.folder) / "timing.json")
    tags = ID3(book.book_file)
    frames = sorted(tags.getall("CHAP"), key=lambda f: f.start_time)
    # each mark runs to the next one: the join's room tone is the chapter's before
    assert [(f.start_time, f.end_time) for f in frames] == list(
        zip([c.start_ms for c in timing.chapters], timing.mark_ends_ms())
    )
    assert frames[-1].end_time == timing.chapters[-1].end_ms
    assert [f.sub_frames["TIT2"].text[0] for f in frames] == [c.title for c in timing.chapters]
    (toc,) = tags.getall("CTOC")
    assert list(toc.child_element_ids) == [f.element_id for f in frames]


def test_a_users_cover_is_made_square_and_embedded():
    wide = BASE / "wide-cover.png"
    subprocess.run(
        [
            "ffmpeg",
            "-v",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            "testsrc=size=1600x1000:duration=1",
            "-frames:v",
            "1",
            str(wide),
        ],
        check=True,
    )
    book = short_book("acx", cover=wide)
    cover = Path(book.folder) / "cover.jpg"
    (picture,) = ffmpeg.probe(cover)["streams"]
    assert (picture["width"], picture["height"]) == (1400, 1400)
    (apic,) = ID3(book.chapter_files[0]).getall("APIC")
    assert apic.data == cover.read_bytes()
    (video,) = [s for s in ffmpeg.probe(_m4b(book))["streams"] if s["codec_type"] == "video"]
    assert (video["width"], video["height"]) == (1400, 1400)
