"""read: every encoding and newline a story arrives in, with offsets that
point back into the decoded source."""

from __future__ import annotations

import codecs

import pytest

from storycast.errors import InputError
from storycast.text.parse import parse
from storycast.text.read import read

STORY = "\u201cTea?\u201d she asked \u2014 caf\u00e9 time.\n\n\u201cYes,\u201d he said."


@pytest.mark.parametrize(
    "encoding, prefix",
    [
        ("utf-8", b""),
        ("utf-8", codecs.BOM_UTF8),
        ("utf-16-le", codecs.BOM_UTF16_LE),
        ("utf-16-be", codecs.BOM_UTF16_BE),
        ("utf-16-le", b""),  # UTF-16 without a byte-order mark
        ("cp1252", b""),  # smart quotes and dashes from Windows editors
    ],
)
def test_encodings_decode_to_the_same_text(tmp_path, encoding, prefix):
    path = tmp_path / "story.txt"
    path.write_bytes(prefix + STORY.encode(encoding))
    document = read(path)
    assert document.text == STORY
    speech = [s.text for c in parse(document).chapters for s in c.segments if s.kind == "speech"]
    assert speech == ["Tea?", "Yes,"]


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r", "\u2028", "\u2029", "\x85"])
def test_every_newline_kind_splits_paragraphs_and_offsets_stay_true(tmp_path, newline):
    source = newline.join(
        ["First line of narration.", "", "\u201cHello,\u201d said Gene.", "", "\u201cHi.\u201d"]
    )
    path = tmp_path / "story.txt"
    path.write_text(source, encoding="utf-8", newline="")
    document = read(path)
    assert "\r" not in document.text
    segments = [s for c in parse(document).chapters for s in c.segments]
    speech = [s for s in segments if s.kind == "speech"]
    assert [s.text for s in speech] == ["Hello,", "Hi."]
    for segment in segments:  # offsets index the decoded source, newlines as they were
        assert source[segment.start : segment.end] == segment.text


def test_cp1252_bytes_become_curly_quotes_and_dashes(tmp_path):
    path = tmp_path / "story.txt"
    path.write_bytes(b"\x93Well,\x94 he said \x97 and stopped.")
    assert read(path).text == "\u201cWell,\u201d he said \u2014 and stopped."


@pytest.mark.parametrize("content", [b"", b"  \n\n ", b"\x00\x01\x02\x00binary\x00\xff\xfe"])
def test_empty_or_binary_input_is_an_input_error(tmp_path, content):
    path = tmp_path / "story.txt"
    path.write_bytes(content)
    with pytest.raises(InputError):
        read(path)
