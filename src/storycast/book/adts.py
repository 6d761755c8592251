"""adts: reading the AAC frames of the chapter parts (ADTS streams) a block at
a time: each frame's header and payload, and the stream's configuration."""

from __future__ import annotations

import struct
from array import array
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from storycast.errors import StorycastError


class ADTSError(StorycastError, ValueError):
    """A chapter part's AAC that is not a whole ADTS stream (damaged in place)."""


_REMEDY = "remove the book's .parts folder and render again"

_BLOCK = 1 << 20
_SAMPLE_RATES = (
    96000,
    88200,
    64000,
    48000,
    44100,
    32000,
    24000,
    22050,
    16000,
    12000,
    11025,
    8000,
    7350,
)


@dataclass
class Stream:
    sizes: array
    """Payload bytes of every AAC frame, in order."""
    config: bytes
    """AudioSpecificConfig, from the first ADTS header."""
    sample_rate: int
    channels: int


def scan(paths: list[Path]) -> Stream:
    sizes = array("I")
    first = None
    for path in paths:
        for header, _, payload_size in _walk(path, with_payloads=False):
            first = first or header
            sizes.append(payload_size)
    if first is None:
        raise ADTSError("no AAC frames to write; render again")
    profile, rate_index, channels = (
        (first[2] >> 6) + 1,
        (first[2] >> 2) & 15,
        ((first[2] & 1) << 2) | (first[3] >> 6),
    )
    config = struct.pack(">H", (profile << 11) | (rate_index << 7) | (channels << 3))
    return Stream(sizes, config, _SAMPLE_RATES[rate_index], channels)


def payloads(path: Path) -> Iterator[bytes]:
    for _, payload, _ in _walk(path, with_payloads=True):
        yield payload


def _walk(path: Path, with_payloads: bool) -> Iterator[tuple[bytes, bytes, int]]:
    """(header, payload or b"", payload size) of each ADTS frame, reading a
    block at a time."""
    with open(path, "rb") as file:
        buffer, position = b"", 0
        while True:
            if len(buffer) - position < 9 + 8192:  # a header and the largest frame
                buffer = buffer[position:] + file.read(_BLOCK)
                position = 0
                if len(buffer) < 7:
                    if buffer:
                        raise ADTSError(f"{path}: truncated ADTS frame; {_REMEDY}")
                    return
            header = buffer[position : position + 9]
            if header[0] != 0xFF or header[1] & 0xF0 != 0xF0:
                raise ADTSError(f"{path}: not an ADTS stream at byte {position}; {_REMEDY}")
            header_size = 7 if header[1] & 1 else 9
            frame_size = ((header[3] & 3) << 11) | (header[4] << 3) | (header[5] >> 5)
            if frame_size <= header_size or position + frame_size > len(buffer):
                raise ADTSError(f"{path}: truncated ADTS frame; {_REMEDY}")
            payload = (
                buffer[position + header_size : position + frame_size] if with_payloads else b""
            )
            yield header, payload, frame_size - header_size
            position += frame_size
