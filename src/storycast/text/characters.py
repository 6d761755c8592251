"""Characters: resolving mentions to cast members, and discovering a cast
(names that speak or are spoken to, aliases merged, gender inferred) when
the user gave none."""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from storycast.model import Cast, Character, Script
from storycast.model.story import Gender
from storycast.text.names import FEMALE_NAMES, MALE_NAMES, NOT_NAMES, TITLES, Names, name_key
from storycast.text.tags import NAME, PRONOUN_GENDER, find_tags, tag_after
from storycast.text.vocatives import vocatives

__all__ = ["Names", "TITLES", "discover_cast", "refine_cast"]


_ACTING = re.compile(
    rf"(?:^|[.!?]\s+)({NAME})\s+(?:\w+ly\s+)?(?:[a-z]+ed|had|was|sat|stood|took|went|came|"
    r"made|kept|felt|knew|saw|told|ran|put|got|gave|found|thought|lit|shook|turned|looked|"
    r"smiled|nodded|laughed|began|held|left|opened|closed|said)\b"
)
_TOGETHER = re.compile(rf"(?:^|[.!?]\s+)({NAME})\s+and\s+({NAME})\s+[a-z]")
_ACTING_AT_LEAST = 3
"""Sentences a name must begin, as the subject of a verb, to be a character."""


def discover_cast(script: Script) -> Cast:
    """Characters who are named beside a speech verb or addressed in speech,
    with aliases merged and gender guessed; most frequent first."""
    tagged: Counter[str] = Counter()
    addressed: Counter[str] = Counter()
    pronouns: dict[str, Counter[str]] = defaultdict(Counter)
    acting: Counter[str] = Counter()  # names that begin sentences as their subject
    for chapter in script.chapters:
        segments = chapter.segments
        for index, segment in enumerate(segments):
            if segment.kind == "speech":
                for name in vocatives(segment.text):
                    if _plausible(name):
                        addressed[_strip_possessive(name)] += 1
                continue
            if segment.kind != "narration":
                continue
            acting.update(m.group(1) for m in _ACTING.finditer(segment.text))
            after_quote = index > 0 and segments[index - 1].kind == "speech"
            for tag in find_tags(segment.text, after_quote=after_quote):
                if tag.kind == "name" and _plausible(tag.mention):
                    tagged[_strip_possessive(tag.mention)] += 1
            for match in re.finditer(
                rf"({NAME})\b[^.!?\"“”]{{0,60}}?\b(he|she|his|her)\b", segment.text
            ):
                pronouns[match.group(1)][PRONOUN_GENDER[match.group(2).lower()]] += 1
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
    for name, n in addressed.items():
        # Addressed but never tagged: a name only if the narration uses it
        # mid-sentence too ("Morning, Guv" makes no character of "Morning").
        if name in tagged or (n >= 2 and re.search(rf"[a-z,;]\s+{re.escape(name)}\b", narration)):
            counts[name] += n
    for name, n in acting.items():
        # The name the narration uses most may never stand beside a speech
        # verb (she is "she" in the tags and a nickname in speech).
        if n >= _ACTING_AT_LEAST and _plausible(name):
            counts[name] += n
    for first, second in _TOGETHER.findall(narration):
        # "Nina and Owen sat down": named beside a character, a character too
        for one, other in ((first, second), (second, first)):
            if other in counts and one not in counts and _plausible(one):
                counts[one] += 1
    characters = _merge_aliases(counts, pronouns)
    return Cast(characters=tuple(_full_names(characters, narration)))


def _full_names(characters: list[Character], narration: str) -> list[Character]:
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
        full = _strip_possessive(match.group(0))
        words = name_key(full).split()
        if len(words) < 2 or words[0] in NOT_NAMES or len(words) > 4:
            continue
        owners = {owner[w] for w in words if w in owner}
        if len(owners) == 1 and -1 not in owners:
            number = owners.pop()
            character = characters[number]
            if _same_family_title(full, (character.name, *character.aliases)):
                extra[number][full] += 1
    merged = []
    for number, character in enumerate(characters):
        known = {name_key(a) for a in (character.name, *character.aliases)}
        new = [name for name, n in extra[number].most_common() if name_key(name) not in known]
        merged.append(Character(character.name, (*character.aliases, *new), character.gender))
    return merged


