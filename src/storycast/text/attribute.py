"""attribute: who says each quote. A sieve of small named rules, tried in
order; each decision records its rule and a confidence on the segment."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace

from storycast.model import NARRATOR, Cast, Chapter, Character, Script, Segment

SPEECH_VERBS = frozenset("""
    said says say asked asks ask replied replies reply answered answers muttered mutters
    murmured whispered whispers shouted shouts yelled yells cried cries called calls snapped
    snaps growled growls sighed sighs added adds continued continues began begins insisted
    protested exclaimed demanded demands barked grumbled grunted hissed laughed chuckled
    giggled snorted sneered scoffed shrugged smiled grinned groaned moaned whimpered pleaded
    begged agreed argued admitted announced offered suggested warned told tells repeated
    corrected interrupted observed remarked noted explained declared retorted responded
    stammered stuttered blurted drawled breathed murmured muttered roared bellowed screamed
    shrieked squeaked sniffed huffed purred teased joked mocked quipped conceded ventured
    wondered queried inquired enquired called echoed gasped panted spat sang chimed piped
    mumbled rasped croaked wheezed snarled countered confirmed ordered commanded instructed
""".split())
_PRONOUN_GENDER = {"he": "male", "him": "male", "his": "male",
                   "she": "female", "her": "female", "hers": "female"}
_WORD = r"[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’-]*)*"
_ADVERB = r"(?:\s+\w+ly)?"


@dataclass
class _Names:
    """Every way a character is named in the text -> the character's name."""

    by_mention: dict[str, str] = field(default_factory=dict)
    gender: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_cast(cls, cast: Cast) -> "_Names":
        names = cls()
        for character in cast.characters:
            names.gender[character.name] = character.gender
            for mention in (character.name, *character.aliases):
                names.by_mention.setdefault(mention.lower(), character.name)
        return names

    def resolve(self, mention: str) -> str | None:
        mention = mention.strip().lower()
        if mention in self.by_mention:
            return self.by_mention[mention]
        for word in reversed(mention.split()):  # "DCI Hunt" -> "hunt"
            if word in self.by_mention:
                return self.by_mention[word]
        return None

    def mentions(self, text: str) -> list[str]:
        """Characters named in a stretch of narration, in order."""
        found = []
        for match in re.finditer(_WORD, text):
            name = self.resolve(match.group(0))
            if name:
                found.append(name)
        return found


def attribute(script: Script, cast: Cast | None = None) -> Script:
    """The script with a speaker, rule and confidence on every speech segment."""
    cast = cast if cast and cast.characters else discover_cast(script)
    names = _Names.from_cast(cast)
    chapters = tuple(_attribute_chapter(chapter, names) for chapter in script.chapters)
    return replace(script, chapters=chapters, cast=cast)


def discover_cast(script: Script) -> Cast:
    """Characters who are named beside a speech verb, most frequent first."""
    counts: Counter[str] = Counter()
    for chapter in script.chapters:
        for segment in chapter.segments:
            if segment.kind == "narration":
                for name in _tagged_names(segment.text):
                    counts[name] += 1
    genders = _guess_genders(script, counts)
    return Cast(characters=tuple(Character(name=n, gender=genders.get(n, "unknown"))
                                 for n, _ in counts.most_common()))


def _tagged_names(text: str) -> list[str]:
    verbs = "|".join(SPEECH_VERBS)
    found = [m.group(1) for m in re.finditer(rf"\b({_WORD}){_ADVERB}\s+(?:{verbs})\b", text)]
    found += [m.group(1) for m in re.finditer(rf"\b(?:{verbs})\s+({_WORD})", text)]
    return [name for name in found if name.lower() not in _PRONOUN_GENDER
            and name.lower() not in {"i", "the", "then", "but", "and", "it", "they", "we", "you"}]


def _guess_genders(script: Script, names: Counter[str]) -> dict[str, str]:
    """A name's gender from the pronoun that most often follows it."""
    votes: dict[str, Counter[str]] = {name: Counter() for name in names}
    for chapter in script.chapters:
        for segment in chapter.segments:
            for name in names:
                for match in re.finditer(rf"\b{re.escape(name)}\b\W+(?:\w+\W+){{0,6}}?"
                                         r"\b(he|him|his|she|her)\b", segment.text):
                    votes[name][_PRONOUN_GENDER[match.group(1).lower()]] += 1
    return {name: vote.most_common(1)[0][0] for name, vote in votes.items() if vote}


