"""Speech tags: the words around a quote that say who speaks ("said Gene",
"she asked", "Gene turned to her and said:"). Who is spoken to is found by
`vocatives.py`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from storycast.text.kin import KIN

SPEECH_VERBS = frozenset(
    """
    said says say saying asked asks ask asking replied replies reply answered answers muttered
    mutters murmured murmurs whispered whispers shouted shouts yelled yells cried cries called
    calls snapped snaps growled growls sighed sighs added adds continued continues began begins
    insisted insists protested protests exclaimed exclaims demanded demands barked barks
    grumbled grumbles grunted grunts hissed hisses laughed laughs chuckled chuckles giggled
    snorted sneered scoffed groaned moaned whimpered pleaded pleads begged begs agreed agrees
    argued argues admitted admits announced announces offered offers suggested suggests warned
    warns told tells repeated repeats corrected interrupted interrupts observed observes
    remarked remarks noted notes explained explains declared declares retorted retorts
    responded responds stammered stuttered blurted drawled breathed roared bellowed screamed
    shrieked squeaked sniffed huffed purred teased joked mocked quipped conceded ventured
    wondered wonders queried inquired enquired echoed echoes gasped panted spat sang sings
    chimed piped mumbled mumbles rasped croaked wheezed snarled countered confirmed ordered
    commanded instructed pursued persisted resumed rejoined returned urged exclaimed objected
    assented assented acknowledged affirmed assured assures complained cautioned consented
    decided demurred faltered hazarded implored interposed interjected lamented maintained
    mused pondered prompted proposed reasoned recalled reflected remonstrated reminded
    reported retorted sobbed soothed stated thought thinks think whined wailed went goes
    answered rejoined broke burst struck put called explained screeched thundered yelped
    hollered sputtered spluttered mouthed intoned blustered chirped cooed crowed gushed
    simpered snickered tittered trilled volunteered vowed pressed prompted prodded concluded
    ended finished cut supplied accosted addressed confided ejaculated promised asserted
    confessed entreated proclaimed questioned howled spoke spoken mourned quavered informed greeted
    accused agreed
    apologized apologised
