"""Files written safely: under a temporary name beside the final one, renamed
into place when complete, so no reader ever sees a half-written file; and
names that every common file system accepts."""

from __future__ import annotations

import os
import re
import tempfile
import wave
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from storycast.model import Audio

TEMPORARY_PREFIX = ".tmp-"
"""Names of files still being written (a killed run's leftovers are removed)."""

_UMASK = os.umask(0)
os.umask(_UMASK)


@contextmanager
def atomic_path(final: Path) -> Iterator[Path]:
    """A temporary path beside `final`, renamed onto it if the block succeeds."""
    final.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(
        dir=final.parent, prefix=TEMPORARY_PREFIX, suffix=final.suffix
    )
    os.close(handle)
    os.chmod(temporary, 0o666 & ~_UMASK)  # mkstemp makes 0600; outputs are for sharing
    try:
        yield Path(temporary)
        os.replace(temporary, final)
    finally:
        Path(temporary).unlink(missing_ok=True)


def write_atomic(final: Path, write: Callable[[Path], object]) -> Path:
    """`write(temporary)` fills a temporary file, which then replaces `final`."""
    with atomic_path(final) as temporary:
        write(temporary)
    return final


def write_text(final: Path, text: str) -> Path:
    """UTF-8 text, written atomically."""
    return write_atomic(final, lambda path: path.write_text(text, encoding="utf-8"))


def write_wav(final: Path, audio: Audio) -> Path:
    """Mono 16-bit PCM as a WAV file, written atomically."""

    def write(path: Path) -> None:
        with wave.open(str(path), "wb") as clip:
            clip.setnchannels(1)
            clip.setsampwidth(2)
            clip.setframerate(audio.sample_rate)
            clip.writeframes(audio.pcm)

    return write_atomic(final, write)


def safe_name(text: str, limit: int = 80) -> str:
    """A file name that is safe on every common file system."""
    name = re.sub(r'[\x00-\x1f<>:"/\\|?*]+', " ", text)
    name = " ".join(name.split()).strip(" .")[:limit].strip(" .")
    if re.fullmatch(r"(?i)(con|prn|aux|nul|com\d|lpt\d)(\..*)?", name) or not name:
        name = f"_{name}" if name else "untitled"
    return name
