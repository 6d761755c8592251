"""cover: the book's square cover art, the user's (--cover) or one drawn
from the title. Podcast directories want a square of at least 1400 px; the
same JPEG is embedded in every MP3 (APIC) and the M4B, and left beside them
as cover.jpg for the feed."""

from __future__ import annotations

import hashlib
import tempfile
import textwrap
from pathlib import Path

from storycast import ffmpeg
from storycast.errors import InputError, ToolError, warn
from storycast.files import atomic_path

SIDE = 1400
"""Pixels per side of a drawn cover, and the least a user's cover is scaled to."""
_BACKGROUNDS = ("0x1d3557", "0x3d2b56", "0x2f4b3a", "0x5b2333", "0x23395b", "0x4a3728")
_INK = "0xf1e9d2"
_FONT = "DejaVu Serif"
_IMAGE_CODECS = ("mjpeg", "png", "webp", "bmp", "tiff", "gif")
MAX_PIXELS = 50_000_000
"""The largest picture decoded (7000 x 7000): a 16000-pixel square would take
gigabytes of memory for a cover shown at 1400."""

_JPEG = ["-q:v", "2", "-f", "image2", "-c:v", "mjpeg"]
"""Output arguments: one high-quality JPEG."""


def make_cover(
    out: Path,
    title: str,
    author: str | None,
    user_cover: Path | None = None,
    embedded: bytes | None = None,
) -> Path:
    """Write out (a JPEG): the user's cover, else the story's own (an EPUB's),
    made square; else one drawn from the title."""
    with atomic_path(out) as temporary:
        if user_cover is not None:
            _square_copy(user_cover, temporary)
        elif embedded:
            with tempfile.TemporaryDirectory(prefix="storycast-cover-") as scratch:
                source = Path(scratch) / "embedded"
                source.write_bytes(embedded)
                try:
                    _square_copy(source, temporary)
                except InputError as error:  # a story's unusable picture: draw one
                    warn(f"the story's own cover cannot be used ({error}); drawing one")
                    _draw(title, author, temporary)
        else:
            _draw(title, author, temporary)
    return out


def require_image(source: Path) -> tuple[int, int]:
    """(width, height) of a still image, or an InputError naming --cover."""
    if not source.is_file():
        raise InputError(f"--cover: {source} does not exist")
    try:
        probed = ffmpeg.probe(source, max_pixels=MAX_PIXELS)
    except ToolError:
        probed = {}
    # ffmpeg reads almost anything as video (a text file as "tty" art): only
    # still-image formats count.
    image_format = probed.get("format", {}).get("format_name", "")
    pictures = [
        s
        for s in probed.get("streams", [])
        if s.get("codec_type") == "video" and s.get("codec_name") in _IMAGE_CODECS
    ]
    if not pictures or not (image_format == "image2" or image_format.endswith("_pipe")):
        raise InputError(f"--cover: {source} is not an image ffmpeg can read")
    width, height = int(pictures[0].get("width") or 0), int(pictures[0].get("height") or 0)
    if not width or not height:  # ffprobe leaves a picture over max_pixels undecoded
        raise InputError(
            f"--cover: {source} is damaged or too large (over {MAX_PIXELS // 1_000_000} "
            "megapixels); give a smaller image"
        )
    return width, height


def _square_copy(source: Path, out: Path) -> None:
    """The whole image fitted inside a square (at least SIDE) on a blurred,
    darkened fill of itself, so a portrait cover keeps its title; JPEG out."""
    width, height = require_image(source)
    side = max(SIDE, min(width, height))
    ffmpeg.run(
        [
            "-max_pixels",
            str(MAX_PIXELS),
            "-i",
            str(source),
            "-frames:v",
            "1",
            "-filter_complex",
            _fitted(side),
            *_JPEG,
            str(out),
        ]
    )


def _fitted(side: int) -> str:
    fill = (
        f"scale={side}:{side}:force_original_aspect_ratio=increase,crop={side}:{side},"
        "boxblur=luma_radius=min(h\\,w)/20:luma_power=2,eq=brightness=-0.06"
    )
    image = f"scale={side}:{side}:force_original_aspect_ratio=decrease"
    return (
        f"[0:v]split[a][b];[a]{fill}[fill];[b]{image}[image];"
        "[fill][image]overlay=(W-w)/2:(H-h)/2,format=yuvj420p"
    )


def _draw(title: str, author: str | None, out: Path) -> None:
    """A plain, legible cover: the title large and centred, a rule, the author.

    Text goes to drawtext through files (textfile=, expansion=none), so no
    title can break the filter syntax."""
    background = _BACKGROUNDS[
        int(hashlib.sha256(title.encode()).hexdigest(), 16) % len(_BACKGROUNDS)
    ]
    lines = textwrap.wrap(title, width=14, break_long_words=True) or ["Untitled"]
    lines = lines[:6]
    size = min(170, int(SIDE * 0.8 / (0.6 * max(len(line) for line in lines))))
    step = int(size * 1.25)
    top = SIDE * 0.42 - step * len(lines) / 2
    with tempfile.TemporaryDirectory(prefix="storycast-cover-") as scratch:
        filters = []
        texts = [(line, size, top + i * step) for i, line in enumerate(lines)]
        if author:
            texts.append((author, 70, SIDE * 0.78))
        for i, (text, font_size, y) in enumerate(texts):
            path = Path(scratch) / f"line{i}.txt"
            path.write_text(text, encoding="utf-8")
            filters.append(
                f"drawtext=textfile='{_escape(path)}':expansion=none:font='{_FONT}':"
                f"fontsize={font_size}:fontcolor={_INK}:x=(w-text_w)/2:y={int(y)}"
            )
        rule_y = int(top + step * len(lines) + size * 0.4)
        filters.append(f"drawbox=x={SIDE // 4}:y={rule_y}:w={SIDE // 2}:h=6:color={_INK}:t=fill")
        ffmpeg.run(
            [
                "-f",
                "lavfi",
                "-i",
                f"color=c={background}:s={SIDE}x{SIDE}:d=1",
                "-vf",
                ",".join(filters),
                "-frames:v",
                "1",
                *_JPEG,
                str(out),
            ]
        )


def _escape(path: Path) -> str:
    """A path inside a quoted filter option: backslash and quote escaped."""
    return str(path).replace("\\", "\\\\").replace("'", "'\\''").replace(":", "\\:")
