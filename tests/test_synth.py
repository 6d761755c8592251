"""The stages after the engine, driven by the fake engine (a tone per line,
registered as a plugin): the clip cache and what it re-synthesizes, the
render plan, and a whole render. Milliseconds to a second each; the same
behaviour with the real engine is in test_cache.py and test_render.py."""

from __future__ import annotations

import wave
from collections.abc import Callable
from pathlib import Path

from fake_engine import FakeEngine
from storycast.model import Line, Segment, VoiceProfile
from storycast.plan import plan_render
from storycast.render import RenderOptions, render
from storycast.synth import ClipCache, plan, synthesize

LOW = VoiceProfile("narrator", engine="fake", voice="tone", pitch=30)
HIGH = VoiceProfile("alex", engine="fake", voice="tone", pitch=70)
STORY = """The Call

"Is anyone there?" Anna asked.

The line went dead.
"""


def lines(*spoken: tuple[VoiceProfile, str]) -> list[Line]:
    return [
        Line(1, Segment("narration", text, 0, len(text)), profile, text) for profile, text in spoken
    ]


def pcm(path: Path) -> bytes:
    with wave.open(str(path), "rb") as clip:
        return clip.readframes(clip.getnframes())


def test_each_clip_is_what_the_engine_said(fake_engine: type[FakeEngine], tmp_path: Path) -> None:
    script = lines((LOW, "The door opened."), (HIGH, "Who is it?"))
    clips = synthesize(script, ClipCache(tmp_path), jobs=1)
    for line, clip in zip(script, clips):
        assert pcm(clip.path) == fake_engine.tone(line.text, line.profile)
        assert clip.sample_rate == fake_engine.SAMPLE_RATE


def test_an_edit_resynthesizes_exactly_the_changed_line(
    fake_engine: type[FakeEngine], tmp_path: Path
) -> None:
    cache = ClipCache(tmp_path)
    first = lines((LOW, "The door opened."), (HIGH, "Who is it?"), (LOW, "The door opened."))
    clips = synthesize(first, cache, jobs=1)
    assert fake_engine.spoken == ["The door opened.", "Who is it?"]  # the repeat shares a clip
    assert clips[0] == clips[2]
    fake_engine.spoken.clear()
    assert synthesize(first, cache, jobs=1) == clips
    assert fake_engine.spoken == []
    edited = [first[0], *lines((HIGH, "Who is there?")), first[2]]
    assert len(plan(edited, cache).missing) == 1
    synthesize(edited, cache, jobs=1)
    assert fake_engine.spoken == ["Who is there?"]


def test_another_voice_is_another_clip(fake_engine: type[FakeEngine], tmp_path: Path) -> None:
    cache = ClipCache(tmp_path)
    low, high = synthesize(lines((LOW, "Hello."), (HIGH, "Hello.")), cache, jobs=1)
    assert low.path != high.path
    assert fake_engine.spoken == ["Hello.", "Hello."]


def test_a_story_renders_with_the_fake_engine(
    fake_voices: Path, tmp_path: Path, decoded_seconds: Callable[[Path], float]
) -> None:
    story = tmp_path / "call.txt"
    story.write_text(STORY, encoding="utf-8")
    options = RenderOptions(out=tmp_path / "out", jobs=1, voices=[fake_voices])
    before = plan_render(story, options)
    assert before.chapters_to_make == before.chapters == 1
    FakeEngine.spoken.clear()  # the plan's time estimate says a sample line
    book = render(story, options)
    assert len(set(FakeEngine.spoken)) == before.to_synthesize > 0
    assert any("anyone there" in text for text in FakeEngine.spoken)
    spoken_seconds = sum(len(text) for text in FakeEngine.spoken) * FakeEngine.SECONDS_PER_CHARACTER
    (chapter,) = book.chapter_files
    assert decoded_seconds(Path(chapter)) > spoken_seconds
    after = plan_render(story, options)
    assert (after.chapters_to_make, after.to_synthesize) == (0, 0)
