"""index: the Piper voice catalog's voices.json, read defensively.

The catalog (https://huggingface.co/rhasspy/piper-voices) publishes one
voices.json at its root: voice key -> {key, name, language {code, family,
region, name_english, country_english, ...}, quality, num_speakers,
speaker_id_map, files {PATH: {size_bytes, md5_digest}}, aliases}, where
each PATH is relative to the root (en/en_US/lessac/medium/en_US-lessac-medium.onnx).
A mirror has the same layout under another root.

A voices.json is input from the network: keys and paths are checked before
anything is built from them. Local files are always named from the key
alone (KEY.onnx, KEY.onnx.json), never from a catalog path, and a key must
be a plain file name."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from storycast.errors import StorycastError

DEFAULT_MIRROR = "https://huggingface.co/rhasspy/piper-voices/resolve/main/"
MIRROR_VARIABLE = "STORYCAST_VOICE_MIRROR"
INDEX = "voices.json"
MODEL = ".onnx"
CONFIG = ".onnx.json"
_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")
_MD5 = re.compile(r"^[0-9a-f]{32}$")


class CatalogError(StorycastError):
    """The catalog, a mirror or a download is not what it should be."""


@dataclass(frozen=True)
class CatalogFile:
    path: str
    """Relative to the catalog's root, as a URL path."""
    size: int
    md5: str


@dataclass(frozen=True)
class CatalogVoice:
    key: str
    language: str
    """e.g. en_US."""
    language_name: str
    quality: str
    speakers: int
    model: CatalogFile
    config: CatalogFile

    @property
    def size(self) -> int:
        return self.model.size + self.config.size


def safe_key(key: object) -> str:
    """A voice key usable as a file name here, or CatalogError."""
    if not isinstance(key, str) or not _KEY.match(key) or ".." in key:
        raise CatalogError(f"the catalog has a voice with an unusable name: {str(key)[:60]!r}")
    return key


def safe_path(path: object) -> str:
    """A catalog path that stays under the catalog's root, or CatalogError."""
    text = path if isinstance(path, str) else ""
    parts = PurePosixPath(text).parts
    if (
        not parts
        or text.startswith("/")
        or any(part in ("..", ".") or "\\" in part or ":" in part for part in parts)
    ):
        raise CatalogError(f"the catalog names an unusable file path: {str(path)[:80]!r}")
    return text


def parse(data: Any) -> dict[str, CatalogVoice]:
    """Every usable voice of a parsed voices.json, by key; entries that are
    not voices (no .onnx and .onnx.json, bad sizes or sums, unsafe names)
    are left out, so one bad entry does not hide the rest."""
    if not isinstance(data, dict):
        raise CatalogError("the catalog's voices.json is not a mapping of voices")
    voices = {}
    for key, entry in data.items():
        try:
            voices[safe_key(key)] = _voice(key, entry)
        except (CatalogError, KeyError, TypeError, ValueError, AttributeError):
            continue
    return voices


def _voice(key: str, entry: dict) -> CatalogVoice:
    files = [_file(path, info) for path, info in entry["files"].items()]
    model = [f for f in files if f.path.endswith(f"/{key}{MODEL}") or f.path == f"{key}{MODEL}"]
    config = [f for f in files if f.path.endswith(f"/{key}{CONFIG}") or f.path == f"{key}{CONFIG}"]
    if len(model) != 1 or len(config) != 1:
        raise CatalogError(f"{key}: no single {MODEL} and {CONFIG}")
    language = entry.get("language") or {}
    return CatalogVoice(
        key=key,
        language=str(language.get("code", key.split("-")[0])),
        language_name=str(language.get("name_english", "")),
        quality=str(entry.get("quality", "")),
        speakers=max(1, int(entry.get("num_speakers", 1))),
        model=model[0],
        config=config[0],
    )


def _file(path: str, info: dict) -> CatalogFile:
    size, md5 = info["size_bytes"], str(info["md5_digest"]).lower()
    if not isinstance(size, int) or size < 0 or not _MD5.match(md5):
        raise CatalogError(f"{path}: bad size or md5")
    return CatalogFile(safe_path(path), size, md5)


def in_language(voices: dict[str, CatalogVoice], language: str | None) -> list[CatalogVoice]:
    """The voices of a language ("en", "en_GB" or "en-GB"; any case), by key."""
    chosen = sorted(voices.values(), key=lambda voice: voice.key)
    if not language:
        return chosen
    wanted = language.replace("-", "_").lower()
    return [
        voice
        for voice in chosen
        if voice.language.lower() == wanted or voice.language.lower().split("_")[0] == wanted
    ]
