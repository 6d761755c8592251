"""storycast library on a real Dask cluster on loopback (a `dask scheduler`
and two `dask worker` processes): every book byte-identical to `render`
alone, even with a worker killed mid-task; a second run synthesizes nothing;
a lost scheduler costs a rerun that resumes from the clips kept; a worker
that lacks a voice is named before any work; the same on a local cluster."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from _dask_cluster import LoopbackCluster
from storycast.render import RenderOptions, render

pytestmark = pytest.mark.slow

TEXT_STORY = """The Tab

Chapter 1: Opening

"Your round," Gene said.

Chapter 2: Closing

"Still your round," said Alex. Luigi laughed.
"""
MARKDOWN_STORY = """# The Quiet Bar

## Chapter 1

"Another," said Luigi. Gene nodded.

## Chapter 2

The bar was quiet. "Time," Luigi said at last.
"""
FOLDER_CHAPTERS = {
    "01.txt": 'Chapter One\n\n"Hello," said Alex. Gene looked up.\n',
    "02.txt": 'Chapter Two\n\n"Goodbye," said Gene, and left.\n',
}


def write_library(folder: Path) -> Path:
    folder.mkdir()
    (folder / "tab.txt").write_text(TEXT_STORY, encoding="utf-8")
    (folder / "quiet-bar.md").write_text(MARKDOWN_STORY, encoding="utf-8")
    (folder / "visit").mkdir()
    for name, text in FOLDER_CHAPTERS.items():
        (folder / "visit" / name).write_text(text, encoding="utf-8")
    return folder


def book_files(out: Path) -> dict[str, bytes]:
    """Every file a listener sees (hidden work files, caches and stamps excluded)."""
    return {
        str(p.relative_to(out)): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(out).parts)
    }


def unsourced(files: dict[str, bytes]) -> dict[str, bytes]:
    """The files with script.yaml's `source:` line (the story's path) left out."""
    return {
        name: re.sub(rb"(?m)^source: .*$", b"", data) if name.endswith("script.yaml") else data
        for name, data in files.items()
    }


def library(*args: str) -> list[str]:
    return [sys.executable, "-m", "storycast", "library", *args]


def run_library(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(library(*args), capture_output=True, text=True)


@pytest.fixture(scope="module")
def shelf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The library and each story rendered alone, the reference."""
    base = tmp_path_factory.mktemp("library")
    folder = write_library(base / "stories")
    for story in sorted(folder.iterdir()):
        render(story, RenderOptions(out=base / "single", jobs=1))
    return folder


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201
    running = LoopbackCluster(tmp_path_factory.mktemp("dask"))
    yield running
    running.close()


def test_a_library_on_the_cluster_equals_single_renders_and_a_rerun_says_nothing(
    shelf, cluster, tmp_path
):
    cluster.revive()
    out = tmp_path / "out"
    first = run_library(str(shelf), "-o", str(out), "--cluster", cluster.address)
    assert first.returncode == 0, first.stderr
    assert "3 rendered" in first.stdout and "on 2 worker(s)" in first.stdout
    assert book_files(out) == book_files(shelf.parent / "single")

    again = run_library(str(shelf), "-o", str(out), "--cluster", cluster.address)
    assert again.returncode == 0, again.stderr
    assert "3 up to date" in again.stdout and "0 clips synthesized" in again.stdout

    (out / "the-tab" / "the-tab.mp3").unlink()  # one book's file gone: joined again
    joined = run_library(
        str(shelf),
        "-o",
        str(out),
        "--cluster",
        cluster.address,
        "--feed",
        "--base-url",
        "http://127.0.0.1:8000/",
    )
    assert joined.returncode == 0, joined.stderr
    assert "1 rendered, 2 up to date" in joined.stdout
    assert "0 clips synthesized, 0 chapters made" in joined.stdout
    assert (out / "feed.xml").is_file() and "wrote" in joined.stdout
    single = book_files(shelf.parent / "single")
    folders = {name.split("/")[0] for name in single}  # the books, not the feed's files
    assert {k: v for k, v in book_files(out).items() if k.split("/")[0] in folders} == single


