"""Names: every way a character is named, resolved to the character, and
the words that tell a name's gender (titles, common first names,
descriptions such as "the waiter")."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from storycast.model import Cast
from storycast.text.kin import Kin
from storycast.text.tags import NAME

TITLES = {
    "mr": "male",
    "mr.": "male",
    "mister": "male",
    "sir": "male",
    "lord": "male",
    "mrs": "female",
    "mrs.": "female",
    "miss": "female",
    "ms": "female",
    "ms.": "female",
    "lady": "female",
    "madame": "female",
    "mademoiselle": "female",
    "mme.": "female",
    "monsieur": "male",
    "m.": "male",
    "herr": "male",
    "frau": "female",
    "aunt": "female",
    "uncle": "male",
    "father": "male",
    "mother": "female",
    "dr.": "unknown",
    "dr": "unknown",
    "doctor": "unknown",
    "captain": "unknown",
    "colonel": "male",
    "major": "unknown",
    "professor": "unknown",
    "inspector": "unknown",
    "dci": "unknown",
    "di": "unknown",
    "d.i.": "unknown",
    "d.c.i.": "unknown",
    "sergeant": "unknown",
    "general": "male",
    "count": "male",
    "countess": "female",
    "prince": "male",
    "princess": "female",
    "king": "male",
    "queen": "female",
    "signor": "male",
    "signora": "female",
    "signorina": "female",
    "reverend": "male",
    "rev.": "male",
    "st.": "unknown",
    "saint": "unknown",
    "old": "unknown",
    "young": "unknown",
    "little": "unknown",
    "poor": "unknown",
    "dear": "unknown",
    "granny": "female",
}
# A small list of common first names: enough to tell most speakers' gender
# when the text uses few pronouns near the name. Names used for both stay out.
MALE_NAMES = frozenset(
    """
    aaron adam alan albert alexander alfred andrew anthony arthur ben benjamin bill bob brian
    carl charles charlie chris christopher colin dan daniel david dennis derek dick donald
    douglas edward eric ernest frank fred frederick gene geoffrey george gerald gordon graham
    harold harry henry herbert hugh ian jack jacob james jim jimmy joe john jonathan joseph
    kenneth kevin larry lawrence leonard louis luigi mark martin matthew michael nathan neil
    nicholas norman oliver patrick paul peter philip ralph ray raymond richard robert roger
    ronald roy sam samuel simon stanley stephen steven thomas tim timothy tom tony victor walter
    william willoughby edmund cecil tibby bertie fitzwilliam wickham darcy bingley ned jake
    robert bill mike luke mathew gilbert henry poirot sherlock holmes watson lawrence
""".split()
)
FEMALE_NAMES = frozenset(
    """
    ada agnes alice amanda amy angela ann anna anne barbara betty catherine charlotte chris
    christine clara claire diana dorothy edith eleanor elinor elizabeth ella ellen emily emma
    fanny florence frances grace hannah harriet helen isabel isabella jane janet jean jennifer
    jenny jessica joan julia julie kate katherine kathleen kitty laura lily lizzy lucy lydia
    margaret maria marianne marilla martha mary maud molly nancy nora olivia patricia penny
    rachel rebecca rose ruth sally sarah shaz sophie susan sylvia victoria evie dolly brett
    georgiana jemima lucy daisy louise edna adele mariequita charlotte georgina
""".split()
) - {"chris"}
NOT_NAMES = frozenset(
    """
    i the a an he she it they we you his her him them my your our their this that these those
    then but and or so yes no oh ah well now here there what who why how when where which
    god lord heaven heavens sir madam mister miss mrs mr ma'am mamma papa mama father mother
    good dear poor ah mind look come go let say tell well perhaps never nothing everything
    monday tuesday wednesday thursday friday saturday sunday january february march
    july september october november december christmas english french london
    chapter part book volume the end fin not do did does have has had is was are were be
    if all any some one two three don't can't won't i'm i'll i've you're it's that's there's
    why what's okay ok hello goodbye thanks thank please sorry hullo hallo hey
    of in at on to for with from by into upon
""".split()
)
"""Months that are also first names (April, May, June, August) are not here:
discovery tells May the character from May the month by how often the
text capitalises the word mid-sentence (`discovery.Openers`)."""


PLACE_WORDS = frozenset(
    """
    street road lane avenue square place crescent terrace gardens row hill park court hall house
    manor castle abbey lodge cottage farm mill tower towers gate bridge station church chapel
    cathedral college school university hospital hotel inn arms tavern club bank company ltd
    limited motors garage recovery salvage brothers industries estate building wood woods
    forest lake river bay island
""".split()
)
"""Last words of a capitalised run that make it a place or a firm, not a person."""

_RANK_WORDS = """
    doctor captain colonel major professor inspector sergeant general admiral lieutenant
    count countess prince princess king queen duke duchess baron baroness marquis earl
    reverend vicar rector judge squire aunt uncle granny
    monsieur madame mademoiselle signor signore signora signorina herr frau fraulein
