"""characters.py and names.py on their own: resolving mentions, and
discovering a cast with aliases, gender and nicknames."""

from __future__ import annotations

from storycast.model import Cast, Character
from storycast.text.attribute import attribute
from storycast.text.characters import discover_cast
from storycast.text.names import Names, description_gender
from storycast.text.parse import parse
from storycast.text.read import read_text

CAST = Cast(
    characters=(
        Character("Mr. Weston", ("Weston",), "male"),
        Character("Mrs. Weston", (), "female"),
        Character("Alex", ("Alex Drake", "DI Drake"), "female"),
    )
)


def discovered(source: str) -> dict[str, Character]:
    cast = discover_cast(parse(read_text(source, "story.txt")))
    return {c.name: c for c in cast.characters}


def test_names_resolve_full_names_titles_and_parts():
    names = Names.from_cast(CAST)
    assert names.resolve("Alex Drake") == "Alex"
    assert names.resolve("Drake") == "Alex"
    assert names.resolve("Mrs. Weston") == "Mrs. Weston"
    assert names.resolve("old Mr. Weston") == "Mr. Weston"
    assert names.resolve("Alex's") == "Alex"
    assert names.resolve("Nobody") is None


def test_mentions_are_found_in_order():
    names = Names.from_cast(CAST)
    found = names.mentions("Weston nodded to DI Drake and then to Mrs. Weston.")
    assert [name for _, name in found] == ["Mr. Weston", "Alex", "Mrs. Weston"]


def test_descriptions_tell_a_gender():
    assert description_gender("the old waiter") == "male"
    assert description_gender("the landlady") == "female"
    assert description_gender("the stranger") is None


def test_discovery_merges_full_names_surnames_and_titles():
    cast = discovered(
        '"Sit," said Alex Drake.\n\n"No," said Hunt.\n\n"Please," Drake said.\n\n'
        '"Fine," said Gene Hunt. He sat down. DI Drake smiled at him.'
    )
    groups = [{c.name, *c.aliases} for c in cast.values()]
    assert any({"Alex Drake", "Drake", "DI Drake"} <= group for group in groups)
    assert any({"Hunt", "Gene Hunt"} <= group for group in groups)


def test_discovery_keeps_mr_and_mrs_apart():
    cast = discovered('"Tea?" said Mr. Weston.\n\n"Please," said Mrs. Weston.')
    assert {"Mr. Weston", "Mrs. Weston"} <= set(cast)
    assert cast["Mr. Weston"].gender == "male" and cast["Mrs. Weston"].gender == "female"


def test_the_name_the_narration_uses_most_is_found():
    cast = discovered(
        "Ottoline crossed the yard. Ottoline fed the hens. Ottoline looked at the sky.\n\n"
        '"Rain," she said.'
    )
    assert "Ottoline" in cast


def test_greetings_and_sentence_openers_are_not_characters():
    cast = discovered(
        '"Morning, Guv," said Ray.\n\n"Cheers," said Ray.\n\n'
        "Suddenly the lights went out. Then the rain started. Then it stopped."
    )
    assert set(cast) == {"Ray"}


def test_miss_and_mrs_of_one_family_are_two_people():
    cast = discovered(
        '"Tea?" said Mrs. Pellow.\n\n"Please," said Miss Pellow.\n\n'
        '"Sugar?" said Mrs. Pellow.\n\n"No," said Miss Pellow.\n\n'
        '"Cake?" said Mr. Pellow. Pellow smiled.'
    )
    assert {"Mrs. Pellow", "Miss Pellow", "Mr. Pellow"} <= set(cast)
    assert all(
        "Miss Pellow" not in c.aliases and "Mr. Pellow" not in c.aliases for c in cast.values()
    )


def test_titles_without_a_full_stop_and_sir_are_names():
    cast = discovered(
        '"Rain," said Sir Roland.\n\n"Sun," said Mrs Amble.\n\n'
        '"Snow," said Sir Roland.\n\n"Hail," said Mrs Amble.'
    )
    assert {"Sir Roland", "Mrs Amble"} <= set(cast)
    assert cast["Mrs Amble"].gender == "female" and cast["Sir Roland"].gender == "male"