def _attribute_chapter(chapter: Chapter, names: _Names) -> Chapter:
    segments = list(chapter.segments)
    recent: list[str] = []       # characters mentioned, most recent last
    speakers: list[str] = []     # speakers of the conversation, most recent last
    last_paragraph = last_scene = -1
    for index, segment in enumerate(segments):
        if segment.scene != last_scene:
            speakers.clear()
            last_scene = segment.scene
        if segment.kind == "narration":
            recent.extend(names.mentions(segment.text))
            continue
        if segment.kind != "speech":
            continue
        same_paragraph = [s for s in segments if s.paragraph == segment.paragraph
                          and s.scene == segment.scene]
        speaker, rule, confidence = _decide(segment, index, segments, same_paragraph, names,
                                            recent, speakers, last_paragraph)
        segments[index] = replace(segment, speaker=speaker, rule=rule, confidence=confidence)
        if speaker != NARRATOR:
            if not speakers or speakers[-1] != speaker:
                speakers.append(speaker)
            recent.append(speaker)
        last_paragraph = segment.paragraph
    return replace(chapter, segments=tuple(segments))


def _decide(segment, index, segments, paragraph, names, recent, speakers, last_paragraph):
    position = paragraph.index(segment)
    after = paragraph[position + 1] if position + 1 < len(paragraph) else None
    before = paragraph[position - 1] if position > 0 else None
    for rule in (_tag_after, _tag_before):
        found = rule(after if rule is _tag_after else before, names, recent)
        if found:
            return found
    earlier = [s for s in paragraph[:position] if s.kind == "speech" and s.speaker != NARRATOR]
    if earlier:
        return earlier[-1].speaker, "same-paragraph", 0.9
    later = [s for s in paragraph[position + 1:] if s.kind == "narration"]
    for narration in later:
        found = _tag_after(narration, names, recent) or _tag_before(narration, names, recent)
        if found:
            return found[0], "same-paragraph", 0.85
    if segment.continued and index > 0 and segments[index - 1].kind == "speech":
        return segments[index - 1].speaker, "continued-quote", 0.9
    beat = [s for s in paragraph if s.kind == "narration"]
    for narration in beat:
        mentioned = names.mentions(narration.text)
        if mentioned:
            return mentioned[0], "action-beat", 0.7
    if len(speakers) >= 2 and segment.paragraph != last_paragraph:
        return speakers[-2], "turn-taking", 0.6
    return NARRATOR if not speakers else speakers[-1], "unknown", 0.2


def _tag_after(narration: Segment | None, names: _Names, recent: list[str]):
    """"...," said Gene / "...," Gene said / "...," he said."""
    if narration is None or narration.kind != "narration":
        return None
    text = narration.text
    verbs = "|".join(SPEECH_VERBS)
    inverted = re.match(rf"^(?:{verbs}){_ADVERB}\s+({_WORD}|he|she)\b", text)
    direct = re.match(rf"^({_WORD}|he|she|He|She){_ADVERB}\s+(?:{verbs})\b", text)
    match = inverted or direct
    if not match:
        return None
    return _who(match.group(1), names, recent, "quote-verb-name")


def _tag_before(narration: Segment | None, names: _Names, recent: list[str]):
    """Gene said: "..." / Gene turned to her and said, "..."."""
    if narration is None or narration.kind != "narration":
        return None
    verbs = "|".join(SPEECH_VERBS)
    match = re.search(rf"\b({_WORD}|he|she|He|She)\b[^.!?]*?\b(?:{verbs}){_ADVERB}\s*[,:]?$",
                      narration.text)
    if not match:
        return None
    return _who(match.group(1), names, recent, "name-verb-quote")


def _who(mention: str, names: _Names, recent: list[str], rule: str):
    gender = _PRONOUN_GENDER.get(mention.lower())
    if gender:
        for name in reversed(recent):
            if names.gender.get(name) == gender:
                return name, "pronoun", 0.8
        return None
    name = names.resolve(mention)
    return (name, rule, 0.95) if name else None
