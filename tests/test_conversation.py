"""conversation.py on its own: untagged turns filled by turn-taking from
Turn values, without parsing a story."""

from __future__ import annotations

from storycast.model import NARRATOR
from storycast.text.conversation import Decision, Turn, fill_conversations


def turn(number: int, speaker: str | None = None, **fields) -> Turn:
    made = Turn(quotes=[number], scene=fields.pop("scene", 0), gap=fields.pop("gap", 0), **fields)
    if speaker:
        made.decision, made.anchor = Decision(speaker, "quote-verb-name", 0.95), True
    return made


def speakers(turns: list[Turn]) -> list[str]:
    return [t.decision.speaker for t in fill_conversations(turns)]


def test_untagged_turns_alternate_between_the_two_speakers():
    turns = [turn(0, "Ann"), turn(1, "Ben"), turn(2), turn(3), turn(4)]
    assert speakers(turns) == ["Ann", "Ben", "Ann", "Ben", "Ann"]
    assert all(t.decision.rule == "turn-taking" for t in turns[2:])


def test_a_run_is_filled_backwards_from_the_turns_after_it():
    turns = [turn(0, recent=["Ann", "Ben"]), turn(1), turn(2, "Ben"), turn(3, "Ann")]
    assert speakers(turns)[:2] == ["Ben", "Ann"]


def test_both_ends_agreeing_is_more_confident_than_one():
    agreeing = [turn(0, "Ann"), turn(1, "Ben"), turn(2), turn(3, "Ben"), turn(4, "Ann")]
    one_end = [turn(0, "Ann"), turn(1, "Ben"), turn(2)]
    fill_conversations(agreeing)
    fill_conversations(one_end)
    assert agreeing[2].decision.speaker == one_end[2].decision.speaker == "Ann"
    assert agreeing[2].decision.confidence > one_end[2].decision.confidence


def test_a_scene_change_starts_a_new_conversation():
    turns = [
        turn(0, "Ann"),
        turn(1, "Ben"),
        turn(2, "Cal", scene=1),
        turn(3, "Dot", scene=1),
        turn(4, scene=1),
    ]
    assert speakers(turns)[-1] == "Cal"


def test_the_one_addressed_is_never_the_speaker():
    turns = [turn(0, "Ann"), turn(1, "Ben"), turn(2, addressed={"Ann"}, recent=["Ann", "Ben"])]
    assert speakers(turns)[-1] == "Ben"


def test_an_undecided_turn_goes_to_a_character_present_not_the_narrator():
    alone = turn(0, present=["Ann", "Ben"], gap=5000)
    assert speakers([alone]) == ["Ann"]
    assert alone.decision.confidence < 0.5
    nobody = turn(0, gap=5000)
    assert speakers([nobody]) == [NARRATOR]


def test_a_chapter_that_names_no_one_goes_on_with_the_last_speaker():
    # a story told across chapters: no one is named, nobody else is known
    nobody = [turn(0, gap=5000), turn(1, gap=5000)]
    assert [t.decision.speaker for t in fill_conversations(nobody, "Ann")] == ["Ann", "Ann"]
    assert all(t.decision.confidence < 0.5 for t in nobody)
    # once the chapter has named its own speaker, an answer from nobody known
    # is not the last chapter's speaker's
    named = [turn(0, "Ben"), turn(1, gap=5000)]
    assert [t.decision.speaker for t in fill_conversations(named, "Ann")] == ["Ben", NARRATOR]


def test_a_form_of_address_says_who_answers():
    # Ben spoke, Ann spoke, then Cal asks "Signore?": the answer is Ben's, a man's
    asked = turn(2, "Cal", address_gender="male")
    turns = [turn(0, "Ben"), turn(1, "Ann"), asked, turn(3)]
    gender = {"Ann": "female", "Ben": "male", "Cal": "male"}
    assert [t.decision.speaker for t in fill_conversations(turns, None, gender)][-1] == "Ben"
    # without the form of address, the one who spoke before Cal answers
    plain = [turn(0, "Ben"), turn(1, "Ann"), turn(2, "Cal"), turn(3)]
    assert [t.decision.speaker for t in fill_conversations(plain, None, gender)][-1] == "Ann"
