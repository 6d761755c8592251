"""parse: quotes, front and back matter, chapters and scene breaks, each case
a real story contains. Segment offsets point at the spoken words in the
decoded source, without the quote marks."""

from __future__ import annotations

import pytest

from storycast.text.parse import parse, split_paragraphs
from storycast.text.read import read_text


def segments(source: str):
    script = parse(read_text(source, "story.txt"))
    found = [s for c in script.chapters for s in c.segments]
    for segment in found:  # the tag --json contract: offsets into the source
        if segment.kind != "heading" or segment.text == source[segment.start : segment.end]:
            assert " ".join(source[segment.start : segment.end].split()) == segment.text
    return found


def spoken(source: str) -> list[str]:
    return [s.text for s in segments(source) if s.kind == "speech"]


def narration(source: str) -> list[str]:
    return [s.text for s in segments(source) if s.kind == "narration"]


@pytest.mark.parametrize(
    "source",
    [
        '"Tea?" she asked.\n\n"Yes," he said.',
        "\u201cTea?\u201d she asked.\n\n\u201cYes,\u201d he said.",
        "'Tea?' she asked.\n\n'Yes,' he said. 'Two sugars.'\n\n'Right you are.'",
        (
            "\u2018Tea?\u2019 she asked.\n\n\u2018Yes,\u2019 he said. "
            "\u2018Two sugars.\u2019\n\n\u2018Right.\u2019"
        ),
    ],
)
def test_straight_curly_and_single_quote_dialogue(source):
    assert spoken(source)[:2] == ["Tea?", "Yes,"]
    assert narration(source)[:2] == ["she asked.", "he said."]


def test_quote_nested_in_a_quote_stays_one_speech():
    source = "\"She asked me 'are you coming?' twice.\"\n\nHe shrugged."
    assert spoken(source) == ["She asked me 'are you coming?' twice."]


def test_quote_broken_by_a_speech_tag():
    assert spoken('"Well," he said, "that settles it."') == ["Well,", "that settles it."]
    assert narration('"Well," he said, "that settles it."') == ["he said,"]


def test_quote_over_several_paragraphs_continues_until_it_closes():
    source = (
        '"This goes on for a while\n\n"and carries on here,\n\n"and ends here," she said.'
        "\n\nNarration again."
    )
    found = [s for s in segments(source) if s.kind == "speech"]
    assert [s.text for s in found] == [
        "This goes on for a while",
        "and carries on here,",
        "and ends here,",
    ]
    assert [s.continued for s in found] == [False, True, True]
    assert narration(source) == ["she said.", "Narration again."]


def test_stray_quote_mark_is_closed_at_the_paragraph_end():
    source = 'He said "hello and walked on.\n\nThe rest is narration.\n\n"Hi," said Ann.'
    assert narration(source)[-2:] == ["The rest is narration.", "said Ann."]
    assert spoken(source)[-1] == "Hi,"


def test_scare_quotes_are_not_speech():
    source = (
        "'Hello,' she said.\n\n'Hi,' he said.\n\n'Well,' she said.\n\n"
        "He was the so-called 'expert' and they had a 'strictly-business' dinner."
    )
    assert narration(source)[-1] == (
        "He was the so-called 'expert' and they had a 'strictly-business' dinner."
    )
    double = 'It was a "strictly business" dinner with the so-called "expert" at last.'
    assert spoken(double) == [] and narration(double) == [double]


@pytest.mark.parametrize(
    "words", ["'ello", "'ere", "'im", "y'know", "c'mon", "a cup o' tea", "goin'"]
)
def test_apostrophes_and_elisions_are_not_quote_marks(words):
    source = (
        f"'Right,' said Bert. 'Now then, {words}, that's all.'\n\n'Yes,' she said.\n\n"
        f"'Good,' he said."
    )
    assert spoken(source)[1] == f"Now then, {words}, that's all."


def test_front_and_back_matter_and_title():
    source = (
        "A/N: my first story, be kind.\n\nDisclaimer: I own nothing.\n\nThe Long Night\n\n"
        'by Somebody\n\nIt was late.\n\n"Go home," said Ann.\n\nFin.\n\n'
        "Thanks for reading! Reviews welcome."
    )
    script = parse(read_text(source, "story.txt"))
    assert script.title == "The Long Night" and script.author == "Somebody"
    assert [s.text for s in script.front_matter] == [
        "A/N: my first story, be kind.",
        "Disclaimer: I own nothing.",
    ]
    assert [s.text for s in script.back_matter] == ["Thanks for reading! Reviews welcome."]
    body = [s.text for c in script.chapters for s in c.segments if s.kind != "heading"]
    assert body == ["It was late.", "Go home,", "said Ann."]


def test_the_end_marker_and_a_closing_note():
    source = "Once.\n\nTwice.\n\nThe End\n\nA/N: a sequel is coming."
    script = parse(read_text(source, "story.txt"))
    assert [s.text for s in script.back_matter] == ["A/N: a sequel is coming."]


def test_end_inside_a_wrapped_quote_is_not_the_end_marker():
    line = "word " * 14
    source = "\n\n".join(
        [f"{line}\n{line}\n{line}" for _ in range(6)]
        + [
            f'"It is being stored, for the present, in the old garage at '
            f'Howards\nEnd." {line}\n{line}',
            f"{line}\n{line}",
        ]
    )
    assert spoken(source) == [
        "It is being stored, for the present, in the old garage at Howards End."
    ]
    assert len(narration(source)) == 8


@pytest.mark.parametrize(
    "heading, title",
    [
        ("Chapter 3", "Chapter 3"),
        ("Chapter 3: The Bill", "Chapter 3: The Bill"),
        ("CHAPTER III", "CHAPTER III"),
        ("# The Bill", "The Bill"),
        ("Chapter Twelve", "Chapter Twelve"),
    ],
)
def test_chapter_headings(heading, title):
    source = f"Chapter 1\n\nFirst.\n\n{heading}\n\nSecond."
    script = parse(read_text(source, "story.txt"))
    assert [c.title for c in script.chapters] == ["Chapter 1", title]
    assert [s.text for s in script.chapters[1].segments] == [title, "Second."]


@pytest.mark.parametrize("mark", ["-/-/-", "***", "* * *", "~~~", "---", "#"])
def test_scene_breaks(mark):
    source = f"Chapter 1\n\nFirst scene.\n\n{mark}\n\nSecond scene."
    found = segments(source)
    assert [(s.text, s.scene) for s in found if s.kind == "narration"] == [
        ("First scene.", 0),
        ("Second scene.", 1),
    ]


def test_internal_monologue_without_quotes_stays_narration():
    source = "He stared at the bill. I am not paying this, he thought. Not a penny."
    assert spoken(source) == [] and narration(source) == [source]


def test_hard_wrapped_paragraphs_are_joined():
    wrapped = "\n".join(
        ["This is a line of a novel that was wrapped at seventy columns or so" for _ in range(4)]
    )
    text = "\n\n".join([wrapped] * 5)
    paragraphs = split_paragraphs(text)
    assert len(paragraphs) == 5 and all("\n" not in p.text for p in paragraphs)
