"""chunk: long text cut into engine-sized pieces, at sentence ends first,
then clause ends, then between words, then anywhere; pieces packed back
together while they fit."""

from __future__ import annotations

import pytest

from storycast.text.chunk import MAX_CHARS, chunks


def letters(text: str) -> str:
    """The text without its whitespace: what a cut must never lose or reorder."""
    return "".join(text.split())


def assert_packed(pieces: list[str], limit: int) -> None:
    """No two neighbouring pieces would fit in one (joined by a space)."""
    for before, after in zip(pieces, pieces[1:]):
        assert len(before) + 1 + len(after) > limit, (before, after)


@pytest.mark.parametrize("text", ["", "Short.", "x" * MAX_CHARS])
def test_text_within_the_limit_is_one_piece_unchanged(text):
    assert chunks(text) == [text]


def test_the_default_limit_is_max_chars():
    text = "A sentence of some length. " * 40
    assert chunks(text) == chunks(text, MAX_CHARS)
    assert all(len(piece) <= MAX_CHARS for piece in chunks(text))


def test_long_text_is_cut_at_sentence_ends():
    sentences = ["One two three.", "Four five six!", "Seven eight nine?", "Ten eleven…"]
    text = " ".join(sentences)
    pieces = chunks(text, limit=20)
    assert pieces == sentences  # each fits alone; no two fit together


def test_sentences_are_packed_together_while_they_fit():
    text = "Aa. Bb. Cc. Dd. Ee. Ff."
    pieces = chunks(text, limit=8)
    assert pieces == ["Aa. Bb.", "Cc. Dd.", "Ee. Ff."]
    assert_packed(pieces, 8)


def test_a_long_sentence_is_cut_at_clause_ends():
    text = "first part here, second part here; third part here: fourth — fifth part."
    pieces = chunks(text, limit=20)
    assert all(len(piece) <= 20 for piece in pieces)
    assert pieces[0] == "first part here,"
    assert pieces[1] == "second part here;"
    assert letters(" ".join(pieces)) == letters(text)
    assert_packed(pieces, 20)


def test_a_long_clause_is_cut_between_words():
    text = "the quick brown fox jumps over the lazy dog and keeps on running"
    pieces = chunks(text, limit=15)
    assert all(len(piece) <= 15 for piece in pieces)
    assert " ".join(pieces).split() == text.split()  # no word is broken
    assert_packed(pieces, 15)


def test_a_word_longer_than_the_limit_is_cut_anywhere():
    word = "abcdefghijklmnopqrstuvwxyz"
    pieces = chunks(f"{word} end", limit=10)
    assert all(len(piece) <= 10 for piece in pieces)
    assert pieces[:2] == ["abcdefghij", "klmnopqrst"]
    assert letters("".join(pieces)) == letters(word + "end")


def test_a_realistic_paragraph_keeps_every_word_in_order():
    paragraph = (
        "Gene leaned on the bar, looked at the tab, and sighed. "
        "It was longer than the last one; it was always longer than the last one. "
        "Alex said nothing at all, which was worse — far worse — than anything. "
    ) * 6
    for limit in (40, 120, 400):
        pieces = chunks(paragraph.strip(), limit=limit)
        assert all(0 < len(piece) <= limit for piece in pieces)
        assert " ".join(pieces).split() == paragraph.split()
        assert_packed(pieces, limit)


def test_whitespace_between_cuts_does_not_make_empty_pieces():
    pieces = chunks("One.   \n\n  Two.  \t Three.", limit=6)
    assert pieces == ["One.", "Two.", "Three."]


def test_closing_quotes_and_brackets_stay_with_their_sentence():
    text = 'He said "Go." Then he left. (She stayed.) The end came.'
    assert letters(" ".join(chunks(text, limit=15))) == letters(text)
