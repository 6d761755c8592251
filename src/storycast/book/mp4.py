"""mp4: an M4B written box by box from ADTS chapters, streaming. The AAC
frames are copied from the chapter parts into the file and only their sizes
are held (4 bytes a frame), where ffmpeg's MP4 muxer holds an index entry of
some 70 bytes a frame (11 MB an hour of audio, measured).

The layout is the one ffmpeg's ipod muxer writes for an audiobook (read back
box by box): brand "M4B ", the movie box first (fast start), an audio track
whose edit list trims the encoder's priming, a QuickTime text track of
chapter titles that the audio track refers to (what Apple's players read), and
a Nero chapter list (what most others read). Tags and cover are added after,
by mutagen."""

from __future__ import annotations

import struct
from array import array
from dataclasses import dataclass
from pathlib import Path

from storycast.audio.frames import AAC_FRAME, AAC_PRIMING
from storycast.book.adts import Stream, payloads, scan

CHUNK_FRAMES = 1024
"""Audio frames per chunk (about 24 s): a chunk offset each."""
TIMESCALE = 1000
"""The movie's (and the chapter track's) time unit: milliseconds."""
_MATRIX = struct.pack(">9I", 0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000)
_FTYP = b"M4B " + struct.pack(">I", 0x200) + b"M4B isomiso2"
# QuickTime text sample entry and generic media header as ffmpeg writes them
# for a chapter track (display flags, colours, default text box, font table).
_TEXT_ENTRY = bytes.fromhex(
    "00000000000000010000000100000000000000000000000000000000000000010000"
    "000000000000000d667461620001000100"
)
_GMHD = bytes.fromhex(
    "00000018676d696e000000000040800080008000000000000000002c746578740001"
    "00000000000000000000000000000001000000000000000000000000000040000000"
)
_ENCD = bytes.fromhex("0000000c656e636400000100")
"""After each chapter title: 'the text is UTF-8'."""


@dataclass(frozen=True)
class Chapter:
    start: int
    """Sample where the chapter's audio starts (priming already trimmed)."""
    title: str


def write_m4b(
    adts_files: list[Path], chapters: list[Chapter], out: Path, end: int | None = None
) -> None:
    """The ADTS files, in order, as one AAC track in an M4B with chapters; the
    last chapter ends at sample `end` (by default where the audio ends)."""
    stream = scan(adts_files)
    titles = [_title_sample(chapter.title) for chapter in chapters]
    text_bytes = sum(map(len, titles))
    audio_bytes = sum(stream.sizes)
    # 32-bit chunk offsets unless the file may pass 4 GiB (the moov is under
    # 16 bytes a frame, plus the chapter track and a little).
    large = len(_FTYP) + text_bytes + audio_bytes + 16 * len(stream.sizes) + (1 << 20) >= 2**32
    moov = _moov(stream, chapters, titles, end, 0, large)  # its size, to place the data after it
    data_start = 8 + len(_FTYP) + len(moov) + 16  # mdat's header: 16 bytes, always 64-bit
    moov = _moov(stream, chapters, titles, end, data_start, large)
    with open(out, "wb") as file:
        file.write(_box(b"ftyp", _FTYP) + moov)
        file.write(struct.pack(">I4sQ", 1, b"mdat", 16 + text_bytes + audio_bytes))
        for title in titles:
            file.write(title)
        for path in adts_files:
            for payload in payloads(path):
                file.write(payload)


def _title_sample(title: str) -> bytes:
    text = title.encode("utf-8")[:1000]
    return struct.pack(">H", len(text)) + text + _ENCD


def _moov(
    stream: Stream,
    chapters: list[Chapter],
    titles: list[bytes],
    end: int | None,
    data_start: int,
    large: bool,
) -> bytes:
    frames = len(stream.sizes)
    media_samples = frames * AAC_FRAME
    played = media_samples - AAC_PRIMING  # the priming is cut by the edit list
    duration = round(played * TIMESCALE / stream.sample_rate)
    text_offsets = [data_start]
    audio_start = data_start + sum(map(len, titles))
    ends = [c.start for c in chapters[1:]] + [played if end is None else min(end, played)]
    marks = [
        round(sample * TIMESCALE / stream.sample_rate)
        for sample in [c.start for c in chapters[:1]] + ends
    ]
    mvhd = (
        struct.pack(">IIII", 0, 0, TIMESCALE, duration)
        + struct.pack(">IH10x", 0x10000, 0x100)
        + _MATRIX
        + bytes(24)
        + struct.pack(">I", 3)
    )
    audio = _box(
        b"trak",
        _tkhd(1, duration, 3, audio=True)
        + _box(b"edts", _full(b"elst", 0, struct.pack(">IIiI", 1, duration, AAC_PRIMING, 0x10000)))
        + _box(b"tref", _box(b"chap", struct.pack(">I", 2)))
        + _box(
            b"mdia",
            _mdhd(stream.sample_rate, media_samples)
            + _hdlr(b"soun", b"SoundHandler")
            + _box(
                b"minf",
                _full(b"smhd", 0, bytes(4))
                + _dinf()
                + _box(b"stbl", _audio_stbl(stream, audio_start, large)),
            ),
        ),
    )
    text = _box(
        b"trak",
        _tkhd(2, duration, 2, audio=False)
        + _box(b"edts", _full(b"elst", 0, struct.pack(">IIiI", 1, duration, 0, 0x10000)))
        + _box(
            b"mdia",
            _mdhd(TIMESCALE, duration)
            + _hdlr(b"text", b"SubtitleHandler")
            + _box(
                b"minf",
                _box(b"gmhd", _GMHD)
                + _dinf()
                + _box(b"stbl", _text_stbl(titles, marks, text_offsets, large)),
            ),
        ),
    )
    chpl = _full(
        b"chpl",
        0,
        version=1,
        body=bytes(4)
        + bytes([min(255, len(chapters))])
        + b"".join(
            struct.pack(">Q", round(c.start * 10_000_000 / stream.sample_rate))
            + bytes([len(name := c.title.encode("utf-8")[:255])])
            + name
            for c in chapters[:255]
        ),
    )
    return _box(b"moov", _full(b"mvhd", 0, mvhd) + audio + text + _box(b"udta", chpl))


