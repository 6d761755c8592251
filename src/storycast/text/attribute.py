"""attribute: who says each quote. A sieve of small named rules; each
decision records its rule and a confidence on the segment.

First pass, paragraph by paragraph: speech tags (quote-verb-name,
name-verb-quote, pronoun, description, first-person), the same speaker for
the other quotes of a tagged paragraph, a quote continued from the previous
paragraph, and an action beat naming someone. Second pass
(`conversation.py`): the untagged turns of each conversation, filled from
both ends by turn-taking."""

from __future__ import annotations

import re
from dataclasses import replace

from storycast.model import NARRATOR, Cast, Chapter, Script, Segment
from storycast.text.characters import TITLES, Names, discover_cast
from storycast.text.conversation import Decision, Turn, fill_conversations
from storycast.text.tags import PRONOUN_GENDER, Tag, subjects, tag_after, tags_before, vocatives

__all__ = ["attribute", "discover_cast"]
LEAD_ANCHORS = True

_DESCRIPTION_GENDER = {
    "man": "male", "gentleman": "male", "boy": "male", "lad": "male", "fellow": "male",
    "husband": "male", "father": "male", "brother": "male", "son": "male", "uncle": "male",
    "waiter": "male", "king": "male", "youth": "male", "chap": "male", "sir": "male",
    "woman": "female", "lady": "female", "girl": "female", "wife": "female", "mother": "female",
    "sister": "female", "daughter": "female", "aunt": "female", "waitress": "female",
    "queen": "female", "maid": "female", "widow": "female", "landlady": "female",
}


def attribute(script: Script, cast: Cast | None = None) -> Script:
    """The script with a speaker, rule and confidence on every speech segment."""
    cast = cast if cast and cast.characters else discover_cast(script)
    names = Names.from_cast(cast)
    first_person = _first_person_speaker(script, names)
    chapters = tuple(_attribute_chapter(chapter, names, first_person)
                     for chapter in script.chapters)
    return replace(script, chapters=chapters, cast=cast)


def _attribute_chapter(chapter: Chapter, names: Names, first_person: str | None) -> Chapter:
    segments = list(chapter.segments)
    turns: list[Turn] = []
    recent: list[str] = []          # characters named or speaking, most recent last
    narration_gap = 0               # narration characters since the last turn
    lead: str | None = None         # who the narration just before a turn is about
    lead_in = ""                    # that narration, when it leads into the quote (said,)
    for indices in _paragraphs(segments):
        quotes = [i for i in indices if segments[i].kind == "speech"]
        if not quotes:
            lead, lead_in = None, ""
            for i in indices:
                if segments[i].kind == "narration":
                    lead_in = segments[i].text if re.search(r"[,:;—–-]\s*$", segments[i].text) \
                        else ""
                    lead = _last_subject(segments[i].text, names, recent, turns) or lead
                    recent.extend(n for _, n in names.mentions(segments[i].text))
                    narration_gap += len(segments[i].text) + 200  # a paragraph counts too
                else:
                    narration_gap += 10_000  # a heading ends any conversation
            continue
        turn = Turn(quotes=quotes, lead=lead, scene=segments[quotes[0]].scene, gap=narration_gap,
                    continued=segments[quotes[0]].continued,
                    addressed=_addressed(segments, quotes, names),
                    recent=list(dict.fromkeys(reversed(recent[-40:]))))
        _decide_paragraph(turn, indices, segments, names, recent, turns, first_person, lead_in)
        if turn.decision is None and lead and lead not in turn.addressed:
            turn.decision, turn.anchor = Decision(lead, "narration-before", 0.6), LEAD_ANCHORS
        turns.append(turn)
        narration_gap, lead, lead_in = 0, None, ""
    for turn in fill_conversations(turns):
        for index in turn.quotes:
            decision = turn.decisions.get(index) or turn.decision
            segments[index] = replace(segments[index], speaker=decision.speaker,
                                      rule=decision.rule, confidence=decision.confidence)
    return replace(chapter, segments=tuple(segments))