""".split()
RANKS = {
    **{word: word for word in _RANK_WORDS},
    **dict.fromkeys(("dr", "dr."), "doctor"),
    "rev.": "reverend",
    **dict.fromkeys(("mlle", "mlle."), "mademoiselle"),
    **dict.fromkeys(("mme", "mme."), "madame"),
}
"""Titles of rank, office or kin, and foreign honorifics, that also stand
alone for the one who holds them: "said the Colonel" is Colonel Brandon,
"her aunt" is Aunt Polly, "replied Mademoiselle" is Mademoiselle Reisz."""
_BEFORE_RANK = frozenset("the his her my your our their old young little poor dear good".split())
"""Words that may open a rank alone: "said the (bewildered) Colonel", "old Doctor"."""


@dataclass
class Names:
    """Every way a character is named -> the character's name."""

    exact: dict[str, str] = field(default_factory=dict)
    by_word: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    untitled: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    """Per word, the characters with a name that uses it without a title
    (Ralph Denham, not Mrs. Denham): who a bare "Denham" means."""
    by_rank: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    """Per rank (`RANKS`), the characters a name gives it."""
    kin: Kin = field(default_factory=Kin)
    """Who "her mother" or "his wife" is, by surnames and titles."""
    gender: dict[str, str] = field(default_factory=dict)
    descriptions: re.Pattern | None = None
    """Aliases that are descriptions ("the porter"), found in lowercase too."""

    @classmethod
    def from_cast(cls, cast: Cast) -> Names:
        names = cls()
        names.kin = Kin(names.gender)
        for character in cast.characters:
            names.gender[character.name] = character.gender
            for mention in (character.name, *character.aliases):
                names.exact.setdefault(name_key(mention), character.name)
                words = name_key(mention).split()
                titled = any(w in TITLES for w in words)
                names.kin.add(character.name, words)
                for word in words[:-1]:  # "Count Mippipopolous", not "the Count"
                    if word in RANKS:
                        names.by_rank[RANKS[word]].add(character.name)
                for word in words:
                    if word not in TITLES and word not in NOT_NAMES and len(word) > 1:
                        names.by_word[word].add(character.name)
                        if not titled:
                            names.untitled[word].add(character.name)
        described = sorted(
            (m for m in names.exact if re.match(r"(?:the|an?) \w", m)), key=len, reverse=True
        )
        if described:
            names.descriptions = re.compile(
                r"\b(?:" + "|".join(re.escape(m) for m in described) + r")\b", re.IGNORECASE
            )
        return names

    def resolve(self, mention: str, prefer: Sequence[str] = ()) -> str | None:
        """The character a name refers to, or None when unknown or ambiguous
        (`prefer`: characters in mind, most recent first, who settle an
        ambiguous name: "Charles" is the Charles just seen)."""
        key = re.sub(r"['’]s$", "", name_key(mention))
        if key in self.exact:
            return self.exact[key]
        words = key.split()
        for start in range(1, len(words)):  # "old Mr. Emerson" -> "mr. emerson"
            if " ".join(words[start:]) in self.exact:
                return self.exact[" ".join(words[start:])]
        if len(words) > 1 and words[-1] in PLACE_WORDS:
            return None  # Baker Street, Fratelli Recovery: a place named after someone
        if (
            words
            and words[-1] in RANKS
            and (len(words) == 1 or words[0] in _BEFORE_RANK and len(words) <= 3)
        ):
            ranked = _one_of(self.by_rank.get(RANKS[words[-1]], set()), prefer)
            if ranked:
                return ranked
        kin = self.kin.resolve(words, prefer)
        if kin:
            return kin
        title_gender = next((TITLES[w] for w in words if TITLES.get(w) in ("male", "female")), None)
        for word in reversed(words):
            owners = self.by_word.get(word, set())
            if title_gender:
                owners = {
                    o for o in owners if self.gender.get(o) in (title_gender, "unknown")
                } or owners
            if len(owners) > 1 and not title_gender:
                owners = owners & self.untitled.get(word, set()) or owners
            found = _one_of(owners, prefer)
            if found:
                return found
        if len(words) > 2 and words[0] == "the" and not words[-2].endswith("'s"):
            # "the colonel stood": a sentence's subject and its verb
            return self.resolve(" ".join(words[:-1]), prefer)
        return None

    def mentions(self, text: str) -> list[tuple[int, str]]:
        """(position, character) for each character named in a stretch of text."""
        found = []
        for match in re.finditer(NAME, text):
            name = self.resolve(match.group(0))
            if name:
                found.append((match.start(), name))
        if self.descriptions is not None:
            found += [
                (m.start(), self.exact[name_key(m.group(0))])
                for m in self.descriptions.finditer(text)
            ]
            found.sort()
        return found


def _one_of(owners: set[str], prefer: Sequence[str]) -> str | None:
    """The only owner, or the first of them in `prefer`."""
    if len(owners) == 1:
        return next(iter(owners))
    return next((name for name in prefer if name in owners), None)


def name_key(mention: str) -> str:
    return " ".join(mention.lower().replace("’", "'").split())


DESCRIPTION_GENDER = {
    "man": "male",
    "gentleman": "male",
    "boy": "male",
    "lad": "male",
    "fellow": "male",
    "husband": "male",
    "father": "male",
    "brother": "male",
    "son": "male",
    "uncle": "male",
    "waiter": "male",
    "king": "male",
    "youth": "male",
    "chap": "male",
    "sir": "male",
    "woman": "female",
    "lady": "female",
    "girl": "female",
    "wife": "female",
    "mother": "female",
    "sister": "female",
    "daughter": "female",
    "aunt": "female",
    "waitress": "female",
    "queen": "female",
    "maid": "female",
    "widow": "female",
    "landlady": "female",
}


def description_gender(mention: str) -> str | None:
    for word in reversed(mention.split()):
        if word in DESCRIPTION_GENDER:
            return DESCRIPTION_GENDER[word]
        if TITLES.get(word) in ("male", "female"):
            return TITLES[word]
    return None