def _plausible(name: str) -> bool:
    """A name, not a greeting or an exclamation: its first word that is not
    a title ("Miss Bates", "Sir Walter", "Mrs Smith") is no common word."""
    words = name_key(name).split()
    named = [w for w in words if w not in TITLES]
    return bool(named) and named[0] not in NOT_NAMES and len(words) <= 4


def _strip_possessive(name: str) -> str:
    return re.sub(r"['’]s$", "", name.strip())


def _merge_aliases(counts: Counter[str], pronouns: dict[str, Counter[str]]) -> list[Character]:
    """Group names sharing a word (Gene / Gene Hunt / DCI Hunt); the most
    frequent name of a group is its name, the rest its aliases."""
    groups: list[list[str]] = []
    for name, _ in counts.most_common():
        words = {w for w in name_key(name).split() if w not in TITLES}
        title = next((TITLES[w] for w in name_key(name).split() if w in TITLES), None)
        home = None
        for group in groups:
            group_words = {
                w for member in group for w in name_key(member).split() if w not in TITLES
            }
            if (
                words & group_words
                and _genders_agree(title, group, pronouns)
                and _same_family_title(name, group)
            ):
                home = group
                break
        if home is None:
            groups.append([name])
        else:
            home.append(name)
    characters = []
    for group in groups:
        votes: Counter[str] = Counter()
        for member in group:
            votes.update(pronouns.get(member, {}))
        characters.append(
            Character(name=group[0], aliases=tuple(group[1:]), gender=_gender(group, votes))
        )
    return characters


def _genders_agree(title: str | None, group: list[str], pronouns) -> bool:
    """Mr. Weston and Mrs. Weston share a word but are two people."""
    if title not in ("male", "female"):
        return True
    titles = {
        TITLES[w]
        for member in group
        for w in name_key(member).split()
        if TITLES.get(w) in ("male", "female")
    }
    return not titles or title in titles


_HONORIFICS = frozenset({"mr", "mrs", "miss", "ms", "master", "mister"})
"""Titles that tell family members apart: Miss Bates is not Mrs. Bates (her
mother), Mrs. Elton is not Mr. Elton. Ranks (Dr., Captain) may change."""


def _honorifics(names: list[str] | tuple[str, ...]) -> set[str]:
    found = {w.rstrip(".") for name in names for w in name_key(name).split()}
    return {"mr" if w == "mister" else w for w in found & _HONORIFICS}


def _same_family_title(name: str, group: list[str] | tuple[str, ...]) -> bool:
    """False where the name and the group have different honorifics only
    (Miss Bates / Mrs. Bates); a bare surname or a first name joins."""
    mine, theirs = _honorifics([name]), _honorifics(group)
    return not mine or not theirs or bool(mine & theirs)


def _gender(group: list[str], votes: Counter[str]) -> Gender:
    for member in group:
        for word in name_key(member).split():
            if TITLES.get(word) in ("male", "female"):
                return cast_gender(TITLES[word])
    first = name_key(group[0]).split()[0]
    if first in MALE_NAMES:
        return "male"
    if first in FEMALE_NAMES:
        return "female"
    if votes and votes.most_common(1)[0][1] >= 2 * (
        sum(votes.values()) - votes.most_common(1)[0][1]
    ):
        return cast_gender(votes.most_common(1)[0][0])
    return "unknown"


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


def cast_gender(word: str) -> Gender:
    """A gender word as the model's Gender ("unknown" for anything else)."""
    if word == "male":
        return "male"
    return "female" if word == "female" else "unknown"
