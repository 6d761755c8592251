"""covers: the pictures a feed links (feeds link images, they cannot embed
them): each story's own cover, one copied out of its MP3's tags, or a plain
square made once for the channel."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from storycast import ffmpeg
from storycast.files import atomic_path, write_atomic
from storycast.publish.library import Story

DEFAULT_COVER = "cover.png"
COVERS = "covers"
"""OUTPUT/covers/<slug>.jpg: a cover found only inside a story's MP3 tags."""


def embedded_cover(path: Path) -> tuple[bytes, str] | None:
    """The front cover stored in an MP3's ID3 tags (APIC), as (bytes, suffix)."""
    from mutagen.id3 import ID3, ID3NoHeaderError

    try:
        pictures = ID3(path).getall("APIC")
    except ID3NoHeaderError:
        return None
    pictures.sort(key=lambda picture: picture.type != 3)  # 3: front cover first
    for picture in pictures:
        suffix = {"image/jpeg": ".jpg", "image/jpg": ".jpg", "image/png": ".png"}.get(
            picture.mime.lower()
        )
        if suffix and picture.data:
            return picture.data, suffix
    return None


def with_cover(story: Story, output: Path) -> Story:
    """The story with a cover file: its own, else the one in its book's tags
    copied out (feeds link images, they cannot embed them)."""
    if story.cover or not story.book:
        return story
    found = embedded_cover(story.book.path)
    if found is None:
        return story
    data, suffix = found
    path = output / COVERS / f"{story.slug}{suffix}"
    if not path.is_file() or path.read_bytes() != data:
        write_atomic(path, lambda temporary: temporary.write_bytes(data))
    return replace(story, cover=path)


def channel_cover(output: Path, stories: list[Story]) -> Path:
    """The first story's cover, else a plain square one made once with ffmpeg
    (Apple Podcasts wants 1400 to 3000 pixels)."""
    for story in stories:
        if story.cover:
            return story.cover
    path = output / DEFAULT_COVER
    if not path.is_file():
        with atomic_path(path) as temporary:
            ffmpeg.run(
                [
                    "-f",
                    "lavfi",
                    "-i",
                    "color=c=0x1d3557:s=1400x1400",
                    "-frames:v",
                    "1",
                    "-f",
                    "image2",
                    "-c:v",
                    "png",
                    str(temporary),
                ]
            )
    return path
