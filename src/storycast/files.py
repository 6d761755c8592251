"""Files written safely: under a temporary name beside the final one, renamed
into place when complete, so no reader ever sees a half-written file; and
names that every common file system accepts."""

from __future__ import annotations

import os
import re
import tempfile
import wave
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from storycast.errors import InputError
from storycast.model import Audio

TEMPORARY_PREFIX = ".tmp-"
"""Names of files still being written (a killed run's leftovers are removed)."""

_UMASK = os.umask(0)
os.umask(_UMASK)


@contextmanager
def atomic_path(final: Path) -> Iterator[Path]:
    """A temporary path beside `final`, renamed onto it if the block succeeds.
    A link at `final` is replaced, never followed: a link planted in a book
    folder cannot aim a write elsewhere. (A path the user names is resolved
    first by output_file, so that one is written through.)"""
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


# The output-path rule, for every command that writes: a symbolic link is
# written through to its target; a pipe, a device or a folder where a file
# should go is refused (never replaced); an input is never overwritten; and
# where the write would fail anyway (a parent that is a file, a read-only
# folder, a name too long) it fails here, before any work, in one line.
_NAME_MAX = 255
_PATH_MAX = 4095


def output_file(path: Path, inputs: Iterable[Path] = ()) -> Path:
    """The real file to write for `path` (a link's target), or InputError."""
    real = Path(os.path.realpath(path))
    _check_length(real, path)
    if any(_same(real, source) for source in inputs):
        raise InputError(f"{path}: that is the input; name another file to write")
    if real.exists() and not real.is_file():
        kind = "a folder" if real.is_dir() else "not a regular file (a pipe or a device)"
        raise InputError(f"{path}: {kind}; name a file to write")
    _check_writable_parent(real, path)
    return real


def output_folder(folder: Path, inputs: Iterable[Path] = ()) -> Path:
    """The real folder to write into, or InputError: never an input folder,
    nor one inside it (a render there could take the user's files for its own)."""
    real = Path(os.path.realpath(folder))
    _check_length(real, folder)
    if real.exists() and not real.is_dir():
        raise InputError(f"{folder}: not a folder; name a folder to write into")
    for source in inputs:
        story = Path(os.path.realpath(source))
        if story.is_dir() and (real == story or real.is_relative_to(story)):
            raise InputError(
                f"{folder}: that is the story folder {source}, or inside it, and a "
                "render must not write among the story's files; render to another folder with -o"
            )
    _check_writable_parent(real / "x", folder)
    return real


def _same(real: Path, source: Path) -> bool:
    try:
        return real == Path(os.path.realpath(source)) or os.path.samefile(real, source)
    except OSError:
        return False


def _check_length(real: Path, given: Path) -> None:
    if len(os.fsencode(real)) > _PATH_MAX or any(
        len(os.fsencode(part)) > _NAME_MAX for part in real.parts
    ):
        raise InputError(f"{str(given)[:60]}...: the name is too long for the file system")


def _check_writable_parent(real: Path, given: Path) -> None:
    """The nearest existing folder above `real` is a folder we may write in."""
    folder = real.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if not folder.is_dir():
        raise InputError(f"{given}: {folder} is a file, not a folder")
    try:  # the one sure test (file systems such as /proc refuse new files)
        handle, probe = tempfile.mkstemp(dir=folder, prefix=TEMPORARY_PREFIX)
        os.close(handle)
        os.unlink(probe)
    except OSError as error:
        raise InputError(f"{given}: cannot write in {folder} ({error.strerror})") from None
