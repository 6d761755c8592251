"""Kin: who "her mother" or "his wife" means. Families share a surname, so
the one meant is a character of the kin's sex who shares a surname with
the one the possessive means; a mother or a wife goes by Mrs., a father or
a husband by Mr."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

KIN = {
    "mother": ("female", "mrs.", "blood"),
    "wife": ("female", "mrs.", "blood"),
    "father": ("male", "mr.", "blood"),
    "sister": ("female", "blood", "blood"),
    "daughter": ("female", "blood", "blood"),
    "brother": ("male", "blood", "blood"),
    "son": ("male", "blood", "blood"),
    "husband": ("male", "mr.", "mrs."),
}
"""Kin word -> (sex, the kin's surname that is shared, the possessor's), by
the title that goes with it: "mrs." is the name a woman married into,
"blood" a surname under any other title, the one she was born with. A
mother shares by her married name the surname her child was born with; a
father goes by Mr.; a husband shares his with his wife's married one."""
ADDRESSED_KIN = {
    **dict.fromkeys("mother mamma mama mummy mum mom".split(), "mother"),
    **dict.fromkeys("father papa daddy dad pa".split(), "father"),
}
"""What a child calls a parent, as the kin word."""
POSSESSIVES = {"his": "male", "her": "female"}
_TITLE_SPELLINGS = {"mrs": "mrs.", "mr": "mr.", "mister": "mr."}
_NOT_PERSONAL = frozenset({"a", "an", "the", "of"})
"""Words that make a name a description ("A Friend of Mrs. Wilcox"): its
last word is not a surname."""


@dataclass
class Kin:
    gender: dict[str, str] = field(default_factory=dict)
    """Each character's gender (the `Names` it belongs to shares its own)."""
    surnames: dict[str, dict[str, set[str]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(set))
    )
    """Character -> first word of a name of two or more (a title such as
    "mrs.", or a first name) -> the last words of those names."""

    def add(self, character: str, words: list[str]) -> None:
        """One of the character's names, as lower-case words."""
        if len(words) > 1 and not _NOT_PERSONAL & set(words):
            title = _TITLE_SPELLINGS.get(words[0], words[0])
            self.surnames[character][title].add(words[-1])

    def resolve(self, words: list[str], prefer: Sequence[str]) -> str | None:
        """The character "his/her <kin>" means (`prefer`: characters in
        mind, most recent first: the first of the possessive's sex with
        such kin is the possessor)."""
        if len(words) != 2 or words[0] not in POSSESSIVES or words[1] not in KIN:
            return None
        return self._kin_of(words[1], prefer, POSSESSIVES[words[0]])

    def called(self, forms_of_address: list[str], prefer: Sequence[str]) -> set[str]:
        """The parents a quote calls "Mother" or "papa": each the kin of the
        first one in mind who has such kin (the speaker, not yet known)."""
        kin = {ADDRESSED_KIN[form] for form in forms_of_address if form in ADDRESSED_KIN}
        return {parent for word in kin if (parent := self._kin_of(word, prefer, None))}

    def _kin_of(self, word: str, prefer: Sequence[str], possessor_sex: str | None) -> str | None:
        sex, kin_side, possessor_side = KIN[word]
        in_mind = list(dict.fromkeys(prefer))
        for possessor in in_mind:
            if possessor_sex and self.gender.get(possessor) != possessor_sex:
                continue
            family = self._surnames(possessor, possessor_side)
            kin = [
                name
                for name in self.surnames
                if name != possessor
                and self.gender.get(name) == sex
                and family & self._surnames(name, kin_side)
            ]
            if len(kin) == 1:
                return kin[0]
            chosen = next((name for name in in_mind if name in kin), None)
            if chosen:
                return chosen
        return None

    def _surnames(self, character: str, side: str) -> set[str]:
        by_title = self.surnames.get(character, {})
        if side != "blood":
            return by_title.get(side, set())
        return set().union(*(names for title, names in by_title.items() if title != "mrs."))
