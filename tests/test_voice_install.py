"""voices install and voices --available against a catalog mirror on
127.0.0.1 (tests/_mirror.py): the real download code end to end, checksum
failure, resuming after a cut connection, the mirror chosen by --from or
STORYCAST_VOICE_MIRROR, a multi-speaker voice's speakers, hostile catalog
entries, and one-line errors for an unreachable mirror and a missing file."""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from functools import cache
from pathlib import Path

import pytest
from typer.testing import CliRunner

from _mirror import JOE, PAIR, Mirror, catalog_files, serving
from storycast import engines
from storycast.catalog import index
from storycast.catalog.index import CatalogError
from storycast.cli import app
from storycast.engines.piper import model_path
from storycast.errors import EngineError
from storycast.model import VoiceProfile

runner = CliRunner()


@cache
def files() -> dict[str, bytes]:
    return catalog_files()


@pytest.fixture()
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The user's data folder, where voices are installed."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv(index.MIRROR_VARIABLE, raising=False)
    return tmp_path / "data" / "storycast" / "voices"


@pytest.fixture()
def mirror():
    with serving(Mirror(dict(files()))) as running:
        yield running


def model_file(key: str) -> str:
    return next(path for path in files() if path.endswith(f"/{key}.onnx"))


def install(*args: str):
    return runner.invoke(app, ["voices", "install", *args])


def last_line(output: str) -> str:
    return output.strip().splitlines()[-1]


def test_install_from_a_mirror(home: Path, mirror: Mirror) -> None:
    result = install(JOE, "--from", mirror.url)
    assert result.exit_code == 0, result.output
    assert last_line(result.output) == f"installed {JOE} in {home}"
    model = home / f"{JOE}.onnx"
    assert model.read_bytes() == files()[model_file(JOE)]
    assert json.loads(Path(f"{model}.json").read_text())["audio"]["sample_rate"] == 22050
    assert sorted(p.name for p in home.iterdir()) == [f"{JOE}.onnx", f"{JOE}.onnx.json"]
    profile = VoiceProfile(name="mine", engine="piper", voice=JOE)
    assert model_path(profile) == model  # usable by name in a profile
    assert JOE in engines.get("piper").voices()


def test_the_mirror_variable(home: Path, mirror: Mirror, monkeypatch) -> None:
    monkeypatch.setenv(index.MIRROR_VARIABLE, mirror.url)
    assert install(JOE).exit_code == 0
    assert (home / f"{JOE}.onnx").is_file()


def test_a_checksum_mismatch_keeps_nothing(home: Path, mirror: Mirror) -> None:
    damaged = bytearray(files()[model_file(JOE)])
    damaged[1000] ^= 0xFF
    mirror.files[model_file(JOE)] = bytes(damaged)
    result = install(JOE, "--from", mirror.url)
    assert result.exit_code == 1
    assert last_line(result.output).startswith("storycast: error: http://127.0.0.1")
    assert "checksum mismatch" in last_line(result.output)
    assert not (home / f"{JOE}.onnx").exists()
    assert not (home / f"{JOE}.onnx.part").exists()


def test_a_cut_connection_resumes(home: Path, mirror: Mirror) -> None:
    cut = 5_000_000
    mirror.cut_after[model_file(JOE)] = cut
    first = install(JOE, "--from", mirror.url)
    assert first.exit_code == 1
    assert "run again to resume" in last_line(first.output)
    part = home / f"{JOE}.onnx.part"
    assert part.stat().st_size == cut and not (home / f"{JOE}.onnx").exists()
    second = install(JOE, "--from", mirror.url)
    assert second.exit_code == 0, second.output
    assert mirror.ranges == [f"bytes={cut}-"]  # only the rest was asked for
    data = (home / f"{JOE}.onnx").read_bytes()
    assert hashlib.md5(data).digest() == hashlib.md5(files()[model_file(JOE)]).digest()


