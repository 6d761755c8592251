"""tags.py: the shapes a speech tag takes after a quote, each resolved to
the cast member it names."""

from __future__ import annotations

import pytest

from storycast.model import Cast, Character
from storycast.text.attribute import attribute
from storycast.text.parse import parse
from storycast.text.read import read_text
from storycast.text.tags import Tag, subjects, tag_after, tags_before
from storycast.text.vocatives import address_gender, vocatives

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
        ("Corin would say, with a shrug.", "Corin Pell"),
        ("Tansy had only answered.", "Tansy"),
        ("the Warden used to say.", "The Warden"),
        ("said the Warden many times over.", "The Warden"),
    ],
)
def test_tag_shapes_name_their_speaker(tag, speaker):
    script = attribute(parse(read_text(f'"The tide is turning," {tag}', "story.txt")), CAST)
    quote = next(s for c in script.chapters for s in c.segments if s.kind == "speech")
    assert (quote.speaker, quote.rule) == (speaker, "quote-verb-name")


@pytest.mark.parametrize(
    "tag", ["she would say.", "she'd reply, laughing.", "she might have said."]
)
def test_a_tag_with_an_auxiliary_verb(tag):
    assert tag_after(tag, "The tide is turning") == Tag("pronoun", "she", True)


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


@pytest.mark.parametrize(
    ("narration", "subject"),
    [
        ("Then he slid into the driver's seat.", ("pronoun", "he")),
        ("Suddenly, she laughed.", ("pronoun", "she")),
        ("Still Corin waited.", ("name", "Corin")),
        ("With a sudden jerk of the oars, she turned the boat.", ("pronoun", "she")),
    ],
)
def test_a_sentence_opener_is_not_its_subject(narration, subject):
    (_, tag), *_ = subjects(narration)
    assert (tag.kind, tag.mention) == subject


@pytest.mark.parametrize(
    ("narration", "subject"),
    [
        ("The big man pointed at the sign.", ("description", "the big man")),
        ("Her mother looked up from the fire.", ("description", "her mother")),
        ("Shaz was right: he looked exactly like Luigi.", ("pronoun", "he")),
        ("The Warden looked up.", ("description", "the warden")),
        ("All this time the Warden had not moved.", ("description", "the warden")),
    ],
)
def test_a_described_subject_is_read_whole(narration, subject):
    assert [(t.kind, t.mention) for _, t in subjects(narration)][-1] == subject


def test_when_opens_a_clause_whose_subject_is_not_the_sentence_s():
    assert subjects("When Corin came in, the room went quiet.") == []


@pytest.mark.parametrize(
    ("quote", "gender"),
    [
        ("Will that be all, sir?", "male"),
        ("Ma'am, the car is outside.", "female"),
        ("Come along, young lady!", "female"),
        ("Thank you, my lord.", "male"),
        ("Miss Tansy, the boat is here.", None),  # a name, not a form of address
        ("Yes, sir. No, ma'am.", None),
        ("He is my father.", None),
    ],
)
def test_a_form_of_address_names_the_listener_s_gender(quote, gender):
    assert address_gender(quote) == gender


@pytest.mark.parametrize(
    ("quote", "addressed"),
    [
        ("It is better than nothing, my dear Corin--but only just.", ["Corin"]),
        ("Indeed, Miss Vale--you are right.", ["Miss Vale"]),
        ("Then go, Tansy! Go now.", ["Tansy"]),
        ("Why--Corin, what is it?", ["Corin"]),
        ("Ten pounds! No, Tansy, I have learnt.", ["Tansy"]),
        ("That will do, Corin. I understand.", ["Corin"]),
        ("It is rather important. Mr. Pell,", []),  # the tag's comma; "Mr" is no name
        ("I knew Mrs. Okoro--she kept the station.", []),  # "Mrs." ends no sentence
        ("I said so to Mr. Pell; he laughed.", []),
    ],
)
def test_a_name_addressed_mid_quote(quote, addressed):
    assert vocatives(quote) == addressed


def test_a_subject_set_off_by_commas_is_the_speaker_before_the_quote():
    tags = tags_before("Tansy, going to the window where Corin stood, said gently:")
    assert [t.mention for t in tags][:1] == ["Tansy"]


@pytest.mark.parametrize(
    ("tag", "found"),
    [
        ("was her reply.", Tag("pronoun", "she", True)),
        ("was his only answer.", Tag("pronoun", "he", True)),
        ("was the view of Corin Pell.", Tag("name", "Corin Pell", True)),
        ("came the answer from the hall.", Tag("anonymous", "", True)),
    ],
)
def test_a_reply_named_for_its_speaker(tag, found):
    assert tag_after(tag, "The tide is turning,") == found