def _audio_stbl(stream: Stream, start: int, large: bool) -> bytes:
    sizes = stream.sizes
    offsets, position = [], start
    for first in range(0, len(sizes), CHUNK_FRAMES):
        offsets.append(position)
        position += sum(sizes[first : first + CHUNK_FRAMES])
    chunks = [(1, CHUNK_FRAMES)]
    if len(sizes) % CHUNK_FRAMES:
        chunks.append((len(offsets), len(sizes) % CHUNK_FRAMES))
    if len(offsets) == 1:
        chunks = [(1, len(sizes))]
    esds = _full(
        b"esds",
        0,
        _descriptor(
            3,
            struct.pack(">HB", 0, 0)
            + _descriptor(
                4,
                struct.pack(">BB3sII", 0x40, 0x15, (6144).to_bytes(3, "big"), 0, 0)
                + _descriptor(5, stream.config),
            )
            + _descriptor(6, b"\x02"),
        ),
    )
    mp4a = _box(
        b"mp4a",
        bytes(6)
        + struct.pack(">H", 1)
        + bytes(8)
        + struct.pack(">HHHHI", stream.channels, 16, 0, 0, stream.sample_rate << 16)
        + esds,
    )
    return (
        _full(b"stsd", 0, struct.pack(">I", 1) + mp4a)
        + _full(b"stts", 0, struct.pack(">III", 1, len(sizes), AAC_FRAME))
        + _full(
            b"stsc",
            0,
            struct.pack(">I", len(chunks))
            + b"".join(struct.pack(">III", chunk, count, 1) for chunk, count in chunks),
        )
        + _full(b"stsz", 0, struct.pack(">II", 0, len(sizes)) + _big_endian(sizes))
        + _chunk_offsets(offsets, large)
    )


def _text_stbl(titles: list[bytes], marks: list[int], offsets: list[int], large: bool) -> bytes:
    durations = [max(0, end - start) for start, end in zip(marks, marks[1:])]
    return (
        _full(b"stsd", 0, struct.pack(">I", 1) + _box(b"text", _TEXT_ENTRY))
        + _full(
            b"stts",
            0,
            struct.pack(">I", len(durations))
            + b"".join(struct.pack(">II", 1, d) for d in durations),
        )
        + _full(b"stsc", 0, struct.pack(">IIII", 1, 1, len(titles), 1))
        + _full(
            b"stsz",
            0,
            struct.pack(">II", 0, len(titles))
            + b"".join(struct.pack(">I", len(t)) for t in titles),
        )
        + _chunk_offsets(offsets, large)
    )


def _chunk_offsets(offsets: list[int], large: bool) -> bytes:
    if large:
        return _full(
            b"co64",
            0,
            struct.pack(">I", len(offsets)) + b"".join(struct.pack(">Q", o) for o in offsets),
        )
    return _full(
        b"stco",
        0,
        struct.pack(">I", len(offsets)) + b"".join(struct.pack(">I", o) for o in offsets),
    )


def _big_endian(values: array) -> bytes:
    swapped = array("I", values)
    if swapped.itemsize != 4:
        raise RuntimeError("this platform's array('I') is not 4 bytes")
    if struct.pack("=I", 1) != struct.pack(">I", 1):
        swapped.byteswap()
    return swapped.tobytes()


def _tkhd(track: int, duration: int, flags: int, audio: bool) -> bytes:
    return _full(
        b"tkhd",
        flags,
        struct.pack(">IIIII", 0, 0, track, 0, duration)
        + bytes(8)
        + struct.pack(">hhhH", 0, int(audio), 0x100 if audio else 0, 0)
        + _MATRIX
        + struct.pack(">II", 0, 0),
    )


def _mdhd(timescale: int, duration: int) -> bytes:
    return _full(b"mdhd", 0, struct.pack(">IIIIHH", 0, 0, timescale, duration, 0x55C4, 0))


def _hdlr(kind: bytes, name: bytes) -> bytes:
    return _full(b"hdlr", 0, bytes(4) + kind + bytes(12) + name + b"\0")


def _dinf() -> bytes:
    return _box(b"dinf", _full(b"dref", 0, struct.pack(">I", 1) + _full(b"url ", 1, b"")))


def _descriptor(tag: int, body: bytes) -> bytes:
    return bytes([tag, len(body)]) + body


def _full(kind: bytes, flags: int, body: bytes, version: int = 0) -> bytes:
    return _box(kind, struct.pack(">I", (version << 24) | flags) + body)


def _box(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", 8 + len(body)) + kind + body