""".split()
)
SPEECH_VERB = r"(?:" + "|".join(sorted(SPEECH_VERBS, key=len, reverse=True)) + r")"
PRONOUN_GENDER = {
    "he": "male",
    "him": "male",
    "his": "male",
    "himself": "male",
    "she": "female",
    "her": "female",
    "hers": "female",
    "herself": "female",
}
_TITLE = r"(?:Mr|Mrs|Ms|Dr|St|Mme|Mlle|M|Rev|Capt|Col|Gen|Lt|Sgt|Prof)\.?"
_CAP = r"[A-Z][\w'’-]*"
_PARTICLE = r"(?:(?:van|von|der|den|de|du|da|di|del|della|le|la|ten|ter)\s+)"
NAME = (
    rf"(?:(?:[A-Z]\.){{1,4}}\s+|{_TITLE}\s+{_PARTICLE}*)?{_CAP}"
    rf"(?:\s+{_PARTICLE}*(?:{_TITLE}\s+)?{_CAP})*"
)
"""A run of capitalised words, with titles and particles (Mr. Weston, D.I.
Alex Drake, Mr. van der Berg)."""
_DETERMINER = r"(?:the|a|an|his|her|my|our|their|your|this|that)"
_DESCRIPTION = (
    rf"{_DETERMINER}\s+(?:{_CAP}(?:\s+{_CAP})*\b|(?:[a-z][\w-]*\s+){{0,2}}?[A-Za-z][\w-]*)"
)
"""The porter, the old man, the March Hare (a role used as a name)."""
_DESCRIPTION_ENDED = (
    rf"{_DETERMINER}\s+(?:[a-z][\w-]*\s+){{0,3}}?(?:{_CAP}(?:\s+{_CAP})*\b|[a-z][\w-]*"
    r"(?=\s*(?:[,.;:!?—–-]|$)|\s+(?:\w+ly|to|with|as|and|in|at|who|from|for|again|behind|beside|by|"
    r"on|of|near|over|into|across|while|when)\b))"
)
"""A description that ends the tag (said the old man, to his wife)."""
_EPITHET = r"(?:(?:old|young|little|poor|dear|good|big)\s+)"
_VERB_PARTICLE = r"(?:\s+(?:out|up|in|back|forth))?"
_PRONOUN = r"(?:he|she|He|She|I|they|They|we|We)"
MENTION = rf"(?:{_PRONOUN}|{NAME}|{_DESCRIPTION})"
_ADVERB = r"(?:\s+\w+ly)?"
_AUXILIARY = (
    r"(?:\s+(?:had|has|would|will|could|should|might|must|did|used\s+to)(?:\s+have)?|['’]d)"
    r"(?:\s+(?:only|then|always|often|sometimes|just))?"
)
"""she had said, he would say, she'd only say"""
_AFTER_QUOTE = [  # narration that starts right after a quote
    re.compile(
        rf"^(?:{SPEECH_VERB}|came){_VERB_PARTICLE}{_ADVERB}\s+"
        rf"({_EPITHET}?{NAME}|he|she|I|{_DESCRIPTION_ENDED})\b"
    ),
    re.compile(rf"^({MENTION}){_ADVERB}(?:{_AUXILIARY})?\s+{SPEECH_VERB}{_VERB_PARTICLE}\b"),
    re.compile(rf"^({MENTION}),\s+[^,\"“”]{{1,60}},\s+{SPEECH_VERB}\b"),
    # "...," was Sir Walter's cold inquiry.
    re.compile(rf"^(?:was|came)\s+({NAME})['’]s\s+(?:[a-z]+\s+){{0,3}}?[a-z]+\b"),
    # an inverted tag with any verb: "...," confided Anne
    re.compile(rf"^[a-z]+ed{_ADVERB}\s+({NAME})\b(?!\s+(?:and|to|with|from|for|at)\b)"),
]
_ACTION_AFTER_QUOTE = re.compile(rf"^({_PRONOUN}|{NAME}){_ADVERB}\s+([a-z]+ed)\b")
_SENTENCE_BREAK = r"(?<!\bMr)(?<!\bMrs)(?<!\bDr)(?<!\bSt)(?<!\bMs)(?<!\b[A-Z])[.!?;](?:\s+|--)|--|—"
_BEFORE_QUOTE = re.compile(  # the clause that ends in a speech verb, just before the quote
    rf"^.*\b(?P<verb>{SPEECH_VERB})\b(?:"  # the last such verb (called Helen, while Margaret said:)
    rf"{_ADVERB}(?:\s+(?:to|at)\s+\w+)?(?:\s+\w+ly)?\s*[.—–-]*"  # Gene said to Alex.
    rf"|[^.!?\"“”]{{0,60}}[,:—–-]+)\s*$",
    re.DOTALL,
)  # Mr. Darcy replied with great intrepidity,
_OBJECT_BEFORE = re.compile(
    r"\b(?:to|at|with|from|of|for|by|on|upon|towards?|about|after|before|like|than|heard|"
    r"saw|watched|asked|told|addressed|accosted|followed|interrupted|seeing|hearing)\s+$",
    re.I,
)
_POSSESSIVE_BEFORE = re.compile(
    rf"({NAME})['’]s\s+(?:[a-z]+\s+){{0,3}}?(?:was|were)\b[^.!?\"“”]{{0,40}}[,:—–-]\s*$"
)
_REPLY = re.compile(
    r"^(?:was|came)\s+(?:(his|her|the)\s+(?:[a-z]+\s+){0,2}?)?(?:answer|reply|response|retort|"
    r"rejoinder|remark|comment|observation|exclamation|cry|question|view|verdict|voice)\b"
    rf"(?:\s+of\s+({NAME}))?"
)
"""A reply named for its speaker: "was her reply", "was the view of Mr. Wadgers"."""
_SET_OFF_SUBJECT = re.compile(rf"^\s*(?:{NAME}|[Hh]e|[Ss]he),\s[^.!?\"“”]*,\s*$")
"""A clause whose subject a comma sets off from the verb: "Diana, going to
the gable where Anne stood, (said)"."""
_CLAUSE_MENTION = re.compile(rf"\b(?:{NAME}|[Hh]e|[Ss]he|I|{_DESCRIPTION})\b")
_SUBJECT_COLON = re.compile(rf"(?:^|[.!?]\s+)({NAME}|he|she|He|She)\b[^.!?\"“”]{{0,100}}:\s*$")
TagKind = Literal["name", "pronoun", "first-person", "description", "plural", "anonymous"]


