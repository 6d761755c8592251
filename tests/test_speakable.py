"""speakable: abbreviations, numbers, dates, times and money as people say
them; emoticons and decorations dropped."""

from __future__ import annotations

import pytest

from storycast.model import Line, Segment, VoiceProfile
from storycast.text.numbers import cardinal, ordinal, year
from storycast.text.speakable import speakable, speakable_text


@pytest.mark.parametrize(
    "text, said",
    [
        (
            "D.I. Drake met D.S.I. Bond and DCI Hunt.",
            "Detective Inspector Drake met Detective Superintendent Bond and Detective Chief "
            "Inspector Hunt.",
        ),
        ("The D.I. was late.", "The Detective Inspector was late."),
        (
            "Mr Hunt and Mrs. Drake went to St Mary's on Baker St.",
            "Mister Hunt and Missus Drake went to Saint Mary's on Baker Street.",
        ),
        ("He lives in Washington DC now.", "He lives in Washington DC now."),
        (
            "It cost £3.50, not £1 or $20.25 or 40p.",
            "It cost three pounds fifty, not one pound or twenty dollars and twenty-five cents or "
            "forty pence.",
        ),
        (
            "Meet at 10:05 pm, or 3pm, or 6:00.",
            "Meet at ten oh five p m, or three p m, or six o'clock.",
        ),
        (
            "Born on 12th March 1984, married March 3rd, 2004.",
            "Born on the twelfth of March nineteen eighty-four, married March the third, two "
            "thousand and four.",
        ),
        (
            "The 1970s had 1,500 songs and 45% of them were 2nd rate.",
            "The nineteen seventies had one thousand five hundred songs and forty-five percent of "
            "them were second rate.",
        ),
        (
            "A $1.5 million job, or £20k.",
            "A one point five million dollars job, or twenty thousand pounds.",
        ),
        ("Thanks =) =P :-) xD <3 ^_^", "Thanks"),
        ("~*~ Hello ~*~", "Hello"),
        ('"Hi," she said.', "Hi, she said."),
    ],
)
def test_said_as_people_say_it(text: str, said: str) -> None:
    assert speakable_text(text) == said


def test_headings_end_as_sentences() -> None:
    assert speakable_text("# Chapter 3: Rain", heading=True) == "Chapter three. Rain."
    assert speakable_text("CHAPTER XIV", heading=True) == "CHAPTER fourteen."
    assert speakable_text("Part II: Mix", heading=True) == "Part two. Mix."
    assert speakable_text("Book I mean it") == "Book I mean it"  # only headings are numbered
    assert speakable_text("Chapter IIII", heading=True) == "Chapter IIII."  # not a numeral


def test_lines_with_nothing_to_say_are_dropped() -> None:
    profile = VoiceProfile("narrator")
    lines = [
        Line(0, Segment("narration", text, 0, len(text)), profile, text)
        for text in ("=) =)", "* * *", "Hello there.")
    ]
    assert [line.text for line in speakable(lines)] == ["Hello there."]


@pytest.mark.parametrize(
    "number, words",
    [
        (0, "zero"),
        (13, "thirteen"),
        (40, "forty"),
        (99, "ninety-nine"),
        (101, "one hundred and one"),
        (1005, "one thousand and five"),
        (2_300_000, "two million three hundred thousand"),
    ],
)
def test_cardinals(number: int, words: str) -> None:
    assert cardinal(number) == words


def test_ordinals_and_years() -> None:
    assert [ordinal(n) for n in (1, 2, 3, 12, 20, 21, 100)] == [
        "first",
        "second",
        "third",
        "twelfth",
        "twentieth",
        "twenty-first",
        "one hundredth",
    ]
    assert [year(n) for n in (1066, 1900, 1905, 2004, 2024)] == [
        "ten sixty-six",
        "nineteen hundred",
        "nineteen oh five",
        "two thousand and four",
        "twenty twenty-four",
    ]
