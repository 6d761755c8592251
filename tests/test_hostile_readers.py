"""Hostile story inputs, where the bytes enter (issue 19): nothing is read
from outside a story folder, the size limit counts the bytes actually read
(pipes, devices, folders, inflated EPUB members), and EPUBs with DRM are
refused. Every failure is one line."""

from __future__ import annotations

import errno
import logging
import os
import subprocess
import sys
import threading
import zipfile
from pathlib import Path

import pytest

from fuzz_readers import epub_bytes, page
from storycast.errors import InputError
from storycast.text.read import read
from storycast.text.readers import archive, intake

SECRET = "the launch codes are 0000"


def one_line(error: pytest.ExceptionInfo) -> str:
    message = str(error.value)
    assert message and "\n" not in message
    return message


@pytest.fixture()
def outside(tmp_path: Path) -> Path:
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "secret.txt").write_text(f"{SECRET}.\n")
    return folder


@pytest.fixture()
def story(tmp_path: Path) -> Path:
    folder = tmp_path / "story"
    folder.mkdir()
    (folder / "01 - Rain.txt").write_text("It rained all day.\n")
    return folder


def test_links_out_of_a_story_folder_are_skipped_with_a_warning(
    story: Path, outside: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (story / "02.txt").symlink_to(outside / "secret.txt")  # a file outside
    (story / "03.md").symlink_to(outside)  # a folder outside
    (story / "04.html").symlink_to(Path(os.path.relpath(outside / "secret.txt", story)))
    (story / "05.txt").symlink_to(story / "missing.txt")  # dangling
    (story / "06.txt").symlink_to(story / "06.txt")  # a loop
    (story / "07.txt").mkdir()  # a folder named like a chapter
    os.mkfifo(story / "08.txt")  # would block a reader for ever
    (story / "09.txt").symlink_to(story / "08.txt")  # a link to that pipe
    (story / "10.txt").symlink_to(Path("/dev/zero"))
    inside = story / "sub"
    inside.mkdir()
    (inside / "real.txt").write_text("The sun came out.\n")
    (story / "11.txt").symlink_to(inside / "real.txt")  # inside the folder: read
    with caplog.at_level(logging.WARNING, logger="storycast"):
        document = read(story)
    assert SECRET not in document.text and "sun came out" in document.text
    skipped = {record.getMessage().split(":")[0] for record in caplog.records}
    expected = {"02.txt", "03.md", "04.html", "05.txt", "06.txt", "07.txt", "08.txt"}
    assert {Path(name).name for name in skipped} == expected | {"09.txt", "10.txt"}
    assert all("\n" not in record.getMessage() for record in caplog.records)


def test_the_cli_never_prints_a_linked_file(story: Path, outside: Path) -> None:
    (story / "02.txt").symlink_to("/etc/passwd")
    (story / "03.txt").symlink_to(outside / "secret.txt")
    result = subprocess.run(
        [sys.executable, "-m", "storycast", "tag", str(story), "--json"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "root:" not in result.stdout and SECRET not in result.stdout
    warnings = result.stderr.strip().splitlines()
    assert len(warnings) == 2 and all("skipped" in line for line in warnings)


def test_a_chapter_that_fails_to_read_is_one_line(
    story: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def failing(handle, source, limit):  # noqa: ANN001 - the signature of read_stream
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(intake, "read_stream", failing)
    with pytest.raises(InputError) as error:
        read(story)
    assert "Input/output error" in one_line(error)


def test_the_limit_counts_bytes_read_from_a_pipe(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(intake, "MAX_BYTES", 10_000)
    pipe = tmp_path / "story.txt"
    os.mkfifo(pipe)
    written: list[int] = []

    def writer() -> None:
        try:
            with open(pipe, "wb") as handle:
                for _ in range(1000):  # 1 MB, if anyone read it all
                    handle.write(b"It rained. " * 93)
                    written.append(1)
        except BrokenPipeError:
            pass  # the reader stopped and closed the pipe

    thread = threading.Thread(target=writer)
    thread.start()
    with pytest.raises(intake.TooBig) as error:
        read(pipe)
    thread.join(30)
    assert "split it" in one_line(error)
    assert len(written) < 1000  # the reader stopped; the writer was cut off


def test_a_device_stops_at_the_real_limit() -> None:
    with pytest.raises(intake.TooBig) as error:
        read("/dev/zero")
    assert "20 MB" in one_line(error)


def test_read_limited_reads_at_most_one_byte_past_the_limit(tmp_path: Path) -> None:
    class Counting:
        taken = 0

        def read(self, size: int) -> bytes:
            self.taken += size
            return b"a" * size

    stream = Counting()
    with pytest.raises(intake.TooBig):
        intake.read_stream(stream, "stream", 3_000_000)  # type: ignore[arg-type]
    assert stream.taken == 3_000_001


def test_a_folder_is_held_to_the_limit_as_a_whole(
    story: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(intake, "MAX_BYTES", 3_000)
    for number in range(2, 5):  # each chapter under the limit, together over it
        (story / f"{number:02}.md").write_text("Words and more words. " * 50)
    with pytest.raises(intake.TooBig) as error:
        read(story)
    assert "chapters together" in one_line(error)


def _epub(tmp_path: Path, data: bytes, name: str = "book.epub") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("compression", [zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA])
def test_an_epub_bomb_is_refused_from_its_directory(tmp_path: Path, compression: int) -> None:
    body = b"<p>" + b"a" * 30_000_000 + b"</p>"  # 30 MB of XHTML packs to a few KB
    book = _epub(tmp_path, epub_bytes({"c.xhtml": page(body)}, compression=compression))
    assert book.stat().st_size < 200_000
    with pytest.raises(InputError) as error:
        read(book)
    assert "c.xhtml" in one_line(error)


def test_an_epub_bomb_with_lying_sizes_is_stopped_while_inflating(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Sizes in the zip's directory say 2 KB; the member inflates to 5 MB."""
    body = page(b"<p>" + b"a" * 5_000_000 + b"</p>")
    data = bytearray(epub_bytes({"c.xhtml": body}))
    info = zipfile.ZipFile(__import__("io").BytesIO(bytes(data))).getinfo("c.xhtml")
    stated = (2000).to_bytes(4, "little")
    central = data.rfind(b"c.xhtml") - 46  # the member's central directory entry
    data[central + 24 : central + 28] = stated
    data[info.header_offset + 22 : info.header_offset + 26] = stated
    book = _epub(tmp_path, bytes(data))
    with pytest.raises(InputError) as error:
        read(book)
    one_line(error)
    monkeypatch.setattr(archive, "RATIO_FROM", 100)  # and the ratio guard on its own
    honest = _epub(tmp_path, epub_bytes({"c.xhtml": body}), "honest.epub")
    with pytest.raises(InputError) as error:
        read(honest)
    assert "zip bomb" in one_line(error)


def test_an_epub_over_the_total_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(archive, "ARCHIVE_BYTES", 50_000)
    extra = {f"image{n}.png": os.urandom(20_000) for n in range(4)}  # random: no ratio
    book = _epub(tmp_path, epub_bytes({"c.xhtml": page(b"<p>It rained.</p>")}, extra))
    with pytest.raises(intake.TooBig) as error:
        read(book)
    assert "all its files" in one_line(error)


ENCRYPTION = """<?xml version="1.0"?>
<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container"
 xmlns:enc="http://www.w3.org/2001/04/xmlenc#">
{items}</encryption>"""
ITEM = """<enc:EncryptedData><enc:EncryptionMethod Algorithm="{algorithm}"/>
<enc:CipherData><enc:CipherReference URI="{uri}"/></enc:CipherData></enc:EncryptedData>
"""
AES = "http://www.w3.org/2001/04/xmlenc#aes128-cbc"
OBFUSCATED = "http://www.idpf.org/2008/embedding"


@pytest.mark.parametrize(
    "items",
    [
        [(AES, "c.xhtml")],  # Adobe ADEPT and the like
        [(OBFUSCATED, "font.otf"), ("http://www.w3.org/2001/04/xmlenc#aes256-cbc", "c.xhtml")],
        [("", "c.xhtml")],  # a method nobody names
    ],
)
def test_an_encrypted_epub_is_refused_as_encrypted(tmp_path: Path, items: list) -> None:
    xml = ENCRYPTION.format(items="".join(ITEM.format(algorithm=a, uri=u) for a, u in items))
    extra = {"META-INF/encryption.xml": xml.encode(), "font.otf": b"\x00" * 100}
    book = _epub(tmp_path, epub_bytes({"c.xhtml": page(b"<p>x\x93\x01</p>")}, extra))
    with pytest.raises(InputError) as error:
        read(book)
    assert "encrypted" in one_line(error) and "c.xhtml" in str(error.value)


def test_an_unreadable_encryption_list_is_taken_as_encryption(tmp_path: Path) -> None:
    extra = {"META-INF/encryption.xml": b"<encryption><broken"}
    book = _epub(tmp_path, epub_bytes({"c.xhtml": page(b"<p>It rained.</p>")}, extra))
    with pytest.raises(InputError) as error:
        read(book)
    assert "encrypted" in one_line(error)


def test_obfuscated_fonts_alone_are_no_drm(tmp_path: Path) -> None:
    xml = ENCRYPTION.format(items=ITEM.format(algorithm=OBFUSCATED, uri="font.otf"))
    extra = {"META-INF/encryption.xml": xml.encode(), "font.otf": b"\x00" * 100}
    book = _epub(tmp_path, epub_bytes({"c.xhtml": page(b"<p>It rained.</p>")}, extra))
    assert "It rained." in read(book).text


def test_a_password_protected_member_is_refused(tmp_path: Path) -> None:
    data = bytearray(epub_bytes({"c.xhtml": page(b"<p>It rained.</p>")}))
    central = data.rfind(b"c.xhtml") - 46
    data[central + 8] |= 1  # the "encrypted" flag of the member
    book = _epub(tmp_path, bytes(data))
    with pytest.raises(InputError) as error:
        read(book)
    assert "encrypted" in one_line(error)