def test_a_description_by_a_full_name_tells_the_gender():
    # Only the full name is described; the name in the tags carries no title,
    # is no common first name, and the one pronoun near it is another's.
    cast = discovered(
        "Tobin Marsh was a thin, nervous man with a scarf. "
        "Nadia poured the tea.\n\n"
        '"Tea?" said Tobin.\n\n"Thanks," said Nadia. She gave Tobin her best smile.\n\n'
        '"Milk," said Tobin.\n\n"Sugar," said Nadia.\n\n"No," said Tobin.'
    )
    assert cast["Tobin"].gender == "male"


def test_a_man_s_title_does_not_join_a_woman_s_first_name():
    cast = discovered(
        '"Tea?" said Mary Pellow.\n\n"Milk," said Mr. Pellow.\n\n"Sugar," said Mary Pellow.'
        '\n\n"Cake," said Mr. Pellow.\n\n"Scones," said Mary Pellow.'
    )
    assert "Mr. Pellow" in cast and "Mr. Pellow" not in cast["Mary Pellow"].aliases
    assert cast["Mary Pellow"].gender == "female"


def test_sentence_openers_are_no_names_nor_parts_of_names():
    cast = discovered(
        "Later Bill came in. Suddenly the door slammed. Suddenly it opened.\n\n"
        '"Hello," said Bill. Sometimes Bill sang, and he sang later too, and he '
        "knocked suddenly, suddenly, as he always did; sometimes softly, sometimes not, "
        "sometimes later, and later still, much later.\n\n"
        '"Again," said Bill.\n\n"Later," said Bill.\n\nSuddenly, Bill laughed.'
    )
    assert set(cast) == {"Bill"}
    assert cast["Bill"].aliases == ()


def test_a_name_that_is_also_a_word_stays_a_name():
    cast = discovered(
        '"I will," said Will.\n\n"You will," said Will. He will go, and she will stay, '
        "and they will wait. Will nodded.\n\n"
        '"We will," said Will.'
    )
    assert "Will" in cast


def test_a_capitalised_role_beside_speech_verbs_is_a_character():
    cast = discovered(
        '"Tea," said the Hatter.\n\n"More tea," said the Hatter.\n\n'
        '"No room," the Hatter said.\n\n"Off with him," said the Queen.\n\n'
        '"Off," said the Queen.\n\n"Yes," said the Queen.\n\n"Maybe," said the doctor.'
    )
    assert {"the Hatter", "the Queen"} <= set(cast)
    assert cast["the Queen"].gender == "female"
    assert not any("doctor" in name.lower() for name in cast)


def test_a_first_person_narrator_is_found_by_the_name_others_call_them():
    turns = []
    for number in range(6):
        turns += [
            f'"Pass the salt, Quill," said Marta. Marta frowned.\n\n"Here," I said.\n\n'
            f'"Thank you, Quill. That is {number}," said Marta.\n\n"Good," I replied.'
        ]
    source = "\n\n".join(turns)
    cast = discovered(source)
    assert "Quill" in cast
    script = attribute(parse(read_text(source, "story.txt")), None)
    speakers = [s.speaker for c in script.chapters for s in c.segments if s.kind == "speech"]
    assert speakers[1] == "Quill"


def test_a_month_that_is_a_first_name_can_be_a_character():
    cast = discovered(
        '"Yes," said May.\n\n"No," said May. It may rain, they may go, it may not.\n\n'
        '"Later," said May. In June they left.'
    )
    assert "May" in cast and "June" not in cast


def test_full_names_sharing_only_a_surname_are_two_people():
    cast = discovered(
        '"Go," said Tobin Marsh.\n\n"Stay," said Ada Marsh.\n\n'
        '"Go," said Tobin Marsh.\n\n"Stay," said Ada Marsh.'
    )
    assert {"Tobin Marsh", "Ada Marsh"} <= set(cast)
