"""Vocatives: the names a quote addresses ("Bolly, sit down." / "Not now,
Gene."). The one addressed is rarely the one speaking."""

from __future__ import annotations

import re

from storycast.text.tags import NAME

_VOCATIVE_START = re.compile(
    rf"^(?:(?i:oh|ah|well|now|yes|no|look|listen|come|please|hello|hullo|good\s+\w+),?\s+)?"
    rf"(?:(?i:my\s+)?(?i:dear|dearest)\s+)?({NAME})\s*[,!?]"
)
_VOCATIVE_END = re.compile(
    rf",\s*(?:(?:my\s+)?(?:dear|dearest|poor|old)\s+)?({NAME})\s*[.!?…—,-]*\s*$"
)
_VOCATIVE_MIDDLE = re.compile(
    r"(?<=[,.!?])(?<!\bMr\.)(?<!\bMrs\.)(?<!\bMs\.)(?<!\bDr\.)(?<!\bSt\.)"  # not "Mrs. Walker"
    rf"\s+(?:(?:my\s+)?(?:dear|dearest)\s+)?({NAME})(?=,\s|\s*(?:--|—|–)|[!?;.]\s)"
)
"""A name between punctuation ("No, Kitty, I have", "That will do, Fannie. I
know"); only the name is taken, so the comma after it can open the next."""
_REPORTED = re.compile(r"\b(?:says|said|asks|asked|tells\s+\w+|told\s+\w+)\s*,?\s*$", re.IGNORECASE)
"""Words that open reported speech: in "he says, Enzo, take it away" the name
is addressed by someone the speaker quotes, not by the speaker."""
_NOT_VOCATIVE = {
    "I",
    "Oh",
    "Ah",
    "Yes",
    "No",
    "Well",
    "Now",
    "Sir",
    "Madam",
    "God",
    "Lord",
    "Then",
    "But",
    "And",
    "So",
    "Look",
    "Listen",
    "Come",
    "Please",
    "Thank",
    "Thanks",
    "Hello",
    "Hullo",
    "Mr",
    "Mrs",
    "Ms",
    "Dr",
    "St",
    "Good",
    "Indeed",
    "Really",
    "Quite",
    "Certainly",
    "Perhaps",
    "Why",
    "Heavens",
    "Goodness",
    "Mamma",
    "Papa",
    "Mother",
    "Father",
    "Ma'am",
    "O",
    "Dear",
    "Surely",
    "Ha",
    "Hush",
    "Nonsense",
    "Here",
    "There",
    "Morning",
    "Evening",
    "Afternoon",
    "Night",
    "Cheers",
    "Right",
    "Okay",
    "Sorry",
    "Bye",
    "Goodbye",
    "Hi",
    "Hey",
    "Sure",
    "Fine",
    "Great",
    "Exactly",
    "Wait",
    "Stop",
    "Absolutely",
    "Alright",
    "All",
    "Aye",
    "Nah",
    "Yeah",
    "Yep",
    "Nope",
    "Christ",
    "Jesus",
    "Damn",
    "Blimey",
    "Bloody",
    "Honestly",
    "Seriously",
    "Excuse",
    "Pardon",
    "Welcome",
    "Congratulations",
    "Cheerio",
    "Ta",
    "What",
}


def vocatives(quote: str) -> list[str]:
    """Names addressed in a quote ("Bolly, sit down." / "Not now, Gene.")."""
    found = []
    for pattern in (_VOCATIVE_START, _VOCATIVE_END):
        match = pattern.search(quote)
        if match:
            found.append(match.group(1))
    found += _middle(quote, reported=False)
    found = [re.split(r"--|—|–", name)[-1] for name in found]  # "Why--Emma, what is it?"
    return [name for name in found if name and name.split()[0] not in _NOT_VOCATIVE]


def reported_vocatives(quote: str) -> list[str]:
    """Names addressed in speech the quote reports ("he says, Enzo, take it
    away"): often the speaker's own name, so they do not count against him."""
    return _middle(quote, reported=True)


def _middle(quote: str, reported: bool) -> list[str]:
    """Names addressed mid-quote, by the speaker or (`reported`) in speech
    the speaker reports."""
    return [
        m.group(1)
        for m in _VOCATIVE_MIDDLE.finditer(quote)
        if bool(_REPORTED.search(quote[: m.start() + 1])) == reported
    ]


_ADDRESS_GENDER = {
    **dict.fromkeys(
        "sir sire mister signore signor monsieur señor senor guv guv'nor governor lad laddie "
        "sonny papa pa dad daddy father uncle brother grandpa my_lord milord my_boy my_man "
        "my_son young_man old_man old_chap old_boy old_fellow".split(),
        "male",
    ),
    **dict.fromkeys(
        "madam ma'am ma’am madame mademoiselle miss missus mistress signora signorina señora "
        "senora señorita senorita lass lassie mamma mama ma mum mummy mom mother aunt auntie "
        "sister grandma granny my_lady milady my_girl young_lady old_girl".split(),
        "female",
    ),
}
_ADDRESS = re.compile(
    r"(?:^|[,.!?;:]\s*)("
    + "|".join(
        re.escape(word).replace("_", r"\s+")
        for word in sorted(_ADDRESS_GENDER, key=len, reverse=True)
    )
    + r")(?=\s*(?:[,.!?;:…—–-]|$))",
    re.IGNORECASE,
)


def address_gender(quote: str) -> str | None:
    """The gender a quote's form of address names ("Yes, sir." / "Ma'am, sit
    down."): whoever answers is likely of it. None when there is none, or both."""
    found = {_ADDRESS_GENDER[form] for form in forms_of_address(quote)}
    return found.pop() if len(found) == 1 else None


def forms_of_address(quote: str) -> list[str]:
    """The forms of address a quote uses, lower case ("sir", "my_lady", "mother")."""
    return ["_".join(m.group(1).lower().split()) for m in _ADDRESS.finditer(quote)]