@dataclass(frozen=True)
class Tag:
    """A speech tag found in narration: who it names and how."""

    kind: TagKind
    mention: str
    """The words that name the speaker ("Gene", "he", "the waiter")."""
    verb: bool
    """True when a speech verb links mention and quote; False for an action
    ("he laughed") or a colon after a sentence about someone."""


def tag_after(narration: str, quote: str = "") -> Tag | None:
    """A tag at the start of narration that follows a quote ("," said Gene)."""
    text = narration.strip().lstrip("-—–,; ")
    reply = _REPLY.match(text)
    if reply and (reply.group(1) or text.startswith("came")):
        # "...," was her reply / was the view of Mr. Wadgers / came (the) answer
        owner = reply.group(2) or {"his": "he", "her": "she"}.get(reply.group(1), "")
        return _tag(owner, True) if owner else Tag("anonymous", "", True)
    for pattern in _AFTER_QUOTE:
        match = pattern.match(text)
        if match:
            return _tag(match.group(1), True)
    if quote.rstrip().endswith(","):  # "...," she read out: a comma asks for a tag
        loose = re.match(
            rf"^({_PRONOUN}|{NAME}|the\s+{_CAP}(?:\s+{_CAP})*)\s+(?:\w+ly\s+)?[a-z]+\b", text
        )
        if loose:
            return _tag(loose.group(1), True)
    if quote.rstrip().endswith((",", "—", "–", "-", "!", "?")):
        action = _ACTION_AFTER_QUOTE.match(text)
        if action:
            return _tag(action.group(1), False)
    return None


def tag_before(narration: str) -> Tag | None:
    """A tag at the end of narration that leads into a quote (Gene said:)."""
    tags = tags_before(narration)
    return tags[0] if tags else None


def tags_before(narration: str) -> list[Tag]:
    """The candidates of a tag before a quote, in order: the mentions in the
    clause that ends with a speech verb (After a pause, Mr. Bennet observed,),
    names and pronouns before descriptions."""
    text = narration.strip()[-300:]
    verb = _BEFORE_QUOTE.search(text)
    if verb:
        breaks = [m.end() for m in re.finditer(_SENTENCE_BREAK, text[: verb.start("verb")])]
        clause = text[breaks[-1] if breaks else 0 : verb.start("verb")]
        tags = _clause_mentions(clause)
        if not tags and len(breaks) > 1:  # "...; and with fewer struggles, replied,"
            tags = _clause_mentions(text[breaks[-2] : breaks[-1]])
        # Nearest the verb first (After a pause, Mr. Bennet observed,), names and
        # pronouns before descriptions; but a subject set off by commas comes
        # first (Diana, going to where Anne stood, said gently:).
        nearest = [t for t in reversed(tags) if t.kind != "plural"]
        if _SET_OFF_SUBJECT.match(clause) and len(nearest) > 1:
            nearest.insert(0, nearest.pop())
        return sorted(nearest, key=lambda t: t.kind == "description")
    possessive = _POSSESSIVE_BEFORE.search(text)
    if possessive:  # Mary's declaration was,
        return [_tag(possessive.group(1), True)]
    colon = _SUBJECT_COLON.search(text)
    return [_tag(colon.group(1), False)] if colon else []