def test_a_multi_speaker_voice(home: Path, mirror: Mirror) -> None:
    result = install(PAIR, "--from", mirror.url)
    assert result.exit_code == 0, result.output
    assert "2 speakers (speaker: 0..1)" in last_line(result.output)
    piper = engines.get("piper")
    base = VoiceProfile(name="pair", engine="piper", voice=PAIR)
    model = piper._model(base)  # loads the model; says nothing
    from storycast.engines.piper import _speaker_id

    assert _speaker_id(model, replace(base, speaker=1)) == 1
    assert _speaker_id(model, replace(base, speaker="bob")) == 1
    with pytest.raises(EngineError, match="speaker 2 is out of range; .* has 2 speaker"):
        _speaker_id(model, replace(base, speaker=2))
    # The id reaches the model: joe's own network has no speaker input to take it.
    with pytest.raises(EngineError, match="Piper failed on 'Hello.'.*Invalid input name: sid"):
        piper.synthesize("Hello.", replace(base, speaker=1))


def test_available_lists_the_catalog_by_language(home: Path, mirror: Mirror) -> None:
    assert install(JOE, "--from", mirror.url).exit_code == 0
    listed = runner.invoke(app, ["voices", "--available", "--language", "en", "--from", mirror.url])
    assert listed.exit_code == 0, listed.output
    lines = listed.output.strip().splitlines()
    assert [line.split()[0] for line in lines] == [JOE, PAIR]
    assert lines[0].endswith("installed") and "2 speakers" in lines[1]
    other = runner.invoke(app, ["voices", "--available", "--language", "de", "--from", mirror.url])
    assert other.output.strip() == "no voices in de in the catalog"


def test_an_unknown_voice_and_a_missing_file(home: Path, mirror: Mirror) -> None:
    result = install("en_US-nobody-medium", "--from", mirror.url)
    assert result.exit_code == 1 and "has no voice 'en_US-nobody-medium'" in result.output
    del mirror.files[model_file(JOE)]
    result = install(JOE, "--from", mirror.url)
    assert result.exit_code == 1
    assert "answered 404" in last_line(result.output)


def test_an_unreachable_mirror_is_one_line(home: Path) -> None:
    result = install(JOE, "--from", "http://127.0.0.1:9/")
    assert result.exit_code == 1
    assert last_line(result.output).startswith("storycast: error: http://127.0.0.1:9/voices.json")
    assert "cannot reach" in last_line(result.output)


@pytest.mark.parametrize(
    "key, path",
    [
        ("../../evil", "en/evil.onnx"),
        ("evil", "../../evil.onnx"),
        ("evil", "/etc/evil.onnx"),
        ("evil", "en/..\\..\\evil.onnx"),
        (".hidden", "en/.hidden.onnx"),
    ],
)
def test_hostile_catalog_entries_are_left_out(key: str, path: str) -> None:
    entry = {
        "files": {
            path: {"size_bytes": 1, "md5_digest": "0" * 32},
            f"{path}.json": {"size_bytes": 1, "md5_digest": "0" * 32},
        }
    }
    assert index.parse({key: entry}) == {}
    with pytest.raises(CatalogError):
        index.safe_path(path) if key == "evil" else index.safe_key(key)


def test_an_installed_name_never_leaves_the_voice_folder(home: Path) -> None:
    with pytest.raises(EngineError, match="Piper has no voice"):
        model_path(VoiceProfile(name="x", engine="piper", voice="../../etc/passwd"))


def test_a_full_disk_is_one_line(home: Path, mirror: Mirror, monkeypatch) -> None:
    import errno
    import io

    from storycast.catalog import download

    class FullDisk(io.BytesIO):
        def write(self, data) -> int:  # noqa: ANN001
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(download, "open", lambda *args: FullDisk(), raising=False)
    result = install(JOE, "--from", mirror.url)
    assert result.exit_code == 1
    assert last_line(result.output).startswith("storycast: error: the disk is full writing ")
