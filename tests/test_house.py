"""The house rules that keep the code easy to live in, checked on every run:
no module imports one from a layer above it, and no module is over 300 lines."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import get_args

import pytest

SOURCE = Path(__file__).resolve().parents[1] / "src" / "storycast"

LAYERS = [
    {"errors", "files", "model", "yamlfile", "ffmpeg", "locations", "__init__"},
    {"catalog"},
    {"engines"},
    {"text"},
    {"cast", "voicepool"},
    {"voicecheck"},
    {"script"},
    {"synth"},
    {"audio"},
    {"book"},
    {"check"},
    {"render", "plan", "calibrate", "estimate", "preview"},
    {"shelf"},
    {"publish"},
    {"studio"},
    {"cli", "__main__"},
]
"""Lowest first: each stage may use the ones before it, never one after it
(docs/design.md explains the order)."""
TEXT_READERS_BELOW = {"parse", "read", "attribute"}
"""Inside text/: the readers hand over Documents; parsing is above them."""
MAX_LINES = 300


def layer_of(module: str) -> int:
    top = module.split(".")[1] if module.count(".") else "__init__"
    for number, names in enumerate(LAYERS):
        if top in names:
            return number
    raise AssertionError(f"{module}: no layer; add its package to LAYERS")


def modules() -> list[tuple[str, Path]]:
    found = []
    for path in sorted(SOURCE.rglob("*.py")):
        parts = path.relative_to(SOURCE.parent).with_suffix("").parts
        found.append((".".join(p for p in parts if p != "__init__") or "storycast", path))
    return found


def imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names |= {f"{node.module}.{alias.name}" for alias in node.names}
    return {name for name in names if name.startswith("storycast.")}


@pytest.mark.parametrize("module,path", modules(), ids=lambda value: str(value))
def test_no_import_from_a_higher_layer(module: str, path: Path) -> None:
    own = layer_of(module)
    for target in imports(path):
        assert layer_of(target) <= own, f"{module} imports {target}, a layer above it"
    if ".text.readers." in module:
        above = {f"storycast.text.{name}" for name in TEXT_READERS_BELOW}
        assert not imports(path) & above, f"{module} imports the parser it feeds"


@pytest.mark.parametrize("module,path", modules(), ids=lambda value: str(value))
def test_modules_stay_short(module: str, path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{module} has {lines} lines; split it by what it does"


def test_the_cli_offers_exactly_the_mastering_presets() -> None:
    from storycast.audio.master import PRESETS
    from storycast.model import PresetName

    assert set(get_args(PresetName)) == set(PRESETS)