_OPENER = (
    r"(?:Then|And|But|So|Now|Still|Yet|Soon|Suddenly|Finally|Meanwhile|Instead|Again|Once|Even|"
    r"Only|Just|Slowly|Quickly|Later|Afterwards|Here|There)"
)
"""Words that open a sentence before its subject (Then he slid across)."""
_NOT_SUBJECT = (
    rf"(?:{_OPENER}|When|While|As|If|Though|Although|Because|Before|After|Until|With|Without|"
    r"In|At|On|For|From|By|Of|To|Into|Upon|Under|Over|Through|Across|Along|Behind|Beside|"
    r"During|Despite|A|An|His|Her|Their|Its|My|Our|It|This|That|These|Those|What|How|Why|All)\b"
)
"""Capitalised words that start a sentence but name nobody."""
_KIN_SUBJECT = rf"[Hh](?:is|er)\s+(?:{'|'.join((*KIN, 'aunt', 'uncle'))})"
"""Kin as a sentence's subject (Her mother smiled): `kin.py`, and the ranks
of kin in `names.RANKS`."""
_SENTENCE_SUBJECT = re.compile(
    rf"(?:^|[.!?;:]\s+|\b(?:then|and)\s+)(?:(?:Next|That|This|Later|Early|Late|By|At|In|On|All)"
    rf"(?:\s+[a-z]+){{1,2}},?\s+|{_OPENER},?\s+)?"  # Next morning Gene stormed in; Then he slid
    rf"({_KIN_SUBJECT}|(?!{_NOT_SUBJECT})(?:[Tt]he\s+(?:[a-z]+\s+)?(?:[a-z]+|{_CAP})|{NAME}|[Hh]e|[Ss]he))\b"
)


_FRONTED_SUBJECT = re.compile(r"(?:^|[.!?;]\s+)[A-Z][^.!?;:,\"“”]{2,80},\s+([Hh]e|[Ss]he)\s+[a-z]+")
"""A he/she after a fronted phrase (With a sudden movement, he stood)."""


def subjects(narration: str) -> list[tuple[int, Tag]]:
    """(position, tag) for each sentence that starts with a name or he/she:
    the characters a stretch of narration is about."""
    found = []
    for match in _SENTENCE_SUBJECT.finditer(narration):
        tag = _tag(match.group(1), False)
        if tag.kind in ("name", "pronoun", "description"):
            found.append((match.start(1), tag))
    for match in _FRONTED_SUBJECT.finditer(narration):
        if not any(match.start() <= at < match.start(1) for at, _ in found):
            found.append((match.start(1), _tag(match.group(1), False)))
    return sorted(found, key=lambda pair: pair[0])


def _clause_mentions(clause: str) -> list[Tag]:
    """Mentions in a clause that can be its subject (not after to, at, with...)."""
    return [
        _tag(m.group(0), True)
        for m in _CLAUSE_MENTION.finditer(clause)
        if not _OBJECT_BEFORE.search(clause[: m.start()])
        and not re.match(r"['’]s\b", clause[m.end() :])
    ]


def find_tags(narration: str, after_quote: bool) -> list[Tag]:
    """Both kinds of tag in one narration stretch (for cast discovery)."""
    tags = [tag_after(narration)] if after_quote else []
    tags.append(tag_before(narration))
    return [t for t in tags if t is not None]


def _tag(mention: str, verb: bool) -> Tag:
    lower = mention.lower()
    if lower in ("he", "she"):
        return Tag("pronoun", lower, verb)
    if lower == "i":
        return Tag("first-person", "I", verb)
    if lower in ("they", "we"):
        return Tag("plural", lower, verb)
    if mention[0].islower() or lower.split()[0] in ("the", "a", "an", "his", "her", "this", "that"):
        return Tag("description", lower, verb)
    return Tag("name", mention, verb)
