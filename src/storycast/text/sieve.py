"""The sieve: reads a chapter as a reader does, paragraph by paragraph
(who was named, who the sentences are about, who is in the scene, who
spoke), and decides each quote by small named rules: speech tags
(quote-verb-name, name-verb-quote, pronoun, description, first-person), the
same speaker for the other quotes of a tagged paragraph, a quote continued
from the previous paragraph, an action beat naming someone, and a quote
after a paragraph of narration about someone. The untagged turns are then
filled by turn-taking (`conversation.py`)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import TypeGuard

from storycast.model import Chapter, Segment
from storycast.text.conversation import Decision, Turn
from storycast.text.names import Names, description_gender
from storycast.text.newcomers import Newcomer, mentions_of, newcomer_named
from storycast.text.paragraphs import segment_paragraphs
from storycast.text.scene import Scene
from storycast.text.tags import (
    NAME,
    PRONOUN_GENDER,
    Tag,
    subjects,
    tag_after,
    tags_before,
)
from storycast.text.vocatives import address_gender, forms_of_address, vocatives

_LISTENER = re.compile(rf"\b(?:to|asked|told|answered|addressed|towards|at)\s+({NAME})")


class SieveReader:
    """Reads one chapter in order, keeping what a reader keeps in mind."""

    def __init__(self, names: Names, first_person: str | None) -> None:
        self.names, self.first_person = names, first_person
        self.recent: list[str] = []  # characters named or speaking, most recent last
        self.salient: list[str] = []  # sentence subjects and speakers, most recent last
        self.turns: list[Turn] = []
        self.turn: Turn | None = None  # the turn being decided
        self.paragraph_subjects: list[str] = []
        self.trailing: str | None = None  # subject of narration ending the last turn's paragraph
        self.scene = Scene()
        self.counts: Counter[str] = Counter()
        self.tag_gender: str | None = None  # the gender the tag being read asks for
        self.strangers: list[Newcomer] = []  # newcomers of this scene brought in so far

    def chapter(self, chapter: Chapter, newcomers: Sequence[Newcomer] = ()) -> list[Turn]:
        """The chapter's turns, each with the decisions its tags gave
        (`newcomers`: strangers its narration brings in, `newcomers.py`)."""
        segments = list(chapter.segments)
        gap, lead, lead_in = 0, None, ""
        for indices in segment_paragraphs(segments):
            first = segments[indices[0]]
            self.scene.at(first.scene)
            self.strangers = [
                n for n in newcomers if n.scene == first.scene and n.paragraph <= first.paragraph
            ]
            quotes = [i for i in indices if segments[i].kind == "speech"]
            if not quotes:
                lead, lead_in, self.trailing = None, "", None
                self.turn, self.paragraph_subjects = None, []  # no stale context for pronouns
                for i in indices:
                    if segments[i].kind != "narration":
                        gap += 10_000  # a heading ends any conversation
                        continue
                    lead = self.narration(segments[i].text)
                    lead_in = segments[i].text
                    gap += len(segments[i].text) + 200  # a paragraph counts too
                continue
            self.turn = Turn(
                quotes=quotes,
                lead=lead,
                trailing=self.trailing,
                scene=segments[quotes[0]].scene,
                gap=gap,
                continued=segments[quotes[0]].continued,
                addressed=self.addressed(segments, quotes),
                address_gender=address_gender(" ".join(segments[i].text for i in quotes)),
                recent=list(dict.fromkeys(reversed(self.recent[-40:]))),
                salient=list(dict.fromkeys(reversed(self.salient[-12:]))),
                present=self.scene.present(),
                counts=dict(self.counts),
            )
            for name in self.turn.addressed:
                self.scene.enter(name)
            self.paragraph(indices, segments, lead_in)
            self.turns.append(self.turn)
            gap, lead, lead_in = 0, None, ""
        return self.turns

    def narration(self, text: str) -> str | None:
        """Note who is named and who the sentences are about; returns the
        subject of the last sentence when it is a character."""
        last = None
        found, named = subjects(text), self.mentions(text)
        mentions = named
        for position, tag in found:
            # the names before this sentence are known when its pronoun is read
            self.recent.extend(name for at, name in mentions if at < position)
            mentions = [(at, name) for at, name in mentions if at >= position]
            if tag.kind == "description":  # "The porter said": only a cast alias counts
                name = self.name_of(tag.mention)
                decision = Decision(name, "subject", 0.7) if name else None
            else:
                decision = self.resolve(tag, "subject")
            if decision:
                self.salient.append(decision.speaker)
                self.paragraph_subjects.append(decision.speaker)
            last = decision.speaker if decision else None
        self.recent.extend(name for _, name in mentions)
        away = self.scene.elsewhere(text)
        for at, name in named:
            if at not in away:
                self.scene.enter(name)
            self.counts[name] += 1
        self.scene.narration(text, self.names.resolve)
        if found and _sentences_after(text, found[-1][0]):
            return None  # the paragraph ends on a sentence about something else
        return last

    def name_of(self, mention: str) -> str | None:
        """The character a tag or a listener's name means; an ambiguous name,
        the one in mind (measured: settling the narration's ambiguous names
        so too cost more turns than it won)."""
        return newcomer_named(self.strangers, mention) or self.names.resolve(
            mention, self.in_mind()
        )

    def mentions(self, text: str) -> list[tuple[int, str]]:
        """(position, character) for each character named or described in narration."""
        return sorted(self.names.mentions(text) + mentions_of(self.strangers, text))

    def in_mind(self) -> list[str]:
        """Characters in the scene, then those named lately, most recent first."""
        return [*self.scene.present(), *reversed(self.recent[-40:])]

    def listeners(self, narration: str) -> set[str]:
        """Characters a tag says are spoken to (said Gene to Alex; he asked Ray)."""
        return self.named(match.group(1) for match in _LISTENER.finditer(narration))

    def addressed(self, segments: list[Segment], quotes: list[int]) -> set[str]:
        texts = [segments[index].text for index in quotes]
        forms = [form for text in texts for form in forms_of_address(text)]
        parents = self.names.kin.called(forms, self.in_mind())
        return self.named(v for text in texts for v in vocatives(text)) | parents

    def named(self, mentions: Iterable[str]) -> set[str]:
        return {name for name in map(self.name_of, mentions) if name}

    def paragraph(self, indices: list[int], segments: list[Segment], lead_in: str) -> None:
        """Tags for each quote, then the paragraph's speaker for its other quotes.
        `lead_in` is a narration paragraph just before, which may end in a tag
        (Mr. Collins, much offended, laid aside his book, and said,)."""
        turn = self.turn
        assert turn is not None  # set by chapter() before each paragraph with speech
        self.paragraph_subjects, self.trailing = [], None
        last_quote_at = len(self.salient)
        beats: list[str] = []  # subjects of the narration before the paragraph's last quote
        for position, index in enumerate(indices):
            segment = segments[index]
            if segment.kind == "narration":
                self.trailing = self.narration(segment.text)
                named = turn.named_after if index > turn.quotes[0] else turn.named_before
                named.update(name for _, name in self.mentions(segment.text))
                continue
            self.trailing = None
            beats = self.paragraph_subjects[:]
            after = segments[indices[position + 1]] if position + 1 < len(indices) else None
            before = segments[indices[position - 1]] if position > 0 else None
            decision = None
            if after is not None and after.kind == "narration":
                self.tag_gender = None
                decision = self.resolve(tag_after(after.text, segment.text), "quote-verb-name")
            if decision is None and before is not None and before.kind == "narration":
                decision = self.first(tags_before(before.text), "name-verb-quote")
            if decision is None and position == 0 and lead_in:
                decision = self.first(tags_before(lead_in), "name-verb-quote")
            if decision is not None:
                for narration in (after, before):
                    if narration is not None and narration.kind == "narration":
                        turn.addressed |= self.listeners(narration.text) - {decision.speaker}
                turn.decisions[index] = decision
                self.scene.enter(decision.speaker)
                self.recent.append(decision.speaker)
                self.salient.append(decision.speaker)
            if self.tag_gender:
                turn.genders[index] = self.tag_gender
            self.tag_gender = None
            last_quote_at = len(self.salient)
        # Narration after the last quote is more often the listener's reaction.
        self.paragraph_speaker(beats, last_quote_at)
        around = " ".join(segments[i].text for i in indices if segments[i].kind == "narration")
        turn.listeners = self.paragraph_listeners(turn, f"{lead_in} {around}")

    def paragraph_listeners(self, turn: Turn, narration: str) -> set[str]:
        """Whom a turn's narration turns to ("leant over to Alex"): never
        its tagged speaker ("asked Nina") nor a subject of its own."""
        speakers = {d.speaker for d in (*turn.decisions.values(), turn.decision) if d}
        return self.listeners(narration) - speakers - set(self.paragraph_subjects)

    def paragraph_speaker(self, beats: list[str], last_quote_at: int) -> None:
        turn = self.turn
        assert turn is not None
        tagged = sorted(turn.decisions.values(), key=lambda d: -d.confidence)
        if tagged:
            turn.decision = Decision(
                tagged[0].speaker, "same-paragraph", min(tagged[0].confidence, 0.9)
            )
            turn.anchor = tagged[0].confidence >= 0.6
        elif turn.continued and self.turns and self.turns[-1].decision and turn.gap == 0:
            previous = self.turns[-1].decision
            turn.decision = Decision(previous.speaker, "continued-quote", previous.confidence)
            turn.anchor = previous.confidence >= 0.6
        else:
            beat = next((n for n in beats if n not in turn.addressed), None)
            if beat:
                turn.decision, turn.anchor = Decision(beat, "action-beat", 0.7), True
        if turn.decision:  # more salient than before the quote, less than narration after
            self.salient.insert(last_quote_at, turn.decision.speaker)

    def first(self, tags: list[Tag], rule: str) -> Decision | None:
        """The first candidate mention that names someone."""
        for tag in tags:
            decision = self.resolve(tag, rule)
            if decision:
                return decision
        return None

    def resolve(self, tag: Tag | None, rule: str) -> Decision | None:
        if tag is None:
            return None
        confidence = 0.95 if tag.verb else 0.75
        if tag.kind == "name":
            name = self.name_of(tag.mention)
            return Decision(name, rule, confidence) if name else None
        if tag.kind == "first-person":
            return Decision(self.first_person, "first-person", 0.9) if self.first_person else None
        if tag.kind == "pronoun":
            if rule != "subject":
                self.tag_gender = PRONOUN_GENDER[tag.mention]
            return self.by_gender(PRONOUN_GENDER[tag.mention], "pronoun", confidence - 0.1)
        if tag.kind == "description":
            name = self.name_of(tag.mention)
            if name:
                return Decision(name, rule, confidence)
            gender = description_gender(tag.mention)
            if rule != "subject":
                self.tag_gender = gender
            return self.by_gender(gender, "description", 0.6) if gender else None
        return None

    def by_gender(self, gender: str, rule: str, confidence: float) -> Decision | None:
        """The character a he/she most likely means: the subject of this
        paragraph, the one just spoken to, the one whose turn it is, the
        subject of the narration just before, the last named; never the one
        addressed. (Preferring the last
        sentence subjects over the last named measured worse on PDNC.)"""
        turn = self.turn

        def fits(name: str | None) -> TypeGuard[str]:
            return (
                name is not None
                and self.names.gender.get(name) == gender
                and not (turn and name in turn.addressed)
            )

        ordered = [n for n in reversed(self.paragraph_subjects) if fits(n)]
        if turn is not None:
            previous = self.turns[-1] if self.turns and turn.gap == 0 else None
            if previous is not None and not turn.decisions:  # the one just spoken to answers
                ordered += sorted(n for n in previous.addressed if fits(n))
            speakers = [t.decision.speaker if t.decision else None for t in self.turns[-2:]]
            # whose turn it is counts only straight after the last turn (measured)
            if (
                turn.gap == 0
                and len(speakers) == 2
                and fits(speakers[0])
                and speakers[0] != speakers[1]
                and not turn.decisions
            ):
                ordered.append(speakers[0])
            if fits(turn.lead):
                ordered.append(turn.lead)
            if fits(turn.trailing):
                ordered.append(turn.trailing)
        ordered += [n for n in reversed(self.recent[-30:]) if fits(n)]
        ordered += [n for n in self.scene.present() if fits(n)]  # the scene has one
        return Decision(ordered[0], rule, confidence) if ordered else None


def _sentences_after(text: str, position: int) -> bool:
    rest = text[position:].rstrip()
    return any(rest[i] in ".!?" and rest[i + 1] == " " for i in range(len(rest) - 1))
