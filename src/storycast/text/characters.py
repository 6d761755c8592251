"""Characters: resolving mentions to cast members, and discovering a cast
(names that speak or are spoken to, aliases merged, gender inferred) when
the user gave none."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import replace

from storycast.model import Cast, Character, Script
from storycast.text.aliases import cast_gender, merge_aliases, same_family_title, voted_gender
from storycast.text.discovery import ROLE_AT_LEAST, Openers, narrator_name, role_tags
from storycast.text.names import DESCRIPTION_GENDER, NOT_NAMES, TITLES, Names, name_key
from storycast.text.newcomers import newcomers
from storycast.text.tags import NAME, PRONOUN_GENDER, find_tags, tag_after
from storycast.text.vocatives import vocatives

__all__ = ["Names", "TITLES", "discover_cast", "refine_cast"]


_ACTING = re.compile(
    rf"(?:^|[.!?]\s+)({NAME})\s+(?:\w+ly\s+)?(?:[a-z]+ed|had|was|sat|stood|took|went|came|"
    r"made|kept|felt|knew|saw|told|ran|put|got|gave|found|thought|lit|shook|turned|looked|"
    r"smiled|nodded|laughed|began|held|left|opened|closed|said)\b"
)
_TOGETHER = re.compile(rf"(?:^|[.!?]\s+)({NAME})\s+and\s+({NAME})\s+[a-z]")
_DESCRIBED_AS = re.compile(
    rf"({NAME})\s+(?:was|is)\s+(?:a|an|the)\s+(?:[a-z][\w'’-]*,?\s+){{0,4}}?"
    rf"({'|'.join(DESCRIPTION_GENDER)})\b(?!['’])"
)
"""A name described by a gendered noun: "Dougie was a thin, twitchy man"."""
_ACTING_AT_LEAST = 3
"""Sentences a name must begin, as the subject of a verb, to be a character."""


def discover_cast(script: Script) -> Cast:
    """Characters who are named beside a speech verb or addressed in speech,
    with aliases merged and gender guessed; most frequent first."""
    tagged: Counter[str] = Counter()
    addressed: Counter[str] = Counter()
    pronouns: dict[str, Counter[str]] = defaultdict(Counter)
    acting: Counter[str] = Counter()  # names that begin sentences as their subject
    roles: Counter[str] = Counter()  # "said the Hatter"
    openers = Openers.of(script)

    def named(mention: str) -> str | None:
        name = openers.clean(_strip_possessive(mention))
        return name if name and _plausible(name) else None

    for chapter in script.chapters:
        segments = chapter.segments
        for index, segment in enumerate(segments):
            if segment.kind == "speech":
                addressed.update(filter(None, map(named, vocatives(segment.text))))
                continue
            if segment.kind != "narration":
                continue
            acting.update(filter(None, (named(m.group(1)) for m in _ACTING.finditer(segment.text))))
            roles.update(role_tags(segment.text))
            after_quote = index > 0 and segments[index - 1].kind == "speech"
            for tag in find_tags(segment.text, after_quote=after_quote):
                name = named(tag.mention) if tag.kind == "name" else None
                if name:
                    tagged[name] += 1
            for match in re.finditer(
                rf"({NAME})\b(?!\s+(?:his|her)\b)[^.!?\"“”]{{0,60}}?\b(he|she|his|her)\b",
                segment.text,
            ):
                pronouns[match.group(1)][PRONOUN_GENDER[match.group(2).lower()]] += 1
            # "Dougie was a thin, twitchy man": a description says it outright
            for match in _DESCRIBED_AS.finditer(segment.text):
                pronouns[match.group(1)][DESCRIPTION_GENDER[match.group(2)]] += 2
            # "Alex sat down. She ..." : the next sentence's pronoun subject
            for match in re.finditer(
                rf"(?:^|[.!?]\s+)({NAME})\b[^.!?\"“”]{{0,80}}[.!?]\s+"
                r"(He|She)\b",
                segment.text,
            ):
                pronouns[match.group(1)][PRONOUN_GENDER[match.group(2).lower()]] += 1
    counts = Counter({name: 3 * n for name, n in tagged.items()})
    narration = " ".join(
        s.text for c in script.chapters for s in c.segments if s.kind == "narration"
    )
    narrator = narrator_name(addressed, narration)
    for name, n in addressed.items():
        # Addressed but never tagged: a name only if the narration uses it
        # mid-sentence too ("Morning, Guv" makes no character of "Morning"),
        # or the narrator's, whom the narration calls "I".
        if (
            name in tagged
            or name == narrator
            or (n >= 2 and re.search(rf"[a-z,;]\s+{re.escape(name)}\b", narration))
        ):
            counts[name] += n
    for name, n in acting.items():
        # The name the narration uses most may never stand beside a speech
        # verb (she is "she" in the tags and a nickname in speech).
        if n >= _ACTING_AT_LEAST:
            counts[name] += n
    for role, n in roles.items():
        if n >= ROLE_AT_LEAST:
            counts[role] += 3 * n
    for first, second in _TOGETHER.findall(narration):
        # "Nina and Owen sat down": named beside a character, a character too
        for one, other in ((named(first), named(second)), (named(second), named(first))):
            if one and other in counts and one not in counts:
                counts[one] += 1
    characters = _full_names(merge_aliases(counts, pronouns), narration, openers)
    # after the full names: the newcomer is not the "Fratelli Recovery" named before
    characters += [
        Character(name, gender=cast_gender(sex))
        for name, sex in _named_newcomers(script, counts, acting).items()
        if openers.capital[name_key(name)]  # a name mid-sentence too, not only an opener
    ]
    return Cast(characters=tuple(_gendered(characters, pronouns)))


def _named_newcomers(script: Script, counts: Counter[str], acting: Counter[str]) -> dict[str, str]:
    """Names too seldom used to count, which the narration gives a stranger
    it brought on by a description ("a huge man came down the steps" ...
    "Fratelli shrugged"): name -> the description's sex."""
    unsure = [name for name in acting if name not in counts]
    if not unsure:
        return {}
    everyone = Cast(characters=tuple(Character(name) for name in (*counts, *unsure)))
    return {
        newcomer.name: newcomer.sex
        for found in newcomers(script.chapters, Names.from_cast(everyone))
        for newcomer in found
        if newcomer.name in unsure
    }


