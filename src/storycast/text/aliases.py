"""Names grouped into characters: names that share a word are one
character (Gene / Gene Hunt / DCI Hunt) unless their titles tell two people
apart (Mr. and Mrs. Weston, Miss and Mrs. Bates); each character's gender
from titles, common first names and the pronouns near its names."""

from __future__ import annotations

from collections import Counter

from storycast.model import Character
from storycast.model.story import Gender
from storycast.text.names import FEMALE_NAMES, MALE_NAMES, TITLES, name_key


def merge_aliases(counts: Counter[str], pronouns: dict[str, Counter[str]]) -> list[Character]:
    """Group names sharing a word (Gene / Gene Hunt / DCI Hunt); the most
    frequent name of a group is its name, the rest its aliases."""
    groups: list[list[str]] = []
    for name, _ in counts.most_common():
        words = _merge_words(name)
        title = next((TITLES[w] for w in name_key(name).split() if w in TITLES), None)
        home = None
        for group in groups:
            group_words = {w for member in group for w in _merge_words(member)}
            if (
                words & group_words
                and _genders_agree(title, group, pronouns)
                and same_family_title(name, group)
                and not _other_full_name(name, group)
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


def _merge_words(name: str) -> set[str]:
    """The words by which names are grouped: not titles, but a role is
    named by its words ("the Queen" -> queen, "the Mock Turtle")."""
    words = name_key(name).split()
    if words[0] == "the":
        return set(words[1:])
    return {w for w in words if w not in TITLES}


def _other_full_name(name: str, group: list[str]) -> bool:
    """Newland Archer is not Janey Archer, nor Charles Hayter Charles
    Musgrove: full names that share a first name or a surname but differ in
    the other are two people (a longer form of one name is the same one)."""
    mine = [w for w in name_key(name).split() if w not in TITLES]
    for member in group:
        theirs = [w for w in name_key(member).split() if w not in TITLES]
        if (
            min(len(mine), len(theirs)) >= 2
            and (mine[0] == theirs[0]) != (mine[-1] == theirs[-1])
            and not (set(mine) <= set(theirs) or set(theirs) <= set(mine))
        ):
            return True
    return False


def _genders_agree(title: str | None, group: list[str], pronouns) -> bool:
    """Mr. Weston and Mrs. Weston share a word but are two people."""
    if title not in ("male", "female"):
        return True
    titles = {
        TITLES[w]
        for member in group
        for w in name_key(member).split()
        if TITLES.get(w) in ("male", "female")
    } | {_first_name_gender(member) for member in group} - {None}
    return not titles or title in titles


def _first_name_gender(name: str) -> str | None:
    """Mary is a woman's name: Mr. Cavendish is not one of her names."""
    first = name_key(name).split()[0]
    return "male" if first in MALE_NAMES else "female" if first in FEMALE_NAMES else None


_HONORIFICS = frozenset({"mr", "mrs", "miss", "ms", "master", "mister"})
"""Titles that tell family members apart: Miss Bates is not Mrs. Bates (her
mother), Mrs. Elton is not Mr. Elton. Ranks (Dr., Captain) may change."""


def _honorifics(names: list[str] | tuple[str, ...]) -> set[str]:
    found = {w.rstrip(".") for name in names for w in name_key(name).split()}
    return {"mr" if w == "mister" else w for w in found & _HONORIFICS}


def same_family_title(name: str, group: list[str] | tuple[str, ...]) -> bool:
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
    return voted_gender(votes)


def voted_gender(votes: Counter[str]) -> Gender:
    """The gender the pronouns near a character's names agree on, by two to one."""
    if votes and votes.most_common(1)[0][1] >= 2 * (
        sum(votes.values()) - votes.most_common(1)[0][1]
    ):
        return cast_gender(votes.most_common(1)[0][0])
    return "unknown"


def cast_gender(word: str) -> Gender:
    """A gender word as the model's Gender ("unknown" for anything else)."""
    if word == "male":
        return "male"
    return "female" if word == "female" else "unknown"
