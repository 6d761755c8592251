"""The feed's content hashes are kept between rebuilds under each file's
identity: an unchanged file is not read again, a replaced one is."""

from __future__ import annotations

from pathlib import Path

import storycast.publish.versions as versions
from storycast.files import write_text
from storycast.publish.library import content_version
from storycast.publish.versions import VERSIONS_FILE, VersionCache


def test_only_changed_files_are_hashed_again(tmp_path: Path, monkeypatch) -> None:
    hashed: list[str] = []

    def counting(path: Path) -> str:
        hashed.append(path.name)
        return content_version(path)

    monkeypatch.setattr(versions, "content_version", counting)
    book = tmp_path / "book"
    first, second = write_text(book / "01.mp3", "one"), write_text(book / "02.mp3", "two")
    cache = VersionCache(tmp_path)
    before = {path.name: cache.of(path) for path in (first, second)}
    cache.save()
    assert hashed == ["01.mp3", "02.mp3"]

    hashed.clear()
    write_text(second, "two, corrected")  # a new file under the same name
    cache = VersionCache(tmp_path)
    after = {path.name: cache.of(path) for path in (first, second)}
    assert hashed == ["02.mp3"]
    assert after["01.mp3"] == before["01.mp3"] and after["02.mp3"] != before["02.mp3"]
    assert after["02.mp3"] == content_version(second)


def test_a_damaged_cache_means_hashing_again(tmp_path: Path) -> None:
    (tmp_path / VERSIONS_FILE).write_text("{not json")
    path = write_text(tmp_path / "book" / "01.mp3", "one")
    assert VersionCache(tmp_path).of(path) == content_version(path)
