"""Installed from a wheel (no checkout, no editable install), storycast finds
its built-in voice profiles and lexicon, and renders a story.

The wheel is built from this checkout and installed into a fresh venv; its
dependencies come from the running venv's site-packages through a .pth file
(added after the install, so pip never sees another storycast), which keeps
the test fast and offline. Everything runs from a folder outside the checkout."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from importlib.metadata import version
from pathlib import Path

import pytest

from storycast import ffmpeg
from storycast.text.lexicon import builtin_lexicon
from storycast.text.speakable import speakable_text

ROOT = Path(__file__).resolve().parents[1]
BUILTIN_VOICES = ROOT / "src" / "storycast" / "data" / "voices"
STORY = """The Visit

"You are late," said Anna.

Tom shrugged. "The bus was slow."
"""


def run(*argv: object, cwd: Path | None = None, env: dict | None = None) -> str:
    result = subprocess.run(
        [str(arg) for arg in argv], cwd=cwd, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bin folder of a fresh venv holding storycast from a fresh wheel."""
    if tuple(int(part) for part in version("setuptools").split(".")[:2]) < (70, 1):
        pytest.fail("building the wheel needs setuptools>=70.1: pip install -e '.[test]'")
    base = tmp_path_factory.mktemp("wheel")
    source = base / "source"
    shutil.copytree(
        ROOT / "src", source / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info")
    )
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    run(*pip, "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-w", base, source)
    (wheel,) = base.glob("storycast-*.whl")
    venv = base / "venv"
    run(sys.executable, "-m", "venv", "--without-pip", venv)
    python = venv / "bin" / "python"
    run(*pip, "--python", python, "install", "--no-deps", "--no-index", wheel)
    site = run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])")
    shared = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    Path(site.strip(), "_shared_dependencies.pth").write_text("\n".join(sorted(shared)) + "\n")
    return venv / "bin"


@pytest.fixture
def user_env(installed: Path, tmp_path: Path) -> dict[str, str]:
    """A user's shell: the venv first on PATH, no PYTHONPATH, an empty config folder."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    env["PATH"] = f"{installed}{os.pathsep}{env.get('PATH', '')}"
    env["XDG_CONFIG_HOME"] = str(tmp_path / "config")
    return env


def test_storycast_comes_from_the_wheel(installed: Path, user_env: dict, tmp_path: Path) -> None:
    where = run(
        installed / "python", "-c", "import storycast; print(storycast.__file__)", env=user_env
    )
    assert Path(where.strip()).is_relative_to(installed.parent)
    assert not Path(where.strip()).is_relative_to(ROOT)


def test_voices_lists_the_builtin_profiles(installed: Path, user_env: dict, tmp_path: Path) -> None:
    listing = run(installed / "storycast", "voices", cwd=tmp_path, env=user_env)
    listed = sorted(line.split()[0] for line in listing.splitlines() if line.strip())
    assert listed == sorted(path.stem for path in BUILTIN_VOICES.glob("*.yaml"))


def test_the_studio_page_comes_with_the_wheel(installed: Path, user_env: dict) -> None:
    from storycast.studio.server import STATIC

    found = run(
        installed / "python",
        "-c",
        "from importlib.resources import files; from storycast.studio.server import STATIC; "
        "page = files('storycast') / 'data' / 'studio'; "
        "print(sorted(name for name in STATIC if (page / name).is_file()))",
        env=user_env,
    )
    assert found.strip() == str(sorted(STATIC))


def test_the_builtin_lexicon_is_used(installed: Path, user_env: dict, tmp_path: Path) -> None:
    entry = builtin_lexicon().entries[0]
    expected = speakable_text(entry.word, lexicon=builtin_lexicon(), engine="espeak")
    assert expected != speakable_text(entry.word)
    said = run(
        installed / "storycast", "say", entry.word, "-o", "say.wav", cwd=tmp_path, env=user_env
    )
    assert f"espeak: {expected}" in said


def test_a_story_renders_with_espeak(installed: Path, user_env: dict, tmp_path: Path) -> None:
    (tmp_path / "visit.txt").write_text(STORY, encoding="utf-8")
    run(installed / "storycast", "render", "visit.txt", "-o", "out", cwd=tmp_path, env=user_env)
    mp3s = sorted((tmp_path / "out").glob("*/*.mp3"))
    assert mp3s
    for mp3 in mp3s:
        found = ffmpeg.probe(mp3)
        assert found["streams"][0]["codec_name"] == "mp3"
        assert float(found["format"]["duration"]) > 1.0
