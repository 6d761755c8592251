"""attribute: each rule of the sieve on a small scene, with and without a
cast, and cast discovery (aliases merged, gender inferred)."""

from __future__ import annotations

import pytest

from storycast.model import Cast, Character
from storycast.text.attribute import attribute, attribute_with_candidates, discover_cast
from storycast.text.conversation import Decision
from storycast.text.parse import parse
from storycast.text.read import read_text

CAST = Cast(
    characters=(
        Character("Gene", ("Gene Hunt", "Hunt", "Guv", "DCI Hunt"), "male"),
        Character("Alex", ("Alex Drake", "Drake", "Bolly"), "female"),
        Character("Luigi", ("the waiter",), "male"),
        Character("Ray", ("Ray Carling",), "male"),
    )
)


def lines(source: str, cast: Cast | None = CAST) -> list[tuple[str, str, str]]:
    """(speaker, rule, text) for each quote."""
    script = attribute(parse(read_text(source, "story.txt")), cast)
    found = [
        (s.speaker, s.rule, s.text)
        for c in script.chapters
        for s in c.segments
        if s.kind == "speech"
    ]
    for chapter in script.chapters:
        for segment in chapter.segments:
            if segment.kind == "speech":
                assert segment.rule and 0 < segment.confidence <= 1
    return found


def speakers(source: str, cast: Cast | None = CAST) -> list[str]:
    return [speaker for speaker, _, _ in lines(source, cast)]


@pytest.mark.parametrize(
    "source",
    [
        '"Sit down," said Gene.',
        '"Sit down," Gene said.',
        '"Sit down," Gene muttered darkly.',
        'Gene said: "Sit down."',
        'Gene turned to her and said, "Sit down."',
        '"Sit down," DCI Hunt snapped.',
        '"Sit down," said the Guv.',
        '"Sit down," was Gene\'s reply.',
    ],
)
def test_name_and_speech_verb_tags(source):
    found = lines(source)
    assert found[0][0] == "Gene" and found[0][1] in ("quote-verb-name", "name-verb-quote")


def test_a_tag_in_the_paragraph_before_the_quote():
    source = (
        "Alex looked up from the files. After a long pause, Gene Hunt observed,\n\n"
        '"You look tired."'
    )
    assert speakers(source) == ["Gene"]


def test_pronoun_tags_resolve_by_gender():
    source = 'Gene and Alex sat at the bar.\n\n"Another?" he asked.\n\n"Go on then," she said.'
    assert speakers(source) == ["Gene", "Alex"]


def test_description_resolves_to_a_cast_alias_or_by_gender_in_scene():
    source = 'Alex waved at Luigi.\n\n"More wine?" said the waiter.\n\n"Please," Alex said.'
    assert speakers(source)[0] == "Luigi"
    source = 'Alex sat alone until Ray came over.\n\n"Budge up," the man said.'
    assert speakers(source) == ["Ray"]


def test_a_rank_in_a_tag_is_the_character_who_holds_it():
    cast = Cast(
        characters=(
            Character("Colonel Ashby", (), "male"),
            Character("Tom Reed", ("Tom",), "male"),
        )
    )
    source = 'Tom poured the tea.\n\n"Far too strong," said the colonel.'
    assert speakers(source, cast) == ["Colonel Ashby"]


def test_kin_in_a_tag_is_found_by_the_family_name():
    cast = Cast(
        characters=(
            Character("Nora Hale", ("Nora",), "female"),
            Character("Mrs. Hale", (), "female"),
            Character("Bea Finch", ("Bea",), "female"),
        )
    )
    source = 'Nora and Bea came in from the rain.\n\n"Boots off," said her mother.'
    assert speakers(source, cast) == ["Mrs. Hale"]
    source = 'Nora and Bea came in from the rain.\n\nHer mother looked up. "Boots off."'
    _, found = attribute_with_candidates(parse(read_text(source, "story.txt")), cast)
    assert [q.decision for q in found] == [Decision("Mrs. Hale", "action-beat", 0.7)]


def test_a_child_calling_a_parent_is_not_the_parent():
    cast = Cast(
        characters=(
            Character("Nora Hale", ("Nora",), "female"),
            Character("Mrs. Hale", (), "female"),
            Character("Mr. Finch", ("Finch",), "male"),
        )
    )
    source = (
        "Mr. Finch had gone. Nora and Mrs. Hale sat on by the fire.\n\n"
        '"Oh, mother, you were rude to him."'
    )
    assert sieve_speakers(source, cast) == ["Nora Hale"]
    assert sieve_speakers(source.replace("mother", "Mrs. Hale"), cast) == ["Nora Hale"]
    # "Papa" means no one here: her father is not in the cast
    assert sieve_speakers(source.replace("mother", "Papa"), cast) == ["Mrs. Hale"]


