"""Source offsets of positions inside a segment's text: the emphasis pass
cuts thoughts out of narration and needs each piece's place in the source."""

from __future__ import annotations

from storycast.model import Document, Segment


class SegmentOffsets:
    """Source offsets of positions inside a segment's (whitespace-collapsed) text."""

    def __init__(self, document: Document | None) -> None:
        self.document = document
        self._segment: tuple[int, int] | None = None
        self._positions: tuple[int, list[int]] = (0, [])

    def within(self, segment: Segment, start: int, end: int) -> tuple[int, int]:
        document = self.document
        if document is None:
            return segment.start + start, segment.start + end  # the best guess without text
        text_start, collapsed = self._collapsed(segment)

        def source(i: int) -> int:
            if i >= len(collapsed):
                return segment.end
            return document.source_offset(text_start + collapsed[i])

        return source(start), source(end - 1) + 1 if end > 0 else source(0)

    def _collapsed(self, segment: Segment) -> tuple[int, list[int]]:
        """Where the segment starts in the text, and its collapsed positions:
        worked out once for all the pieces of one segment, not once a piece."""
        if self._segment != (segment.start, segment.end):
            assert self.document is not None
            text_start = self._text_index(segment.start)
            raw = self.document.text[text_start : self._text_index(segment.end)]
            self._segment = (segment.start, segment.end)
            self._positions = (text_start, _collapsed_positions(raw))
        return self._positions

    def _text_index(self, source_offset: int) -> int:
        document = self.document
        if document is None:
            return source_offset
        low, high = max(0, source_offset - len(document.crlf)), source_offset
        while low < high:  # the smallest text index that maps at or past the offset
            middle = (low + high) // 2
            if document.source_offset(middle) < source_offset:
                low = middle + 1
            else:
                high = middle
        return low


def _collapsed_positions(raw: str) -> list[int]:
    """For each character of " ".join(raw.split()), its index in `raw`."""
    positions: list[int] = []
    in_space = False
    for index, ch in enumerate(raw):
        if ch.isspace():
            if positions and not in_space:
                positions.append(index)
            in_space = True
        else:
            positions.append(index)
            in_space = False
    if positions and raw[positions[-1]].isspace():
        positions.pop()
    return positions
