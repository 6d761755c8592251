"""Long stretches of text -> engine-sized pieces.

An engine given a whole chapter-long paragraph holds its audio in memory at
once and re-speaks all of it after a one-word edit; pieces of a few
sentences keep clips small and edits cheap."""

from __future__ import annotations

import re

MAX_CHARS = 400
# The cut is the whitespace (group 1): closing quotes and brackets stay with
# the sentence they close.
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)]*(\s+)")
_CLAUSE_END = re.compile(r"[,;:—–](\s+)")


def chunks(text: str, limit: int = MAX_CHARS) -> list[str]:
    """`text` in pieces of at most `limit` characters, cut at sentence ends,
    else at clause ends, else between words, else anywhere."""
    if len(text) <= limit:
        return [text]
    pieces: list[str] = []
    for sentence in _split(text, _SENTENCE_END):
        for clause in _split(sentence, _CLAUSE_END) if len(sentence) > limit else [sentence]:
            pieces.extend(_by_words(clause, limit) if len(clause) > limit else [clause])
    return _pack(pieces, limit)


def _split(text: str, boundary: re.Pattern[str]) -> list[str]:
    parts, start = [], 0
    for match in boundary.finditer(text):
        parts.append(text[start : match.start(1)])
        start = match.end(1)
    parts.append(text[start:])
    return [part for part in parts if part.strip()]


def _by_words(text: str, limit: int) -> list[str]:
    words: list[str] = []
    for word in text.split():
        words.extend(word[i : i + limit] for i in range(0, len(word), limit))
    return words


def _pack(pieces: list[str], limit: int) -> list[str]:
    """Join neighbouring pieces while they fit, so pieces are not needlessly short."""
    packed: list[str] = []
    for piece in pieces:
        if packed and len(packed[-1]) + 1 + len(piece) <= limit:
            packed[-1] += " " + piece
        else:
            packed.append(piece)
    return packed