def _full_names(characters: list[Character], narration: str, openers: Openers) -> list[Character]:
    """Longer names in the narration that contain exactly one character's
    name become aliases (Gene -> Gene Hunt, DCI Gene Hunt)."""
    owner: dict[str, int] = {}
    for number, character in enumerate(characters):
        for mention in (character.name, *character.aliases):
            for word in name_key(mention).split():
                if word not in TITLES:
                    owner[word] = number if owner.get(word, number) == number else -1
    extra: dict[int, Counter[str]] = defaultdict(Counter)
    for match in re.finditer(NAME, narration):
        full = openers.clean(_strip_possessive(match.group(0))) or ""
        words = name_key(full).split()
        if len(words) < 2 or words[0] in NOT_NAMES or len(words) > 4:
            continue
        owners = {owner[w] for w in words if w in owner}
        if len(owners) == 1 and -1 not in owners:
            number = owners.pop()
            character = characters[number]
            if same_family_title(full, (character.name, *character.aliases)):
                extra[number][full] += 1
    merged = []
    for number, character in enumerate(characters):
        known = {name_key(a) for a in (character.name, *character.aliases)}
        new = [name for name, n in extra[number].most_common() if name_key(name) not in known]
        merged.append(Character(character.name, (*character.aliases, *new), character.gender))
    return merged


def _gendered(characters: list[Character], pronouns: dict[str, Counter[str]]) -> list[Character]:
    """A character of unknown gender voted on again with the pronouns near
    its full names too ("Dougie Nolan was a thin man" tells Dougie's)."""
    found = []
    for character in characters:
        if character.gender == "unknown":
            votes: Counter[str] = Counter()
            for mention in (character.name, *character.aliases):
                votes.update(pronouns.get(mention, {}))
            character = replace(character, gender=voted_gender(votes))
        found.append(character)
    return found


def _plausible(name: str) -> bool:
    """A name, not a greeting or an exclamation: its first word that is not
    a title ("Miss Bates", "Sir Walter", "Mrs Smith") is no common word."""
    words = name_key(name).split()
    named = [w for w in words if w not in TITLES]
    return bool(named) and named[0] not in NOT_NAMES and len(words) <= 4


def _strip_possessive(name: str) -> str:
    return re.sub(r"['’]s$", "", name.strip())


def refine_cast(script: Script, cast: Cast) -> Cast:
    """A discovered cast improved by a first attribution: nicknames addressed
    in speech become aliases of the one who was listening (the speaker of the
    turn before or after), and a he/she tag beside a line tells the gender of
    a speaker whose gender was unknown."""
    names = Names.from_cast(cast)
    nicknames: dict[str, Counter[str]] = defaultdict(Counter)
    genders: dict[str, Counter[str]] = defaultdict(Counter)
    for chapter in script.chapters:
        turns = _turn_speakers(chapter.segments)
        for number, (segments, speaker) in enumerate(turns):
            neighbours = {s for _, s in turns[max(0, number - 1) : number + 2]} - {speaker}
            for segment in segments:
                for mention in vocatives(segment.text):
                    if (
                        names.resolve(mention) is None
                        and _plausible(mention)
                        and len(neighbours) == 1
                    ):
                        nicknames[_strip_possessive(mention)][next(iter(neighbours))] += 1
        for index, segment in enumerate(chapter.segments[:-1]):
            after = chapter.segments[index + 1]
            if (
                segment.kind == "speech"
                and after.kind == "narration"
                and after.paragraph == segment.paragraph
            ):
                tag = tag_after(after.text, segment.text)
                if tag and tag.kind == "pronoun":
                    genders[segment.speaker][PRONOUN_GENDER[tag.mention]] += 1
    aliases: dict[str, list[str]] = defaultdict(list)
    for nickname, listeners in nicknames.items():
        listener, count = listeners.most_common(1)[0]
        if count >= 2 and count >= 0.7 * sum(listeners.values()):
            aliases[listener].append(nickname)
    refined = []
    for character in cast.characters:
        gender = character.gender
        votes = genders.get(character.name)
        if gender == "unknown" and votes and len(votes) == 1 and sum(votes.values()) >= 2:
            gender = cast_gender(next(iter(votes)))
        refined.append(
            Character(
                character.name,
                (*character.aliases, *aliases[character.name]),
                gender,
                character.voice,
            )
        )
    return Cast(cast.narrator, tuple(refined))


def _turn_speakers(segments) -> list[tuple[list, str]]:  # noqa: ANN001
    """(speech segments, speaker) per paragraph with speech, in order."""
    turns: list[tuple[list, str]] = []
    last = None
    for segment in segments:
        if segment.kind != "speech":
            continue
        key = (segment.scene, segment.paragraph)
        if key != last:
            turns.append(([], segment.speaker))
            last = key
        turns[-1][0].append(segment)
    return turns
