"""Fuzz targets for storycast's inputs. Each target takes bytes, writes them
where storycast would find such a file, and loads it; the invariant is that
any input ends in a value or in a StorycastError whose message is one line
(which the CLI prints with exit status 1), in bounded time and memory.

tests/test_hostile_fuzz.py runs every target briefly under a memory cap;
benchmarks/fuzz.py runs them for longer. To add a target (a story reader,
say), write a function of (data, folder) and register it with @target."""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Callable
from pathlib import Path

from hypothesis import strategies as st

from storycast.errors import StorycastError

Target = Callable[[bytes, Path], object]
TARGETS: dict[str, Target] = {}


def target(name: str) -> Callable[[Target], Target]:
    def register(function: Target) -> Target:
        TARGETS[name] = function
        return function

    return register


def _file(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


@target("cast")
def cast_file(data: bytes, folder: Path) -> object:
    from storycast.cast import load_cast

    return load_cast(_file(folder, "story.cast.yaml", data))


@target("profile")
def voice_profile(data: bytes, folder: Path) -> object:
    from storycast.cast import load_profile

    return load_profile(_file(folder, "voices/narrator.yaml", data))


@target("script")
def script_yaml(data: bytes, folder: Path) -> object:
    from storycast.script import load_yaml
    from storycast.text.speakable import speakable_text

    script = load_yaml(_file(folder, "script.yaml", data))
    for chapter in script.chapters:
        for segment in chapter.segments:
            assert_engine_safe(speakable_text(segment.text))
    return script


@target("lexicon")
def lexicon(data: bytes, folder: Path) -> object:
    from storycast.text.lexicon import load_lexicon
    from storycast.text.speakable import speakable_text

    loaded = load_lexicon([_file(folder, "story.lexicon.yaml", data)])
    said = speakable_text("Quattro said 12 words \ue000\ue100\ue001 to Bolly.", lexicon=loaded)
    assert_engine_safe(said)
    return said


def assert_engine_safe(text: str) -> None:
    """Nothing an engine could take for a command: no control, private-use or
    surrogate characters."""
    bad = [char for char in text if unicodedata.category(char) in ("Cc", "Co", "Cs")]
    assert not bad, f"{text!r} reaches the engine with {bad!r}"


@target("front-matter")
def front_matter(data: bytes, folder: Path) -> object:
    from storycast.text.readers.markdown import split_front_matter

    return split_front_matter("---\n" + data.decode("utf-8", "replace") + "\n---\nIt rained.\n")


@target("feed-state")
def feed_state(data: bytes, folder: Path) -> object:
    from storycast.publish.state import FeedState, utc_now

    _file(folder, "feed-state.json", data)
    state = FeedState.load(folder)
    state.podcast("http://127.0.0.1:8000/feed.xml")
    return state.stamp_all(["book/story", "book/chapter-01"], utc_now())


@target("timing")
def timing_manifest(data: bytes, folder: Path) -> object:
    from storycast.book import timing

    return timing.load(_file(folder, "timing.json", data))


def holds(name: str, data: bytes, folder: Path) -> None:
    """The invariant: a value, or a one-line StorycastError. Anything else
    (another exception, a hang, a memory blow-up) fails the run."""
    try:
        TARGETS[name](data, folder)
    except StorycastError as error:
        message = str(error)
        assert message and "\n" not in message, f"{name}: not one line: {message!r}"


# Inputs: raw bytes, and YAML built from the pieces that have broken loaders
# before (aliases, merge keys, tags, numbers that are not finite or too long,
# escapes for control characters and lone surrogates, deep nesting).
_KEYS = [
    "narrator", "characters", "thought", "aliases", "gender", "voice", "engine", "rate",
    "pitch", "volume", "variant", "speaker", "title", "author", "chapters", "segments",
    "text", "kind", "say", "espeak", "piper", "match_case", "whole_word", "cast", "book",
    "<<",
]  # fmt: skip
_SCALARS = [
    ".inf", "-.inf", ".nan", "1e400", "9" * 5000, "0x_ff", "2024-13-45",
    "2001-12-14t21:59:43.10-05:00",
    '"\\x01450S fast"', '"\\ud800"', '"\\ue000\\ue100\\ue001"', "!!binary aGVsbG8=",
    "!!python/object:os.system ls", "!!set {a, b}", "!!timestamp 99999-01-01", "~", "yes",
    "*a", "&a x", "&b [*a, *a, *a]", "[" * 200 + "]" * 200, "{" * 50, "'unterminated",
    "espeak", "en-us", "m3", "-5", "601", "0.5",
]  # fmt: skip


@st.composite
def yaml_documents(draw: st.DrawFn) -> bytes:
    lines = []
    for _ in range(draw(st.integers(1, 12))):
        indent = "  " * draw(st.integers(0, 3))
        key = draw(st.sampled_from(_KEYS) | st.text(max_size=8))
        value = draw(st.sampled_from(_SCALARS) | st.text(max_size=20))
        lines.append(f"{indent}{key}: {value}")
    return "\n".join(lines).encode("utf-8", "surrogatepass")


_JSON = st.recursive(
    st.none() | st.booleans() | st.floats() | st.integers() | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=20,
)
_STATE_TEMPLATE = (
    '{{"podcast_guid": {}, "seasons": {{"book": {}}}, '
    '"episodes": {{"book/story": {{"guid": {}, "date": {}}}}}}}'
)


@st.composite
def json_documents(draw: st.DrawFn) -> bytes:
    """A feed state with each value usually valid, sometimes anything."""
    valid = [[None, _DATES[-1]], [1, 2], ["g", "book/story"], _DATES]
    values = [json.dumps(draw(st.sampled_from(ok) | _JSON)) for ok in valid]
    return _STATE_TEMPLATE.format(*values).encode()


_DATES = [
    "2024-01-01T10:00:00+00:00",
    "2024-01-01T10:00:00",
    "9999-12-31T23:59:59+00:00",
    "0001-01-01T00:00:00+14:00",
    "2024-13-01",
    "ead4c236-bf58-58c6-a2c6-a6b28d128cb6",
]


INPUTS = st.one_of(
    yaml_documents(),
    st.binary(max_size=2000),
    st.text(max_size=500).map(str.encode),
)

JSON_INPUTS = st.one_of(
    json_documents(), json_documents(), json_documents(), st.binary(max_size=500)
)
TARGET_INPUTS = {"feed-state": JSON_INPUTS, "timing": JSON_INPUTS | INPUTS}
"""A target's own inputs, where the YAML-shaped ones would not reach it."""


def inputs_for(name: str) -> st.SearchStrategy[bytes]:
    return TARGET_INPUTS.get(name, INPUTS)


def _register_readers() -> None:
    """The story readers' targets (fuzz_readers.py), under the same invariant,
    so benchmarks/fuzz.py runs them too."""
    import fuzz_readers

    for name, read in fuzz_readers.TARGETS.items():
        TARGETS[name] = lambda data, folder, read=read: read(data)
        TARGET_INPUTS[name] = fuzz_readers.STRATEGIES[name]


_register_readers()
