"""style.py: a quote sounds like the character whose tagged quotes share its words."""

from __future__ import annotations

from storycast.text.style import Styles

TAGGED = [
    ("Joe", "I'm goin' down the road, ain't I? Reckon I'm goin'."),
    ("Joe", "Ain't nobody seen nothin', I reckon."),
    ("Clara", "I should be delighted, my dear, quite delighted."),
    ("Clara", "My dear, how perfectly charming of you."),
]
SPOKEN = [text for _, text in TAGGED] + ["Where is the station?", "It is late."]


def test_an_untagged_quote_sounds_most_like_its_speaker():
    styles = Styles(TAGGED, SPOKEN)
    joe = styles.likeness("Reckon I ain't goin' nowhere.", ["Joe", "Clara"])
    clara = styles.likeness("How charming, my dear.", ["Joe", "Clara"])
    assert joe["Joe"] > joe["Clara"]
    assert clara["Clara"] > clara["Joe"]


def test_a_tagged_quote_does_not_vouch_for_itself():
    styles = Styles([("Joe", "Fiddlesticks and balderdash!")], ["Fiddlesticks and balderdash!"])
    with_itself = styles.likeness("Fiddlesticks and balderdash!", ["Joe"])["Joe"]
    left_out = styles.likeness("Fiddlesticks and balderdash!", ["Joe"], own="Joe")["Joe"]
    assert left_out < with_itself
    assert abs(left_out) < 1e-9  # nothing left of Joe's: he sounds like the book


def test_characters_never_tagged_get_no_likeness():
    assert Styles(TAGGED, SPOKEN).likeness("Hello there.", ["Nobody"]) == {}
