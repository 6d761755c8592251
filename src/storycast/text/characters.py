"""Characters: resolving mentions to cast members, and discovering a cast
(names that speak or are spoken to, aliases merged, gender inferred) when
the user gave none."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from storycast.model import Cast, Character, Script
from storycast.text.tags import NAME, PRONOUN_GENDER, find_tags, tag_after, vocatives

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
_MALE_NAMES = frozenset(
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
_FEMALE_NAMES = frozenset(
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
_NOT_NAMES = frozenset(
    """
    i the a an he she it they we you his her him them my your our their this that these those
    then but and or so yes no oh ah well now here there what who why how when where which
    god lord heaven heavens sir madam mister miss mrs mr ma'am mamma papa mama father mother
    good dear poor ah mind look come go let say tell well perhaps never nothing everything
    monday tuesday wednesday thursday friday saturday sunday january february march april may
    june july august september october november december christmas english french london
    chapter part book volume the end fin not do did does have has had is was are were be
    if all any some one two three don't can't won't i'm i'll i've you're it's that's there's
    why what's okay ok hello goodbye thanks thank please sorry hullo hallo hey
""".split()
)


@dataclass
class Names:
    """Every way a character is named -> the character's name."""

    exact: dict[str, str] = field(default_factory=dict)
    by_word: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    gender: dict[str, str] = field(default_factory=dict)
    descriptions: re.Pattern | None = None
    """Aliases that are descriptions ("the porter"), found in lowercase too."""

    @classmethod
    def from_cast(cls, cast: Cast) -> Names:
        names = cls()
        for character in cast.characters:
            names.gender[character.name] = character.gender
            for mention in (character.name, *character.aliases):
                names.exact.setdefault(_key(mention), character.name)
                for word in _key(mention).split():
                    if word not in TITLES and word not in _NOT_NAMES and len(word) > 1:
                        names.by_word[word].add(character.name)
        described = sorted(
            (m for m in names.exact if re.match(r"(?:the|an?) \w", m)), key=len, reverse=True
        )
        if described:
            names.descriptions = re.compile(
                r"\b(?:" + "|".join(re.escape(m) for m in described) + r")\b", re.IGNORECASE
            )
        return names

    def resolve(self, mention: str) -> str | None:
        """The character a name refers to, or None when unknown or ambiguous."""
        key = re.sub(r"['’]s$", "", _key(mention))
        if key in self.exact:
            return self.exact[key]
        words = key.split()
        for start in range(1, len(words)):  # "old Mr. Emerson" -> "mr. emerson"
            if " ".join(words[start:]) in self.exact:
                return self.exact[" ".join(words[start:])]
        title_gender = next((TITLES[w] for w in words if TITLES.get(w) in ("male", "female")), None)
        for word in reversed(words):
            owners = self.by_word.get(word, set())
            if title_gender:
                owners = {
                    o for o in owners if self.gender.get(o) in (title_gender, "unknown")
                } or owners
            if len(owners) == 1:
                return next(iter(owners))
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
                (m.start(), self.exact[_key(m.group(0))]) for m in self.descriptions.finditer(text)
            ]
            found.sort()
        return found


def _key(mention: str) -> str:
    return " ".join(mention.lower().replace("’", "'").split())


def discover_cast(script: Script) -> Cast:
    """Characters who are named beside a speech verb or addressed in speech,
    with aliases merged and gender guessed; most frequent first."""
    tagged: Counter[str] = Counter()
    addressed: Counter[str] = Counter()
    pronouns: dict[str, Counter[str]] = defaultdict(Counter)
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
    characters = _merge_aliases(counts, pronouns)
    return Cast(characters=tuple(_full_names(characters, narration)))


def _full_names(characters: list[Character], narration: str) -> list[Character]:
    """Longer names in the narration that contain exactly one character's
    name become aliases (Gene -> Gene Hunt, DCI Gene Hunt)."""
    owner: dict[str, int] = {}
    for number, character in enumerate(characters):
        for mention in (character.name, *character.aliases):
            for word in _key(mention).split():
                if word not in TITLES:
                    owner[word] = number if owner.get(word, number) == number else -1
    extra: dict[int, Counter[str]] = defaultdict(Counter)
    for match in re.finditer(NAME, narration):
        full = _strip_possessive(match.group(0))
        words = _key(full).split()
        if len(words) < 2 or words[0] in _NOT_NAMES or len(words) > 4:
            continue
        owners = {owner[w] for w in words if w in owner}
        if len(owners) == 1 and -1 not in owners:
            extra[owners.pop()][full] += 1
    merged = []
    for number, character in enumerate(characters):
        known = {_key(a) for a in (character.name, *character.aliases)}
        new = [name for name, n in extra[number].most_common() if _key(name) not in known]
        merged.append(Character(character.name, (*character.aliases, *new), character.gender))
    return merged


def _plausible(name: str) -> bool:
    words = _key(name).split()
    return (
        bool(words)
        and words[0] not in _NOT_NAMES
        and len(words) <= 4
        and not all(w in TITLES for w in words)
    )


def _strip_possessive(name: str) -> str:
    return re.sub(r"['’]s$", "", name.strip())


def _merge_aliases(counts: Counter[str], pronouns: dict[str, Counter[str]]) -> list[Character]:
    """Group names sharing a word (Gene / Gene Hunt / DCI Hunt); the most
    frequent name of a group is its name, the rest its aliases."""
    groups: list[list[str]] = []
    for name, _ in counts.most_common():
        words = {w for w in _key(name).split() if w not in TITLES}
        title = next((TITLES[w] for w in _key(name).split() if w in TITLES), None)
        home = None
        for group in groups:
            group_words = {w for member in group for w in _key(member).split() if w not in TITLES}
            if words & group_words and _genders_agree(title, group, pronouns):
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
        for w in _key(member).split()
        if TITLES.get(w) in ("male", "female")
    }
    return not titles or title in titles


def _gender(group: list[str], votes: Counter[str]) -> str:
    for member in group:
        for word in _key(member).split():
            if TITLES.get(word) in ("male", "female"):
                return TITLES[word]
    first = _key(group[0]).split()[0]
    if first in _MALE_NAMES:
        return "male"
    if first in _FEMALE_NAMES:
        return "female"
    if votes and votes.most_common(1)[0][1] >= 2 * (
        sum(votes.values()) - votes.most_common(1)[0][1]
    ):
        return votes.most_common(1)[0][0]
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
            gender = next(iter(votes))
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