def _paragraphs(segments: list[Segment]) -> list[list[int]]:
    groups: list[list[int]] = []
    last = None
    for index, segment in enumerate(segments):
        key = (segment.scene, segment.paragraph, segment.kind == "heading")
        if key != last:
            groups.append([])
            last = key
        groups[-1].append(index)
    return groups


def _addressed(segments: list[Segment], quotes: list[int], names: Names) -> set[str]:
    found = set()
    for index in quotes:
        for mention in vocatives(segments[index].text):
            name = names.resolve(mention)
            if name:
                found.add(name)
    return found


def _decide_paragraph(turn: Turn, indices: list[int], segments: list[Segment], names: Names,
                      recent: list[str], turns: list[Turn], first_person: str | None,
                      lead_in: str) -> None:
    """Tags for each quote, then the paragraph's speaker for its other quotes.
    `lead_in` is a narration paragraph just before that ends in a comma or
    colon (Mr. Collins, much offended, laid aside his book, and said,)."""
    context = _Context(names, recent, turns, turn, first_person)
    for position, index in enumerate(indices):
        segment = segments[index]
        if segment.kind == "narration":
            for _, tag in subjects(segment.text):
                subject = context.resolve(tag, "", "")
                if subject:
                    context.paragraph_subjects.append(subject.speaker)
            recent.extend(n for _, n in names.mentions(segment.text))
            continue
        after = segments[indices[position + 1]] if position + 1 < len(indices) else None
        before = segments[indices[position - 1]] if position > 0 else None
        decision = None
        if after is not None and after.kind == "narration":
            decision = context.resolve(tag_after(after.text, segment.text), "quote-verb-name",
                                       segment.text)
        if decision is None and before is not None and before.kind == "narration":
            decision = context.first(tags_before(before.text), "name-verb-quote")
        if decision is None and position == 0 and lead_in:
            decision = context.first(tags_before(lead_in), "name-verb-quote")
        if decision is not None:
            turn.decisions[index] = decision
            recent.append(decision.speaker)
    _fill_paragraph(turn, indices, segments, context, turns)


def _fill_paragraph(turn: Turn, indices: list[int], segments: list[Segment],
                    context: "_Context", turns: list[Turn]) -> None:
    tagged = sorted(turn.decisions.items(), key=lambda item: -item[1].confidence)
    if tagged:
        best = tagged[0][1]
        turn.decision = Decision(best.speaker, "same-paragraph", min(best.confidence, 0.9))
        turn.anchor = best.confidence >= 0.6
        return
    if turn.continued and turns and turns[-1].decision and turn.gap == 0:
        previous = turns[-1].decision
        turn.decision = Decision(previous.speaker, "continued-quote", previous.confidence)
        turn.anchor = previous.confidence >= 0.6
        return
    beat = _action_beat(indices, segments, context, turn.addressed)
    if beat:
        turn.decision = beat
        turn.anchor = beat.confidence >= 0.6


def _action_beat(indices: list[int], segments: list[Segment], context: "_Context",
                 addressed: set[str]) -> Decision | None:
    """A character who is the subject of a sentence in the quote's paragraph
    (Gene leaned back. "..."); the one addressed is not the speaker."""
    for index in indices:
        segment = segments[index]
        if segment.kind != "narration":
            continue
        for _, tag in subjects(segment.text):
            decision = context.resolve(tag, "action-beat", "")
            if decision and decision.speaker not in addressed:
                return Decision(decision.speaker, "action-beat", 0.7)
    return None


def _last_subject(text: str, names: Names, recent: list[str], turns: list[Turn]) -> str | None:
    """The character the last sentence of a narration paragraph is about."""
    found = subjects(text)
    if not found:
        return None
    position, tag = found[-1]
    if re.search(r"[.!?]\s", text[position:].rstrip()[:-1] or " "):
        return None  # a later sentence is about something else
    if tag.kind == "name":
        return names.resolve(tag.mention)
    gender = PRONOUN_GENDER[tag.mention]
    return next((n for n in reversed(recent[-30:]) if names.gender.get(n) == gender), None)


