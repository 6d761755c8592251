"""How fast the studio is, in a real headless Chromium and a real render.

  page     a generated novel of about --words words (the sample story
           repeated, every repeat distinct; render_speed.py's generator):
           the page loaded --loads times, each timed from navigation to the
           script list drawn (target under 1 s), and from the script asked
           for to drawn; then the list scrolled to --scrolls places, each
           jump's drawing timed
  render   a generated book of about --minutes of speech in --chapters
           chapters, with the sample story's cast (its main characters have
           voices of their own): the cold render started from the studio's
           API, then one line's speaker changed through the API and the
           render started again, timed from the change to the render done
           (target under 10% of the cold render)

Usage:
  python benchmarks/studio_speed.py
  python benchmarks/studio_speed.py --words 100000 --minutes 30 --chapters 10
  python benchmarks/studio_speed.py --skip-render      (the page only)
  python benchmarks/studio_speed.py --screenshot docs/studio.png
                                   (only the README's picture: the sample story)
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import threading
import time
from http.client import HTTPConnection
from pathlib import Path

from storycast.render import RenderOptions
from storycast.studio.server import make_studio_server
from storycast.studio.session import open_studio

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT / "tests"))
from _browser import chromium, missing  # noqa: E402  (the tests' own browser set-up)
from render_speed import WORDS_PER_MINUTE, generate  # noqa: E402  (a sibling script)

CAST = ROOT / "stories" / "the-tab.cast.yaml"


def main() -> None:
    args = parse_args()
    work = Path(tempfile.mkdtemp(prefix="studio-speed-"))
    try:
        if args.screenshot:
            screenshot(work / "shot", args.screenshot)
            return
        if not args.skip_page:
            page(work / "page", args)
        if not args.skip_render:
            rerender(work / "render", args)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=100_000)
    parser.add_argument("--loads", type=int, default=3)
    parser.add_argument("--scrolls", type=int, default=50)
    parser.add_argument("--minutes", type=float, default=30)
    parser.add_argument("--chapters", type=int, default=10)
    parser.add_argument("--jobs", type=int, default=0)
    parser.add_argument("--skip-page", action="store_true")
    parser.add_argument("--skip-render", action="store_true")
    parser.add_argument("--screenshot", type=Path, metavar="PNG")
    return parser.parse_args()


class Served:
    """The studio on a story, served from a thread of this process."""

    def __init__(self, folder: Path, text: str, options: RenderOptions):
        folder.mkdir(parents=True)
        story = folder / "book.txt"
        story.write_text(text, encoding="utf-8")
        shutil.copy(CAST, folder / "book.cast.yaml")
        started = time.perf_counter()
        self.studio = open_studio(story, None, options)
        self.opened = time.perf_counter() - started
        self.server, self.url = make_studio_server(self.studio)
        self.port = self.server.server_address[1]
        self.token = self.url.split("token=")[1]
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()

    def call(self, path: str, body: object = None) -> dict:
        connection = HTTPConnection("127.0.0.1", self.port, timeout=600)
        data = None if body is None else json.dumps(body).encode()
        headers = {"X-Storycast-Token": self.token}
        connection.request("GET" if data is None else "POST", path, data, headers)
        answer = json.loads(connection.getresponse().read())
        connection.close()
        return answer

    def render(self) -> float:
        """Start a render and wait for it; its seconds (from the request)."""
        started = time.perf_counter()
        self.call("/api/render", {})
        while (job := self.call("/api/render"))["state"] == "running":
            time.sleep(0.1)
        if job["state"] != "done":
            raise SystemExit(f"the render failed: {job['message']}")
        return time.perf_counter() - started

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def page(folder: Path, args: argparse.Namespace) -> None:
    if reason := missing():
        raise SystemExit(reason)
    text = generate(args.words / WORDS_PER_MINUTE, max(1, args.words // 2500))
    served = Served(folder, text, RenderOptions(out=folder / "out"))
    try:
        started = time.perf_counter()
        size = len(json.dumps(served.call("/api/script"), separators=(",", ":")))
        answered = time.perf_counter() - started
        segments = len(served.studio.state.places)
        print(
            f"page: {len(text.split()):,} words, {segments:,} segments; script made in "
            f"{served.opened:.1f} s; api/script {size / 1e6:.1f} MB in {answered:.2f} s"
        )
        with chromium() as driver:
            for load in range(1, args.loads + 1):
                driver.get(served.url)
                wait(driver, "document.body.dataset.ready === 'true'", 60)
                ready, drawn = driver.execute_script("return [studio.readyAt, studio.firstRender]")
                rows = driver.execute_script("return studio.rows.length")
                print(
                    f"  load {load}: first render {ready / 1000:.3f} s from navigation "
                    f"({drawn / 1000:.3f} s from the script asked for), {rows:,} rows"
                )
            jumps = driver.execute_script(SCROLLS, args.scrolls)
            print(
                f"  {args.scrolls} scroll jumps: drawing took {statistics.median(jumps):.1f} ms "
                f"median, {max(jumps):.1f} ms the slowest"
            )
    finally:
        served.close()


SCROLLS = """
const list = studio.lists.script, view = list.viewport, times = [];
for (let i = 0; i < arguments[0]; i++) {
  const started = performance.now();
  view.scrollTop = Math.random() * (view.scrollHeight - view.clientHeight);
  list.draw();
  times.push(performance.now() - started);
}
return times;
"""


def wait(driver, condition: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not driver.execute_script(f"return {condition}"):
        if time.monotonic() > deadline:
            raise SystemExit(f"timed out waiting for {condition}")
        time.sleep(0.02)


def rerender(folder: Path, args: argparse.Namespace) -> None:
    text = generate(args.minutes, args.chapters)
    served = Served(folder, text, RenderOptions(out=folder / "out", jobs=args.jobs))
    try:
        cold = served.render()
        script = served.call("/api/script")
        line = middle_line(script, "Gene")
        started = time.perf_counter()
        changed = served.call(f"/api/segments/{line['id']}", {"speaker": "Alex"})
        assert changed["speaker"] == "Alex", changed
        served.render()
        warm = time.perf_counter() - started
        audio = served.call("/book/timing.json")["duration"]
        print(
            f"render: {len(text.split()):,} words, {audio / 60:.1f} min of audio in "
            f"{args.chapters} chapters: cold {cold:.1f} s; a speaker changed -> rendered "
            f"{warm:.1f} s ({100 * warm / cold:.1f}% of cold)"
        )
    finally:
        served.close()


def screenshot(folder: Path, png: Path) -> None:
    """The studio on the sample story, rendered, its third uncertain line
    selected and played, and the player on that line."""
    story = ROOT / "stories" / "the-tab.txt"
    served = Served(folder, story.read_text(encoding="utf-8"), RenderOptions(out=folder / "out"))
    try:
        with chromium(1400, 820) as driver:
            driver.get(served.url)
            wait(driver, "document.body.dataset.ready === 'true'", 60)
            driver.find_element("id", "render").click()
            wait(driver, "studio.lastJob && studio.lastJob.state === 'done'", 600)
            driver.find_element("tag name", "body").send_keys("nnn ")
            wait(driver, "document.getElementById('clip').duration > 0", 30)
            driver.execute_script(SHOW_IN_PLAYER)
            time.sleep(1)
            driver.save_screenshot(str(png))
    finally:
        served.close()


SHOW_IN_PLAYER = """
const text = studio.segments[studio.selected].text;
const cue = studio.cues.find((c) => c.text === text) || studio.cues[0];
const book = document.getElementById("book");
book.currentTime = cue.start + 0.05;
book.pause();
"""


def middle_line(script: dict, speaker: str) -> dict:
    """A speech line of `speaker`'s near the middle of the book."""
    lines = [
        segment
        for chapter in script["chapters"]
        for segment in chapter["segments"]
        if segment["kind"] == "speech" and segment["speaker"] == speaker
    ]
    return lines[len(lines) // 2]


if __name__ == "__main__":
    main()
