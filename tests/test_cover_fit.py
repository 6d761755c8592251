"""A portrait (or landscape) cover is fitted whole inside the square, on a
fill taken from the image itself, not centre-cropped: a title at the top of
a book jacket stays on the cover."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pytest

from storycast import ffmpeg
from storycast.book.cover import SIDE, make_cover


def jacket(path: Path, width: int, height: int) -> Path:
    """Green, with a red band along the top edge (the title) and a blue band
    along the bottom (the author), each a ninth of the height."""
    band = height // 9
    subprocess.run(
        [
            "ffmpeg", "-v", "error", "-y", "-f", "lavfi",
            "-i", f"color=c=0x00a000:s={width}x{height}:d=1",
            "-vf",
            f"drawbox=x=0:y=0:w=iw:h={band}:color=0xd00000:t=fill,"
            f"drawbox=x=0:y=ih-{band}:w=iw:h={band}:color=0x0000d0:t=fill",
            "-frames:v", "1", str(path),
        ],
        check=True,
    )  # fmt: skip
    return path


def pixels(path: Path) -> np.ndarray:
    (stream,) = ffmpeg.probe(path)["streams"]
    raw = ffmpeg.run(["-i", str(path), "-f", "rawvideo", "-pix_fmt", "rgb24", "-"])
    return np.frombuffer(raw, np.uint8).reshape(stream["height"], stream["width"], 3)


def colour(pixel: np.ndarray) -> str:
    return "rgb"[int(np.argmax(pixel))]


@pytest.mark.parametrize("width, height", [(600, 900), (900, 600)])
def test_the_whole_cover_fits_inside_the_square(tmp_path: Path, width: int, height: int) -> None:
    out = make_cover(tmp_path / "cover.jpg", "T", None, jacket(tmp_path / "in.png", width, height))
    image = pixels(out)
    assert image.shape == (SIDE, SIDE, 3)
    middle = SIDE // 2
    # The top and bottom bands are kept: the image's full height (portrait)
    # or its centre line (landscape) shows red at the top of the picture and
    # blue at its bottom.
    scale = SIDE / max(width, height)
    top = round((SIDE - height * scale) / 2) + 10
    bottom = SIDE - top - 1
    assert colour(image[top, middle]) == "r"
    assert colour(image[bottom, middle]) == "b"
    # Beside the picture: a fill made from it (coloured, not black or white).
    edge = image[middle, 5] if width < height else image[5, middle]
    assert 30 < int(edge.max()) and int(edge.min()) < 200


def test_a_square_cover_is_only_scaled(tmp_path: Path) -> None:
    out = make_cover(tmp_path / "cover.jpg", "T", None, jacket(tmp_path / "in.png", 700, 700))
    image = pixels(out)
    assert image.shape == (SIDE, SIDE, 3)
    assert colour(image[20, 20]) == "r" and colour(image[SIDE - 20, SIDE - 20]) == "b"
