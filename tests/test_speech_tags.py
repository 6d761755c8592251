"""tags.py: the shapes a speech tag takes after a quote, each resolved to
the cast member it names."""

from __future__ import annotations

import pytest

from storycast.model import Cast, Character
from storycast.text.attribute import attribute
from storycast.text.parse import parse
from storycast.text.read import read_text
from storycast.text.tags import tag_after

CAST = Cast(
    characters=(
        Character("Tansy", ("the Ferrywoman",), "female"),
        Character("Mr. van der Berg", ("van der Berg",), "male"),
        Character("Corin Pell", ("Corin",), "male"),
        Character("The Warden", (), "male"),
    )
)


@pytest.mark.parametrize(
    ("tag", "speaker"),
    [
        ("said the Ferrywoman.", "Tansy"),
        ("the Ferrywoman quietly replied.", "Tansy"),
        ("Mr. van der Berg continued, folding his map.", "Mr. van der Berg"),
        ("said old Corin Pell.", "Corin Pell"),
        ("cried out the Warden suddenly.", "The Warden"),
        ("rejoined the now rather sulky Warden.", "The Warden"),
    ],
)
def test_tag_shapes_name_their_speaker(tag, speaker):
    script = attribute(parse(read_text(f'"The tide is turning," {tag}', "story.txt")), CAST)
    quote = next(s for c in script.chapters for s in c.segments if s.kind == "speech")
    assert (quote.speaker, quote.rule) == (speaker, "quote-verb-name")


@pytest.mark.parametrize(
    ("tag", "mention"),
    [
        ("said the old man.", "the old man"),
        ("said the man to his wife.", "the man"),
        ("said the tall woman in grey.", "the tall woman"),
        ("said the porter gruffly.", "the porter"),
    ],
)
def test_a_description_ends_where_the_tag_does(tag, mention):
    found = tag_after(tag, "Yes,")
    assert found is not None and (found.kind, found.mention) == ("description", mention)