class _Context:
    """What a tag's mention can refer to: the cast, the recent mentions, the
    conversation so far."""

    def __init__(self, names: Names, recent: list[str], turns: list[Turn], turn: Turn,
                 first_person: str | None) -> None:
        self.names, self.recent, self.turns, self.turn = names, recent, turns, turn
        self.first_person = first_person
        self.paragraph_subjects: list[str] = []
        """Characters who are the subject of a sentence earlier in the paragraph."""

    def first(self, tags: list[Tag], rule: str) -> Decision | None:
        """The first candidate mention that names someone."""
        for tag in tags:
            decision = self.resolve(tag, rule, "")
            if decision:
                return decision
        return None

    def resolve(self, tag: Tag | None, rule: str, quote: str) -> Decision | None:
        if tag is None:
            return None
        confidence = 0.95 if tag.verb else 0.75
        if tag.kind == "name":
            name = self.names.resolve(tag.mention)
            return Decision(name, rule, confidence) if name else None
        if tag.kind == "first-person":
            return Decision(self.first_person, "first-person", 0.9) if self.first_person else None
        if tag.kind == "pronoun":
            return self._by_gender(PRONOUN_GENDER[tag.mention], "pronoun", confidence - 0.1)
        if tag.kind == "description":
            name = self.names.resolve(tag.mention)
            if name:
                return Decision(name, rule, confidence)
            gender = _description_gender(tag.mention)
            return self._by_gender(gender, "description", 0.6) if gender else None
        return None

    def _by_gender(self, gender: str, rule: str, confidence: float) -> Decision | None:
        """The character the pronoun most likely means: the subject of the
        narration just before, the one whose turn it is in the conversation,
        else the most recent match; never the one addressed."""
        def fits(name: str | None) -> bool:
            return bool(name) and self.names.gender.get(name) == gender \
                and name not in self.turn.addressed

        ordered = [n for n in reversed(self.paragraph_subjects) if fits(n)]
        if fits(self.turn.lead):
            ordered.append(self.turn.lead)
        in_conversation = self.turn.gap < 1200
        speakers = [t.decision.speaker if t.decision else None for t in self.turns[-2:]]
        if in_conversation and len(speakers) == 2 and fits(speakers[0]) \
                and speakers[0] != speakers[1] and not self.turn.decisions:
            ordered.append(speakers[0])
        ordered += [n for n in reversed(self.recent[-30:]) if fits(n)]
        return Decision(ordered[0], rule, confidence) if ordered else None

def _description_gender(mention: str) -> str | None:
    for word in reversed(mention.split()):
        if word in _DESCRIPTION_GENDER:
            return _DESCRIPTION_GENDER[word]
        if TITLES.get(word) in ("male", "female"):
            return TITLES[word]
    return None


def _first_person_speaker(script: Script, names: Names) -> str | None:
    """Who "I" is in a first-person story: the character most often addressed
    by name in speech and least often named in narration."""
    first_person_tags = 0
    addressed: dict[str, int] = {}
    narrated: dict[str, int] = {}
    for chapter in script.chapters:
        for segment in chapter.segments:
            if segment.kind == "narration":
                first_person_tags += len(re.findall(r"\b(?:I said|said I|I asked|asked I|I replied)\b",
                                                    segment.text))
                for _, name in names.mentions(segment.text):
                    narrated[name] = narrated.get(name, 0) + 1
            elif segment.kind == "speech":
                for mention in vocatives(segment.text):
                    name = names.resolve(mention)
                    if name:
                        addressed[name] = addressed.get(name, 0) + 1
    if first_person_tags < 5 or not addressed:
        return None
    score = {name: count / (1 + narrated.get(name, 0)) for name, count in addressed.items()
             if count >= 3}
    return max(score, key=score.get) if score else None


def speaker_or_narrator(decision: Decision | None) -> str:
    return decision.speaker if decision else NARRATOR
