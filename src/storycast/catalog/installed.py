"""installed: installing a catalog voice, and the voices installed.

`install` reads the catalog's voices.json from the mirror (the public
catalog unless --from or STORYCAST_VOICE_MIRROR names another root with the
same layout), then downloads the voice's .onnx.json and .onnx into the
user's voice folder (locations.installed_voices) as KEY.onnx.json and
KEY.onnx. Nothing here runs unless asked: rendering never downloads."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from storycast.catalog import download, index
from storycast.catalog.index import CatalogError, CatalogVoice
from storycast.locations import installed_voices

INDEX_LIMIT = 20_000_000
"""voices.json is about 1 MB; anything far larger is not a catalog."""
Progress = Callable[[str, int], Callable[[int], None]]


@dataclass(frozen=True)
class InstalledVoice:
    key: str
    model: Path
    language: str
    speakers: int
    speaker_names: tuple[str, ...]


def mirror(explicit: str | None = None) -> str:
    """The catalog root to use: --from, else $STORYCAST_VOICE_MIRROR, else the public one."""
    return explicit or os.environ.get(index.MIRROR_VARIABLE) or index.DEFAULT_MIRROR


def catalog(root: str) -> dict[str, CatalogVoice]:
    url = download.url_for(root, index.INDEX)
    try:
        data = json.loads(download.fetch_bytes(url, INDEX_LIMIT))
    except (ValueError, UnicodeDecodeError) as error:
        raise CatalogError(f"{url}: not a voice catalog ({error})") from None
    return index.parse(data)


def install(key: str, root: str, progress: Progress, folder: Path | None = None) -> InstalledVoice:
    """Download the catalog voice `key` (its config, then its model)."""
    voices = catalog(root)
    if key not in voices:
        near = [name for name in voices if key.lower() in name.lower()][:5]
        hint = (
            f"; did you mean {', '.join(near)}?" if near else "; see `storycast voices --available`"
        )
        raise CatalogError(f"the catalog at {root} has no voice {key!r}{hint}")
    voice = voices[key]
    target = folder or installed_voices()
    target.mkdir(parents=True, exist_ok=True)
    advance = progress(f"Downloading {key}", voice.size)
    for wanted, suffix in ((voice.config, index.CONFIG), (voice.model, index.MODEL)):
        final = target / f"{index.safe_key(key)}{suffix}"
        if final.is_file() and final.stat().st_size == wanted.size:
            advance(wanted.size)  # already here, from an earlier install
            continue
        download.download(download.url_for(root, wanted.path), final, wanted, advance)
    return read_installed(target / f"{key}{index.MODEL}")


def installed(folder: Path | None = None) -> list[InstalledVoice]:
    """The voices in the user's voice folder (a model with its config), by key."""
    found = []
    home = folder or installed_voices()
    for model in sorted(home.glob(f"*{index.MODEL}")) if home.is_dir() else []:
        try:
            found.append(read_installed(model))
        except CatalogError:
            continue  # half there or damaged: not offered for casting
    return found


def read_installed(model: Path) -> InstalledVoice:
    config = Path(f"{model}.json")
    try:
        data = json.loads(config.read_text(encoding="utf-8"))
        names: dict[str, int] = data.get("speaker_id_map") or {}
        return InstalledVoice(
            key=model.name.removesuffix(index.MODEL),
            model=model,
            language=str((data.get("language") or {}).get("code", "")),
            speakers=max(1, int(data.get("num_speakers", 1))),
            speaker_names=tuple(sorted(names, key=lambda name: names[name])),
        )
    except (OSError, ValueError, TypeError, AttributeError) as error:
        raise CatalogError(f"{config}: not a Piper voice config ({error})") from None
