"""The M4B box writer (audio/mp4.py) against ffmpeg: the same AAC frames
decode to the same samples as ffmpeg's own MP4 muxer makes of them, the
chapters are read back from both chapter lists (Nero chpl by mutagen, the
QuickTime chapter track beside it, by ffprobe), and a broken ADTS file
is refused."""

from __future__ import annotations

import struct

import numpy as np
import pytest
from mutagen.mp4 import MP4

from storycast import ffmpeg
from storycast.audio.parts import encode_aac
from storycast.book import mp4
from storycast.book.adts import scan

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


def boxes(data: bytes, start: int = 0, end: int | None = None):
    """(type, body) of each box between start and end."""
    end = len(data) if end is None else end
    while start < end:
        size, kind = struct.unpack(">I4s", data[start : start + 8])
        header = 16 if size == 1 else 8
        if size == 1:
            size = struct.unpack(">Q", data[start + 8 : start + 16])[0]
        yield kind, data[start + header : start + size]
        start += size


def child(body: bytes, *path: bytes, skip: int = 0) -> bytes:
    for kind in path:
        body = next(b for k, b in boxes(body, skip) if k == kind)
        skip = 0
    return body


def test_the_header_declares_the_real_bitrate(chapters, tmp_path):
    out = tmp_path / "book.m4b"
    mp4.write_m4b(chapters, [mp4.Chapter(0, "One")], out)
    stream = scan(chapters)
    seconds = len(stream.sizes) * 1024 / RATE
    expected = sum(stream.sizes) * 8 / seconds
    info = MP4(out).info
    assert abs(info.bitrate - expected) <= 1  # mutagen read 0 bps before
    moov = child(out.read_bytes(), b"moov")
    audio = next(b for k, b in boxes(moov) if k == b"trak" and b"soun" in b)
    stsd = child(audio, b"mdia", b"minf", b"stbl", b"stsd")
    mp4a = child(stsd, b"mp4a", skip=8)  # version, flags and entry count
    btrt = child(mp4a, b"btrt", skip=28)  # the audio sample entry's fields
    buffer, peak, average = struct.unpack(">III", btrt)
    assert (buffer, average) == (max(stream.sizes), round(expected))
    assert average <= peak <= 8 * sum(stream.sizes)
    probed = ffmpeg.probe(out)["streams"][0]
    assert abs(int(probed["bit_rate"]) - expected) / expected < 0.01


def test_the_chapter_track_lasts_as_long_as_its_chapters(chapters, tmp_path):
    out = tmp_path / "book.m4b"
    end = 96256 + 120000
    mp4.write_m4b(chapters, [mp4.Chapter(0, "One"), mp4.Chapter(96256, "Two")], out, end)
    moov = child(out.read_bytes(), b"moov")
    text = next(b for k, b in boxes(moov) if k == b"trak" and b"text" in b)
    tkhd = child(text, b"tkhd")
    declared = struct.unpack(">I", tkhd[20:24])[0]
    mdhd = child(text, b"mdia", b"mdhd")
    timescale, media = struct.unpack(">II", mdhd[12:20])
    stts = child(text, b"mdia", b"minf", b"stbl", b"stts")
    (count,) = struct.unpack(">I", stts[4:8])
    samples = struct.unpack(f">{2 * count}I", stts[8 : 8 + 8 * count])
    total = sum(samples[1::2])
    assert timescale == 1000 and declared == media == total == round(end * 1000 / RATE)
