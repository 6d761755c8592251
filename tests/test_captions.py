"""Captions: a long spoken line cut into pieces a viewer can read (at most
about 7 s and two lines of 42 characters), at sentence ends first, then
clause ends, with the speaker on every piece; transcripts stay one cue per
line."""

from __future__ import annotations

import io

import srt
import webvtt

from storycast.book.captions import LINE_CHARS, MAX_SECONDS, caption_cues, wrap
from storycast.book.timing import BookTiming, ChapterTiming
from storycast.book.transcripts import srt as srt_text
from storycast.book.transcripts import webvtt as vtt_text
from storycast.model import Cue

LONG = (
    "It was a long night, and the rain did not stop; nobody in the village slept. "
    "The old man at the end of the lane sat by his window, counting the drops as "
    "they fell, and thinking of the sea, of his brother, and of the boat that never "
    "came home. Then, at last, the dawn."
)


def timing(*cues: Cue, start: float = 60.0) -> BookTiming:
    chapter = ChapterTiming(1, "One", "01 - One.mp3", start, start + 100, 4_410_000, cues)
    return BookTiming("T", None, "t", "acx", 44100, (chapter,))


def test_a_long_line_is_cut_into_readable_pieces() -> None:
    line = Cue(2.0, 20.0, "Gene", LONG)
    pieces = list(caption_cues(line, "Gene"))
    assert len(pieces) > 2
    assert " ".join(p.text for p in pieces) == " ".join(LONG.split())
    assert pieces[0].start == line.start and pieces[-1].end == line.end
    for piece, following in zip(pieces, pieces[1:]):
        assert following.start == piece.end  # contiguous
    for piece in pieces:
        assert piece.speaker == "Gene"
        assert piece.end - piece.start <= MAX_SECONDS
        rows = wrap(f"Gene: {piece.text}")
        assert len(rows) <= 2 and all(len(row) <= LINE_CHARS for row in rows)
        assert piece.text[-1] in ".,;"  # cut at sentence or clause ends only


def test_sentence_ends_come_before_clause_ends() -> None:
    text = "Yes, I know, I heard you the first time. But the lamp, the old one, was out by then."
    pieces = [p.text for p in caption_cues(Cue(0, 6.0, "Ann", text), "Ann")]
    assert pieces == [
        "Yes, I know, I heard you the first time.",
        "But the lamp, the old one, was out by then.",
    ]


def test_a_slow_line_is_cut_for_time_alone() -> None:
    text = "Wait, wait, wait, for me."  # short, but said over 16 s
    pieces = list(caption_cues(Cue(0, 16.0, "Ann", text), "Ann"))
    assert len(pieces) >= 3 and all(p.end - p.start <= MAX_SECONDS for p in pieces)


def test_short_lines_and_long_words_stay_whole() -> None:
    short = Cue(1.0, 2.5, "narrator", "It rained.")
    assert list(caption_cues(short, "Narrator")) == [short]
    word = "x" * 120
    (piece,) = caption_cues(Cue(0, 3.0, "Ann", word), "Ann")
    assert piece.text == word


def test_wrap_balances_two_lines() -> None:
    rows = wrap("The old man at the end of the lane sat by his window,")
    assert len(rows) == 2 and abs(len(rows[0]) - len(rows[1])) <= 8
    assert wrap("Short.") == ["Short."]


def test_book_captions_and_line_based_transcripts() -> None:
    book = timing(Cue(1.0, 19.0, "Gene", LONG), Cue(20.0, 21.0, "narrator", "Then quiet."))
    captions = webvtt.from_buffer(io.StringIO(vtt_text(book, captions=True)))
    assert len(captions.captions) > 3
    assert all(c.voice in ("Gene", "Narrator") for c in captions.captions)
    assert all(len(c.lines) <= 2 for c in captions.captions)
    subtitles = list(srt.parse(srt_text(book, captions=True)))
    assert len(subtitles) == len(captions.captions)
    assert all(s.content.split(":")[0] in ("Gene", "Narrator") for s in subtitles)
    assert subtitles[0].start.total_seconds() == 61.0
    # The podcast transcripts (and the default) keep one cue per line.
    assert len(webvtt.from_buffer(io.StringIO(vtt_text(book))).captions) == 2
    assert len(list(srt.parse(srt_text(book)))) == 2
