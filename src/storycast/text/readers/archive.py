"""An EPUB's zip, opened with limits: nothing it holds is inflated past them.

Before anything is inflated, the zip's directory is checked: how many
members, how big each says it is, how much they add up to and how far each
says it inflates (a compression-ratio guard). Then every member is inflated
in small chunks and counted as it comes, because the sizes a zip states can
lie: one member past MEMBER_BYTES, all of them past ARCHIVE_BYTES, or one
that inflates more than MAX_RATIO times its packed size is refused there,
having held at most one chunk more. A book whose content files are
encrypted (DRM, listed in META-INF/encryption.xml) is refused as such;
fonts obfuscated under the EPUB rules are not encryption."""

from __future__ import annotations

import posixpath
import zipfile
from pathlib import Path

from storycast.errors import InputError
from storycast.text.readers import intake

MEMBER_BYTES = intake.MAX_BYTES
"""The most any one member may inflate to."""
ARCHIVE_BYTES = 5 * intake.MAX_BYTES
"""The most all members together may inflate to (images included)."""
MAX_RATIO = 100
"""Inflated over packed size, past which a member is a zip bomb, not a book."""
RATIO_FROM = 1_000_000
"""Members smaller than this inflated are not held to MAX_RATIO (a page of
spaces packs very small, and harmlessly)."""
MAX_MEMBERS = 10_000
_CHUNK = 1 << 16
_FONT_OBFUSCATION = {
    "http://www.idpf.org/2008/embedding",
    "http://ns.adobe.com/pdf/enc#RC",
}


class GuardedZip:
    """The read side of zipfile.ZipFile that ebooklib uses (read, close),
    with the limits above."""

    def __init__(self, path: Path, source: str) -> None:
        self.source = source
        self.inflated = 0
        try:
            self._zip = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError) as error:
            raise InputError(f"{source}: not a readable EPUB ({error})") from None
        except OSError as error:
            raise intake.unreadable(source, error) from None
        try:
            self._check_directory()
            self._refuse_encrypted()
        except BaseException:
            self._zip.close()
            raise

    def read(self, name: str) -> bytes:
        info = self._zip.getinfo(name)  # KeyError, as zipfile's own read raises
        if info.flag_bits & 0x1:
            raise self._refusal("is encrypted (a password-protected zip)")
        chunks: list[bytes] = []
        size = 0
        try:
            with self._zip.open(info) as member:
                while chunk := member.read(_CHUNK):
                    size += len(chunk)
                    self.inflated += len(chunk)
                    self._check_inflated(name, size, info.compress_size)
                    chunks.append(chunk)
        except (zipfile.BadZipFile, EOFError, ValueError, NotImplementedError) as error:
            raise InputError(f"{self.source}: {name}: damaged in the zip ({error})") from None
        except OSError as error:
            raise intake.unreadable(self.source, error) from None
        return b"".join(chunks)

    def close(self) -> None:
        self._zip.close()

    def _check_inflated(self, name: str, size: int, packed: int) -> None:
        if size > MEMBER_BYTES:
            raise intake.too_big(self.source, MEMBER_BYTES, f"{name}, inflated")
        if self.inflated > ARCHIVE_BYTES:
            raise intake.too_big(self.source, ARCHIVE_BYTES, "all its files, inflated")
        if size > RATIO_FROM and size > MAX_RATIO * max(packed, 1):
            raise self._refusal(
                f"{name} inflates more than {MAX_RATIO} times its packed size: a zip bomb"
            )

    def _check_directory(self) -> None:
        """The limits on what the zip says it holds, before inflating any of it."""
        members = self._zip.infolist()
        if len(members) > MAX_MEMBERS:
            raise self._refusal(f"holds {len(members)} files, more than a book has")
        stated = 0
        for info in members:
            stated += info.file_size
            self._check_inflated(info.filename, info.file_size, info.compress_size)
            if stated > ARCHIVE_BYTES:
                raise intake.too_big(self.source, ARCHIVE_BYTES, "all its files, inflated")

    def _refuse_encrypted(self) -> None:
        try:
            self._zip.getinfo("META-INF/encryption.xml")
        except KeyError:
            return
        encrypted = encrypted_files(self.read("META-INF/encryption.xml"))
        if encrypted is None or encrypted:
            named = f" ({', '.join(encrypted[:3])})" if encrypted else ""
            raise self._refusal(f"is encrypted (DRM){named}; storycast reads only DRM-free books")

    def _refusal(self, why: str) -> InputError:
        return InputError(f"{self.source}: {why}")


def encrypted_files(encryption_xml: bytes) -> list[str] | None:
    """The files META-INF/encryption.xml says are encrypted, leaving out
    fonts obfuscated under the EPUB rules (which a reader can undo); None
    when the file cannot be read, which is taken as encryption."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        root = etree.fromstring(encryption_xml, parser)
    except etree.XMLSyntaxError:
        return None
    files = []
    for data in root.iter("{*}EncryptedData"):
        methods = [m.get("Algorithm", "") for m in data.iter("{*}EncryptionMethod")]
        if methods and all(method in _FONT_OBFUSCATION for method in methods):
            continue
        references = [r.get("URI", "") for r in data.iter("{*}CipherReference")]
        files += [posixpath.basename(uri) or uri for uri in references] or ["?"]
    return files