def sieve_speakers(source: str, cast: Cast) -> list[str]:
    _, found = attribute_with_candidates(parse(read_text(source, "story.txt")), cast)
    return [quote.decision.speaker for quote in found if quote.decision]


def test_the_one_addressed_is_not_the_speaker():
    source = (
        'Gene and Alex were arguing again.\n\n"Gene, you cannot do that," Alex said.\n\n'
        '"Watch me, Bolly."\n\n"Gene!"'
    )
    assert speakers(source) == ["Alex", "Gene", "Alex"]


def test_later_quotes_in_a_tagged_paragraph_share_its_speaker():
    source = '"Right," said Gene. He stood up. "Pub."\n\n"Now?" Alex asked.'
    found = lines(source)
    assert [s for s, _, _ in found] == ["Gene", "Gene", "Alex"]
    assert found[1][1] == "same-paragraph"


def test_untagged_run_is_filled_from_both_ends():
    source = (
        '"You\'re late," said Gene.\n\n"Traffic," Alex said.\n\n"On foot?"\n\n'
        '"Heavy foot traffic."\n\n"Very funny."\n\n"I thought so," said Alex.'
    )
    found = lines(source)
    assert [s for s, _, _ in found] == ["Gene", "Alex", "Gene", "Alex", "Gene", "Alex"]
    assert all(rule == "turn-taking" for _, rule, _ in found[2:5])


def test_turn_taking_stops_at_a_scene_break():
    source = (
        '"You\'re late," said Gene.\n\n"Traffic," Alex said.\n\n* * *\n\n'
        'Ray walked into the pub.\n\n"Pint, please."'
    )
    found = lines(source)
    assert found[-1][0] == "Ray"


def test_a_quote_after_narration_about_a_character():
    source = (
        "The door banged open. Ray Carling strode in, shaking rain off his coat.\n\n"
        '"Filthy night out there."'
    )
    assert speakers(source) == ["Ray"]


def test_action_beat_in_the_same_paragraph():
    source = (
        'Gene and Alex waited.\n\nAlex tapped the table. "Well?"\n\nGene shrugged. "Well what?"'
    )
    assert speakers(source) == ["Alex", "Gene"]


def test_came_the_answer_is_not_a_name():
    source = '"Who is it?" Alex asked.\n\n"Police," came the answer.'
    assert speakers(source)[1] != "Alex"


def test_without_a_cast_characters_are_discovered():
    source = (
        "DCI Gene Hunt leaned on the bar. Alex Drake sat down beside him.\n\n"
        '"You\'re late, Bolly," said Gene.\n\n"I was working," Alex said. She sighed.\n\n'
        '"On what?"\n\n"Your expenses."\n\n"My expenses are art, Bolly."\n\n'
        '"So is forgery," she said.\n\n"Cheers, Bolly," Gene said.'
    )
    found = speakers(source, None)
    assert found == ["Gene", "Alex", "Gene", "Alex", "Gene", "Alex", "Gene"]
    script = attribute(parse(read_text(source, "story.txt")), None)
    cast = {c.name: c for c in script.cast.characters}
    assert set(cast) == {"Gene", "Alex"}
    assert "DCI Gene Hunt" in cast["Gene"].aliases
    assert "Bolly" in cast["Alex"].aliases
    assert cast["Gene"].gender == "male" and cast["Alex"].gender == "female"


def test_discover_cast_merges_names_and_skips_greetings():
    source = (
        '"Morning, Guv," said Ray.\n\n"Morning, Raymondo," said Hunt.\n\n'
        '"Cheers," said Gene Hunt.\n\n"Cheers," said Ray Carling.'
    )
    cast = discover_cast(parse(read_text(source, "story.txt")))
    groups = [{c.name, *c.aliases} for c in cast.characters]
    assert {"Hunt", "Gene Hunt"} in groups and {"Ray", "Ray Carling"} in groups
    assert not any({"Morning", "Cheers"} & g for g in groups)


def test_a_shared_first_name_is_the_one_in_the_scene():
    cast = Cast(
        characters=(
            Character("Tom Reed", (), "male"),
            Character("Tom Ashby", (), "male"),
            Character("Ada", (), "female"),
        )
    )
    story = (
        "Tom Ashby came in from the rain and hung up his coat.\n\n"
        '"You are late," said Ada.\n\n'
        '"The bus was slow," said Tom.\n'
    )
    assert speakers(story, cast) == ["Ada", "Tom Ashby"]


def test_in_a_short_story_the_untagged_reply_is_the_other_persons():
    cast = Cast(characters=(Character("Nina", (), "female"), Character("Owen", (), "male")))
    story = (
        "Nina and Owen met at the harbour gate.\n\n"
        '"Where were you all morning?" asked Nina.\n\n'
        '"Out on the boat, mending nets."\n'
    )
    assert speakers(story, cast) == ["Nina", "Owen"]
