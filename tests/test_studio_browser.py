"""The studio in a real headless Chromium, with real espeak-ng and ffmpeg:
open the page, render the book, find the uncertain line, play it, give it
another speaker from the page, render again (only that line is said again)
and listen: the VTT names the new speaker and the player highlights the line
being played. A screenshot of the page is left in pytest's tmp folder (and
at $STORYCAST_SCREENSHOT when set) for a reviewer."""

from __future__ import annotations

import os
import shutil

import pytest

from _browser import chromium, missing
from _studio import UNCERTAIN, studio_for, write_story
from storycast.render import RenderOptions
from storycast.script import load_yaml

pytestmark = pytest.mark.slow

CAST = """narrator: narrator
characters:
  Anna:
    gender: female
    voice: alex
  Tom:
    gender: male
    voice: gene
"""
"""Every character with a voice of their own: a new speaker for one line
then changes that line's voice and nothing else's."""
WAIT = 90  # seconds: a render on a busy two-core machine
CURRENT_LINE = """(() => {
  const row = document.querySelector("#transcript .row.current");
  if (!row || !row.textContent.includes("TEXT")) return null;
  document.getElementById("book").pause();
  return [row.textContent, document.getElementById("now").textContent];
})()"""


def js(driver, script: str, *args):
    return driver.execute_script(script, *args)


def until(driver, script: str, timeout: float = 20):
    """Wait until the JavaScript expression is truthy; its value."""
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout, poll_frequency=0.1).until(
        lambda d: d.execute_script(f"return {script}")
    )


def render_from_the_page(driver, running) -> None:
    """Click Render; wait until the page has shown the render finished."""
    run = running.studio.job.runs + 1
    driver.find_element("id", "render").click()
    until(driver, f"studio.lastJob && studio.lastJob.runs === {run}", WAIT)
    assert running.studio.job.state == "done", running.studio.job.message


def test_review_fix_render_and_listen(tmp_path, spoken_lines):
    if reason := missing():
        pytest.fail(reason)
    story = write_story(tmp_path / "story")
    (story.parent / "visit.cast.yaml").write_text(CAST, encoding="utf-8")
    options = RenderOptions(out=tmp_path / "out", jobs=1)
    with studio_for(story, options) as running, chromium() as driver:
        driver.get(running.url)
        until(driver, "document.body.dataset.ready === 'true'")
        body = driver.find_element("tag name", "body")
        render_from_the_page(driver, running)  # the cold render: every line said

        # find: the next uncertain line, from the keyboard
        body.send_keys("n")
        assert driver.find_element("id", "line-text").text == UNCERTAIN
        line = js(driver, "return studio.segments[studio.selected]")
        assert line["confidence"] < 0.7 and line["speaker"] != "Anna"

        # hear it: the clip plays and reports its length
        body.send_keys(" ")
        assert until(driver, "document.getElementById('clip').duration > 0.3")

        # fix it: the number key of another speaker
        key = js(driver, "return String(studio.speakers.indexOf('Anna') + 1)")
        body.send_keys(key)
        until(driver, "document.getElementById('status').textContent.includes(\"Anna's now\")")
        saved = load_yaml(running.studio.state.path)
        assert [s.speaker for s in saved.chapters[0].segments if s.text == UNCERTAIN] == ["Anna"]

        # render again: that line alone is said again
        spoken_lines.clear()
        render_from_the_page(driver, running)
        assert spoken_lines == [UNCERTAIN]
        vtt = (running.studio.book.path / "the-visit.vtt").read_text(encoding="utf-8")
        assert f"<v Anna>{UNCERTAIN}" in vtt

        # listen: playing from a line highlights it, with its speaker
        rows = driver.find_elements("css selector", "#transcript .row")
        next(row for row in rows if UNCERTAIN in row.text).click()
        # read in one go, and the player paused there: it plays on from the line
        current, now = until(driver, CURRENT_LINE.replace("TEXT", UNCERTAIN))
        assert "Anna" in current and now == f"Anna: {UNCERTAIN}"
        # the highlight follows the audio as it plays on to the next line
        js(driver, "const a = document.getElementById('book'); a.currentTime = 0; a.play()")
        until(driver, "studio.current === 0", 10)

        driver.save_screenshot(str(tmp_path / "studio.png"))
        if os.environ.get("STORYCAST_SCREENSHOT"):
            shutil.copy(tmp_path / "studio.png", os.environ["STORYCAST_SCREENSHOT"])