def test_a_worker_killed_mid_task_costs_nothing(shelf, cluster, tmp_path):
    cluster.revive()
    out = tmp_path / "out"
    running = subprocess.Popen(
        library(str(shelf), "-o", str(out), "--cluster", cluster.address),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    killed = cluster.kill_busy_worker(running)
    stdout, stderr = running.communicate(timeout=300)
    assert running.returncode == 0, stderr
    assert cluster.workers[killed].poll() is not None
    assert book_files(out) == book_files(shelf.parent / "single")


def test_a_worker_without_a_voice_is_named_before_any_work(shelf, cluster, tmp_path):
    cluster.revive()
    voices = tmp_path / "voices"
    voices.mkdir()
    (voices / "narrator.yaml").write_text("engine: espeak\nvoice: zz-nowhere\n")
    result = run_library(
        str(shelf),
        "-o",
        str(tmp_path / "out"),
        "--cluster",
        cluster.address,
        "--voices",
        str(voices),
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "lacks the espeak voice 'zz-nowhere'" in result.stderr.strip().splitlines()[-1]
    assert not list((tmp_path / "out").rglob("*.wav"))


def test_bad_input_is_one_line(tmp_path):
    missing = run_library(str(tmp_path / "nowhere"), "-o", str(tmp_path / "out"))
    assert missing.returncode == 1 and "no such folder" in missing.stderr
    write_library(tmp_path / "stories")
    unreachable = run_library(
        str(tmp_path / "stories"), "-o", str(tmp_path / "out"), "--cluster", "tcp://127.0.0.1:9"
    )
    assert unreachable.returncode == 1 and "Traceback" not in unreachable.stderr
    assert "no Dask scheduler answers" in unreachable.stderr


def test_on_this_machine_without_a_cluster(shelf, tmp_path):
    one = tmp_path / "one"
    one.mkdir()
    (one / "tab.txt").write_text(TEXT_STORY, encoding="utf-8")
    (one / "blank.txt").write_text("\n\n", encoding="utf-8")  # no words: refused, alone
    out = tmp_path / "out"
    plan = run_library(str(one), "-o", str(out), "--plan")
    assert plan.returncode == 1 and "blank.txt: the story is empty" in plan.stderr
    assert "tab.txt: 2 of 2 chapter(s) to make" in plan.stdout and not out.exists()
    result = run_library(str(one), "-o", str(out), "-j", "1")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "blank.txt: the story is empty" in result.stderr
    assert "1 rendered, 0 up to date, 1 failed" in result.stdout
    assert "on 1 worker(s)" in result.stdout
    assert "the-tab: done; books 1 of 1" in result.stderr  # a progress line in a log
    single = book_files(shelf.parent / "single")
    expected = {k: v for k, v in single.items() if k.startswith("the-tab/")}
    assert unsourced(book_files(out)) == unsourced(expected)
    again = run_library(str(one), "-o", str(out), "--plan")
    assert "tab.txt: up to date" in again.stdout


def test_a_lost_scheduler_costs_a_rerun_that_resumes(shelf, tmp_path):
    lost = LoopbackCluster(tmp_path / "lost", workers=1)
    out = tmp_path / "out"
    command = library(str(shelf), "-o", str(out), "--cluster", lost.address)
    try:
        running = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        lost.kill_scheduler_when_busy(running)
        _, stderr = running.communicate(timeout=300)
        assert running.returncode == 1 and "Traceback" not in stderr, stderr
        assert "run the command again" in stderr.strip().splitlines()[-1], stderr
    finally:
        lost.close()
    kept = len(list((out / ".clips").rglob("*.wav")))
    assert kept > 0
    again = LoopbackCluster(tmp_path / "again", workers=1)
    try:
        rerun = run_library(str(shelf), "-o", str(out), "--cluster", again.address)
    finally:
        again.close()
    assert rerun.returncode == 0, rerun.stderr
    made = int(re.search(r"(\d+) clips synthesized", rerun.stdout).group(1))
    assert made == len(list((out / ".clips").rglob("*.wav"))) - kept  # the rest only
    assert book_files(out) == book_files(shelf.parent / "single")


class _Answers:
    """The answers a broadcast to the workers brought back (`Client.run`)."""

    def __init__(self, answers: dict):
        self.answers = answers

    def run(self, *args, **kwargs) -> dict:
        return self.answers


def test_a_worker_that_died_since_the_scheduler_heard_from_it_lacks_nothing(tmp_path):
    from distributed.comm.core import CommClosedError

    from storycast.model import VoiceProfile
    from storycast.shelf.cluster import WorkerCheck, WorkerLacks

    voice = [VoiceProfile(name="narrator", engine="espeak", voice="en")]
    gone = {"tcp://127.0.0.1:1": CommClosedError("Stream is closed"), "tcp://127.0.0.1:2": []}
    with WorkerCheck(_Answers(gone), tmp_path) as check:
        check.require(voice)  # no error: the live worker has everything
    lacking = {"tcp://127.0.0.1:2": ["the espeak voice 'en'"]}
    with WorkerCheck(_Answers(lacking), tmp_path) as check, pytest.raises(WorkerLacks):
        check.require(voice)
