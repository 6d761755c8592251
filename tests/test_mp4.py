"""The M4B box writer (audio/mp4.py) against ffmpeg: the same AAC frames
decode to the same samples as ffmpeg's own MP4 muxer makes of them, the
chapters are read back from both chapter lists (Nero chpl by mutagen, the
QuickTime chapter track beside it, by ffprobe), and a broken ADTS file
is refused."""

from __future__ import annotations

import numpy as np
import pytest
from mutagen.mp4 import MP4

from storycast import ffmpeg
from storycast.audio.parts import encode_aac
from storycast.book import mp4

pytestmark = pytest.mark.slow

RATE = 44100


def decoded(path) -> bytes:
    return ffmpeg.run(["-i", str(path), "-map", "0:a", "-f", "s16le", "-"])


@pytest.fixture(scope="module")
def chapters(tmp_path_factory):
    folder = tmp_path_factory.mktemp("adts")
    files = []
    for number, seconds in enumerate((2.0, 3.3)):
        pcm = folder / f"{number}.pcm"
        tone = 0.2 * np.sin(
            2 * np.pi * (300 + 400 * number) * np.arange(int(seconds * RATE)) / RATE
        )
        pcm.write_bytes((tone * 32767).astype("<i2").tobytes())
        files.append(folder / f"{number}.aac")
        encode_aac(pcm, RATE, files[-1])
    return files


def test_the_frames_play_as_ffmpegs_own_mp4_of_them(chapters, tmp_path):
    ours = tmp_path / "ours.m4b"
    mp4.write_m4b(chapters, [mp4.Chapter(0, "One"), mp4.Chapter(96256, "Two")], ours)
    joined = tmp_path / "joined.aac"
    joined.write_bytes(b"".join(path.read_bytes() for path in chapters))
    theirs = tmp_path / "theirs.m4b"
    ffmpeg.run(
        [
            "-itsoffset",
            f"{-1024 / RATE:.9f}",
            "-f",
            "aac",
            "-i",
            str(joined),
            "-c",
            "copy",
            "-f",
            "ipod",
            str(theirs),
        ]
    )
    assert decoded(ours) == decoded(theirs)
    assert ffmpeg.run(["-v", "error", "-i", str(ours), "-f", "null", "-"]) == b""


def test_chapters_are_in_both_chapter_lists(chapters, tmp_path):
    out = tmp_path / "book.m4b"
    mp4.write_m4b(chapters, [mp4.Chapter(0, "Ünë"), mp4.Chapter(96256, "Two: the end")], out)
    probed = ffmpeg.probe(out)["chapters"]
    assert [(c["tags"]["title"], c["start_time"]) for c in probed] == [
        ("Ünë", "0.000000"),
        ("Two: the end", f"{round(96256 / RATE, 3):.6f}"),
    ]
    nero = MP4(out).chapters
    assert [(c.title, round(c.start, 3)) for c in nero] == [
        ("Ünë", 0.0),
        ("Two: the end", round(96256 / RATE, 3)),
    ]


def test_a_file_that_is_not_adts_is_refused(chapters, tmp_path):
    bad = tmp_path / "bad.aac"
    bad.write_bytes(chapters[0].read_bytes()[:5000] + b"not a frame")
    with pytest.raises(ValueError, match="ADTS"):
        mp4.write_m4b([bad], [mp4.Chapter(0, "One")], tmp_path / "out.m4b")
