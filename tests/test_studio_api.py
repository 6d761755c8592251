"""The studio's HTTP API without a browser: the token, foreign origins, the
stale-version 409, malformed requests, unknown ids, path escapes, edits
saved to script.yaml, clips from the cache, undo; and the server answering
after every error. The fake engine says the lines (microseconds each)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from _http import request
from _studio import UNCERTAIN, find, studio_for, write_story
from storycast.errors import InputError
from storycast.render import RenderOptions
from storycast.script import load_script, load_yaml, save


@pytest.fixture
def running(tmp_path, fake_voices):
    story = write_story(tmp_path / "story")
    with studio_for(story, RenderOptions(out=tmp_path / "out", voices=[fake_voices])) as live:
        yield live


def script_of(running):
    status, script, response = running.call("/api/script")
    assert status == 200
    return script


def test_the_script_comes_with_ids_a_version_and_voices(running):
    script = script_of(running)
    ids = [s["id"] for c in script["chapters"] for s in c["segments"]]
    assert ids == list(range(len(ids)))
    line = find(script, UNCERTAIN)
    assert line["kind"] == "speech" and line["confidence"] < 0.7
    assert set(script["voices"]) >= {"narrator", "Anna"} and "male" in script["profiles"]
    assert running.studio.book.script.is_file()  # a story's script lives in its book folder


def test_every_api_and_book_call_needs_the_token(running):
    for path in ("/api/script", "/api/render", "/book/timing.json", "/api/clip/1"):
        status, answer, _ = running.call(path, token=False)
        assert status == 403 and "token" in answer["error"]
        status, answer, _ = running.call(path, token=False, headers={"X-Storycast-Token": "x"})
        assert status == 403
    status, _, _ = running.call(f"/api/script?token={running.token}", token=False)
    assert status == 200
    status, page, response = running.call("/", token=False)  # the page holds no book data
    assert status == 200 and response.getheader("Content-Type").startswith("text/html")


def test_a_post_from_a_foreign_origin_is_refused_and_changes_nothing(running):
    line = find(script_of(running), UNCERTAIN)
    before = running.studio.state.path.read_bytes()
    for origin in ("http://evil.example", f"http://127.0.0.1:{running.port + 1}", "null"):
        status, answer, _ = running.call(
            f"/api/segments/{line['id']}", {"speaker": "Tom"}, headers={"Origin": origin}
        )
        assert status == 403 and "refused" in answer["error"]
    assert running.studio.state.path.read_bytes() == before
    status, _, _ = running.call(
        f"/api/segments/{line['id']}", {"speaker": "Tom"}, headers={"Origin": running.origin}
    )
    assert status == 200


def test_an_edit_is_saved_and_a_stale_version_gets_409(running):
    script = script_of(running)
    line = find(script, UNCERTAIN)
    status, changed, _ = running.call(
        f"/api/segments/{line['id']}", {"speaker": "Tom", "version": script["version"]}
    )
    assert status == 200
    assert changed["speaker"] == "Tom" and changed["confidence"] == 1.0
    assert changed["version"] != script["version"]
    saved = load_yaml(running.studio.state.path)
    assert [s.speaker for s in saved.chapters[0].segments if s.text == UNCERTAIN] == ["Tom"]
    # a second tab, still on the old version
    status, answer, _ = running.call(
        f"/api/segments/{line['id']}", {"speaker": "Anna", "version": script["version"]}
    )
    assert status == 409 and "changed" in answer["error"]
    status, _, _ = running.call(
        f"/api/segments/{line['id']}", {"speaker": "Anna"}, {"If-Match": '"0123"'}
    )
    assert status == 409
    assert find(script_of(running), UNCERTAIN)["speaker"] == "Tom"


def test_undo_restores_the_line_as_it_was(running):
    line = find(script_of(running), UNCERTAIN)
    running.call(f"/api/segments/{line['id']}", {"speaker": "Tom"})
    status, answer, _ = running.call("/api/undo", {})
    assert status == 200
    again = find(script_of(running), UNCERTAIN)
    assert (again["speaker"], again["confidence"], again["rule"]) == (
        line["speaker"],
        line["confidence"],
        line["rule"],
    )
    status, answer, _ = running.call("/api/undo", {})
    assert status == 409 and "nothing to undo" in answer["error"]


def test_a_voice_change_goes_into_the_cast(running):
    status, answer, _ = running.call("/api/characters/Anna", {"voice": "male"})
    assert status == 200
    assert script_of(running)["voices"]["Anna"] == "male"
    cast = load_yaml(running.studio.state.path).cast
    assert cast.find("Anna").voice == "male"
    status, answer, _ = running.call("/api/characters/Anna", {"voice": "../../etc/passwd"})
    assert status == 400 and "no voice profile" in answer["error"]


def test_a_clip_is_said_once_then_comes_from_the_cache(running, fake_engine):
    line = find(script_of(running), UNCERTAIN)
    status, wav, response = running.call(f"/api/clip/{line['id']}")
    assert status == 200 and response.getheader("Content-Type") == "audio/wav"
    assert wav[:4] == b"RIFF" and fake_engine.spoken == [UNCERTAIN]
    assert running.call(f"/api/clip/{line['id']}")[1] == wav
    assert fake_engine.spoken == [UNCERTAIN]
    status, other, _ = running.call(f"/api/clip/{line['id']}?voice=female")  # a preview
    assert status == 200 and other != wav


@pytest.mark.parametrize(
    "body,expected",
    [
        (b"{not json", "not valid JSON"),
        (b"[1, 2]", "JSON object"),
        (b'{"speaker": 7}', "string"),
        (b'{"speaker": ""}', "printable"),
        (b'{"speaker": "a\\u0000b"}', "printable"),
        (b"\xff\xfe", "not valid JSON"),
        (b"[" * 100_000, "at most"),
    ],
)
def test_a_malformed_body_gets_a_json_400_and_the_server_stays_up(running, body, expected):
    line = find(script_of(running), UNCERTAIN)
    status, answer, _ = running.call(f"/api/segments/{line['id']}", raw=body)
    assert status == 400 and expected in answer["error"]
    assert script_of(running)["version"]


@pytest.mark.parametrize(
    "path",
    ["/api/segments/9999", "/api/segments/-1", "/api/segments/abc", "/api/segments/1e3"],
)
def test_unknown_ids_get_404(running, path):
    status, answer, _ = running.call(path, {"speaker": "Tom"})
    assert status == 404 and answer["error"]
    status, answer, _ = running.call(path.replace("segments", "clip"))
    assert status == 404


def test_narration_has_no_speaker_to_change_and_unknown_calls_are_404(running):
    narration = find(script_of(running), "Someone shrugged.")
    status, answer, _ = running.call(f"/api/segments/{narration['id']}", {"speaker": "Tom"})
    assert status == 400 and "only speech" in answer["error"]
    for path in ("/api/nothing", "/api/script/1", "/nothing", "/api/segments"):
        assert running.call(path)[0] == 404


def test_no_path_outside_the_book_is_served(running, tmp_path):
    book = running.studio.book.path
    (tmp_path / "secret.txt").write_text("secret")
    (book / "notes.txt").write_text("the book's own")
    os.symlink(tmp_path / "secret.txt", book / "link.txt")
    os.symlink(tmp_path, book / "out-dir")
    assert running.call("/book/notes.txt")[0] == 200
    for path in (
        "/book/../story/visit.txt",
        "/book/%2e%2e/story/visit.txt",
        "/book/..%2fstory%2fvisit.txt",
        "/book/link.txt",
        "/book/out-dir/secret.txt",
        "/book/.lock",
        "/book/%00",
        "/book//etc/passwd",
        "/static/../pyproject.toml",
        "/static/%2e%2e/__init__.py",
        "/static/state.py",
    ):
        status, answer, _ = running.call(path)
        assert status == 404, path
        assert b"secret" not in str(answer).encode()


def test_the_book_is_served_with_byte_ranges(running):
    (running.studio.book.path / "a.mp3").write_bytes(bytes(range(200)))
    status, body, response = running.call("/book/a.mp3", headers={"Range": "bytes=10-19"})
    assert status == 206 and body == bytes(range(10, 20))
    assert response.getheader("Content-Range") == "bytes 10-19/200"


def test_a_broken_request_line_gets_a_json_error_and_the_server_stays_up(running):
    with socket.create_connection(("127.0.0.1", running.port), timeout=5) as raw:
        raw.sendall(b"NONSENSE\r\n\r\n")
        assert b'{"error": "Bad request syntax' in raw.recv(4096)
    with socket.create_connection(("127.0.0.1", running.port), timeout=5) as raw:
        raw.sendall(b"DELETE /api/script HTTP/1.1\r\nHost: x\r\n\r\n")
        answer = b"".join(iter(lambda: raw.recv(4096), b""))  # to the server's close
    assert answer.startswith(b"HTTP/1.1 501 ") and answer.endswith(b'"}')
    assert running.call("/api/script", raw=b"{}")[0] == 404  # POST api/script: no such call
    assert script_of(running)["version"]


def test_an_edit_made_on_disk_is_seen(running):
    path = running.studio.state.path
    before = script_of(running)["version"]
    path.write_text(path.read_text().replace("Sit down, then.", "Sit, then."))
    script = script_of(running)
    assert script["version"] != before and find(script, "Sit, then.")


def start_studio(story: Path, out: Path) -> tuple[subprocess.Popen, str]:
    """`storycast studio` in a session of its own (as a terminal runs it), and its URL."""
    command = [sys.executable, "-m", "storycast", "studio", story, "-o", out, "--no-browser"]
    process = subprocess.Popen(
        [str(arg) for arg in command],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    return process, process.stdout.readline().decode().strip()


@pytest.mark.slow
def test_ctrl_c_during_a_render_stops_at_once(tmp_path):
    story = write_story(tmp_path / "story")
    process, url = start_studio(story, tmp_path / "out")
    try:
        port, token = urlsplit(url).port, parse_qs(urlsplit(url).query)["token"][0]
        response, _ = request(port, "/api/render", {"X-Storycast-Token": token}, "POST", b"{}")
        assert response.status == 202
        time.sleep(0.5)
        os.killpg(process.pid, signal.SIGINT)  # a terminal's Ctrl-C: the whole group
        _, errors = process.communicate(timeout=15)
    finally:
        process.kill()
    assert process.returncode in (0, 130) and b"Traceback" not in errors


def test_the_command_prints_the_url_first_and_stops_cleanly_on_ctrl_c(tmp_path):
    story = write_story(tmp_path / "story")
    command = [sys.executable, "-m", "storycast", "studio", story, "-o", tmp_path / "out"]
    process = subprocess.Popen(
        [*map(str, command), "--no-browser"], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        first = process.stdout.readline().decode()
        assert first.startswith("http://127.0.0.1:") and "/?token=" in first
        time.sleep(0.2)
        process.send_signal(signal.SIGINT)
        _, errors = process.communicate(timeout=20)
    finally:
        process.kill()
    assert process.returncode in (0, 130)
    assert b"Traceback" not in errors
    assert Path(tmp_path / "out" / "the-visit" / "script.yaml").is_file()


def test_a_render_runs_in_the_background_and_edits_wait_for_it(running, monkeypatch):
    release = threading.Event()

    def slow_render(progress):
        advance = progress("Synthesizing", 4)
        advance(1)
        release.wait(10)
        return "rendered"

    monkeypatch.setattr(running.studio, "_render", slow_render)
    status, job, _ = running.call("/api/render", {})
    assert status == 202 and job["state"] == "running"
    assert running.call("/api/render", {})[0] == 409  # one at a time
    status, job, _ = running.call("/api/render")
    assert (job["state"], job["stage"], job["done"], job["total"]) == (
        "running",
        "Synthesizing",
        1,
        4,
    )
    line = find(script_of(running), UNCERTAIN)
    status, answer, _ = running.call(f"/api/segments/{line['id']}", {"speaker": "Tom"})
    assert status == 409 and "render is running" in answer["error"]
    release.set()
    for _ in range(100):
        if (job := running.call("/api/render")[1])["state"] != "running":
            break
        time.sleep(0.02)
    assert (job["state"], job["message"]) == ("done", "rendered")
    assert running.call(f"/api/segments/{line['id']}", {"speaker": "Tom"})[0] == 200


def test_a_failed_render_is_one_line_and_the_studio_goes_on(running, monkeypatch):
    def failing(progress):
        raise InputError("the disk is\nfull")

    monkeypatch.setattr(running.studio, "_render", failing)
    running.call("/api/render", {})
    for _ in range(100):
        if (job := running.call("/api/render")[1])["state"] != "running":
            break
        time.sleep(0.02)
    assert (job["state"], job["message"]) == ("failed", "the disk is full")
    assert script_of(running)["version"]


def test_a_script_file_is_edited_in_place(tmp_path, fake_voices):
    story = write_story(tmp_path / "story")
    script = tmp_path / "reviewed.yaml"
    save(load_script(story), script)
    options = RenderOptions(out=tmp_path / "out", voices=[fake_voices])
    with studio_for(script, options) as live:
        assert live.studio.state.path == script.resolve()
        assert live.studio.book.path == tmp_path / "out" / "the-visit"
        line = find(script_of(live), UNCERTAIN)
        assert live.call(f"/api/segments/{line['id']}", {"speaker": "Tom"})[0] == 200
    edited = [s for s in load_yaml(script).chapters[0].segments if s.text == UNCERTAIN]
    assert edited[0].speaker == "Tom"


def test_a_story_opened_again_keeps_its_edits(tmp_path, fake_voices):
    story = write_story(tmp_path / "story")
    options = RenderOptions(out=tmp_path / "out", voices=[fake_voices])
    with studio_for(story, options) as live:
        line = find(script_of(live), UNCERTAIN)
        live.call(f"/api/segments/{line['id']}", {"speaker": "Tom"})
    with studio_for(story, options) as live:
        assert find(script_of(live), UNCERTAIN)["speaker"] == "Tom"


def test_a_refused_post_never_leaves_its_body_for_the_next_request(running):
    with socket.create_connection(("127.0.0.1", running.port), timeout=5) as raw:
        body = b'{"speaker": "Tom"}'
        raw.sendall(
            b"POST /api/segments/4 HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Content-Length: %d\r\n\r\n%s" % (len(body), body)
        )  # no token: refused before the body is read
        answer = b"".join(iter(lambda: raw.recv(4096), b""))  # the server ends the connection
    assert answer.startswith(b"HTTP/1.1 403 ") and b"Connection: close" in answer
