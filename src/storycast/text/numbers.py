"""Numbers, dates, times and money as people say them, in words, so every
engine reads them the same way ("£3.50" -> "three pounds fifty")."""

from __future__ import annotations

import re

_ONES = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen "
    "fourteen fifteen sixteen seventeen eighteen nineteen"
).split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()
_SCALES = ((10**12, "trillion"), (10**9, "billion"), (10**6, "million"), (1000, "thousand"))
_ORDINAL_ENDINGS = {
    "one": "first",
    "two": "second",
    "three": "third",
    "five": "fifth",
    "eight": "eighth",
    "nine": "ninth",
    "twelve": "twelfth",
}
MONTHS = (
    "January February March April May June July August September October November December"
).split()
_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
_CURRENCIES = {
    "£": ("pound", "pounds", "penny", "pence"),
    "$": ("dollar", "dollars", "cent", "cents"),
    "€": ("euro", "euros", "cent", "cents"),
}


def cardinal(n: int) -> str:
    if n < 0:
        return f"minus {cardinal(-n)}"
    if n < 20:
        return _ONES[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return _TENS[tens] + (f"-{_ONES[ones]}" if ones else "")
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        return f"{_ONES[hundreds]} hundred" + (f" and {cardinal(rest)}" if rest else "")
    for size, name in _SCALES:
        if n >= size:
            high, rest = divmod(n, size)
            tail = (
                ""
                if not rest
                else (f" and {cardinal(rest)}" if rest < 100 else f" {cardinal(rest)}")
            )
            return f"{cardinal(high)} {name}{tail}"
    return str(n)


def ordinal(n: int) -> str:
    words = cardinal(n)
    head, _, last = (
        words.rpartition(" ") if "-" not in words.rsplit(" ", 1)[-1] else words.rpartition("-")
    )
    joiner = "-" if "-" in words.rsplit(" ", 1)[-1] else " "
    if last in _ORDINAL_ENDINGS:
        last = _ORDINAL_ENDINGS[last]
    elif last.endswith("y"):
        last = last[:-1] + "ieth"
    else:
        last += "th"
    return f"{head}{joiner}{last}" if head else last


def year(n: int) -> str:
    """1984 -> nineteen eighty-four; 2004 -> two thousand and four; 1900 -> nineteen hundred."""
    if 2000 <= n <= 2009 or n < 1000 or n > 9999:
        return cardinal(n)
    high, low = divmod(n, 100)
    if low == 0:
        return f"{cardinal(high)} hundred"
    return f"{cardinal(high)} {'oh ' + _ONES[low] if low < 10 else cardinal(low)}"


_ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}
_NUMBERED = re.compile(r"\b(chapter|part|book|volume|act|scene)\s+([ivxlcdm]+)\b(?!['’])", re.I)


def roman(numeral: str) -> int | None:
    """XIV -> 14; None when it is not a well-formed numeral."""
    values = [_ROMAN[ch] for ch in numeral.lower()]
    total = sum(
        -v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values)
    )
    return total if 0 < total < 4000 and _to_roman(total) == numeral.lower() else None


def _to_roman(n: int) -> str:
    out = ""
    for value, letters in (
        (1000, "m"),
        (900, "cm"),
        (500, "d"),
        (400, "cd"),
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    ):
        count, n = divmod(n, value)
        out += letters * count
    return out


def say_numbered_parts(text: str) -> str:
    """'Chapter XIV' -> 'Chapter fourteen' (only after a word that numbers parts)."""

    def say(match: re.Match) -> str:
        value = roman(match.group(2))
        return f"{match.group(1)} {cardinal(value)}" if value else match.group(0)

    return _NUMBERED.sub(say, text)


def say_numbers(text: str) -> str:
    """Every number-like run in `text` in words."""
    for pattern, say in _RULES:
        text = pattern.sub(say, text)
    return text


def _money(match: re.Match) -> str:
    one, many, small_one, small_many = _CURRENCIES[match.group(1)]
    whole = int(match.group(2).replace(",", ""))
    cents = int(match.group(3)) if match.group(3) else 0
    words = f"{cardinal(whole)} {one if whole == 1 else many}"
    if cents:
        words += (
            f" {cardinal(cents)}"
            if match.group(1) == "£"
            else f" and {cardinal(cents)} {small_one if cents == 1 else small_many}"
        )
    return words


def _time(match: re.Match) -> str:
    hour, minute, half = int(match.group(1)), int(match.group(2) or 0), match.group(3)
    if hour > 24 or minute > 59:
        return match.group(0)
    spoken = cardinal(hour)
    if match.group(2) is not None:
        spoken += (
            " o'clock"
            if minute == 0 and not half
            else (
                f" oh {_ONES[minute]}"
                if 0 < minute < 10
                else (f" {cardinal(minute)}" if minute else "")
            )
        )
    if half:
        spoken += " a m" if half.lower().startswith("a") else " p m"
    return spoken


def _day_month(match: re.Match) -> str:
    return f"the {ordinal(int(match.group(1)))} of {_month(match.group(2))}"


def _month_day(match: re.Match) -> str:
    return f"{_month(match.group(1))} the {ordinal(int(match.group(2)))}"


def _month(abbreviation: str) -> str:
    return next(m for m in MONTHS if m.lower().startswith(abbreviation.lower()[:3]))


def _money_scaled(match: re.Match) -> str:
    """$1.5 million -> one point five million dollars."""
    _, many, _, _ = _CURRENCIES[match.group(1)]
    scale = {"k": "thousand", "m": "million", "bn": "billion"}.get(
        match.group(3).lower(), match.group(3).lower()
    )
    return f"{say_numbers(match.group(2))} {scale} {many}"


_RULES: list[tuple[re.Pattern, object]] = [
    (
        re.compile(r"([£$€])\s?(\d+(?:\.\d+)?)\s?(thousand|million|billion|bn|k|m)\b", re.I),
        _money_scaled,
    ),
    (re.compile(r"([£$€])\s?(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d\d))?\b"), _money),
    (
        re.compile(r"\b(\d+)p\b"),
        lambda m: f"{cardinal(int(m.group(1)))} {'penny' if m.group(1) == '1' else 'pence'}",
    ),
    (re.compile(r"\b(\d{1,2}):(\d\d)(?:\s*([ap])(?:\.m\.|m\b))?", re.I), _time),
    (
        re.compile(r"\b(\d{1,2})\s*([ap])(?:\.m\.|m\b)", re.I),
        lambda m: f"{cardinal(int(m.group(1)))} {m.group(2).lower()} m",
    ),
    (re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?(?:\s+of)?\s+({_MONTH})\b\.?"), _day_month),
    (re.compile(rf"\b({_MONTH})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?!:)"), _month_day),
    (
        re.compile(
            rf"\b((?:in|of|since|by|until|till|from|around|circa|during|year|summer|"
            rf"winter|spring|autumn|{_MONTH})[ ,]\s*)(1[1-9]\d\d|20\d\d)\b"
        ),
        lambda m: m.group(1) + year(int(m.group(2))),
    ),
    (re.compile(r"\b(1[1-9]\d\d|20\d\d)s\b"), lambda m: _plural(year(int(m.group(1))))),
    (re.compile(r"\b(\d+)(?:st|nd|rd|th)\b"), lambda m: ordinal(int(m.group(1)))),
    (re.compile(r"\b(\d+)\s?%"), lambda m: f"{cardinal(int(m.group(1)))} percent"),
    (
        re.compile(r"\b(\d+)\.(\d+)\b"),
        lambda m: (
            f"{cardinal(int(m.group(1)))} point {' '.join(_ONES[int(d)] for d in m.group(2))}"
        ),
    ),
    (
        re.compile(r"\b\d{1,3}(?:,\d{3})+\b|\b\d+\b"),
        lambda m: cardinal(int(m.group(0).replace(",", ""))),
    ),
]


def _plural(words: str) -> str:
    return words[:-1] + "ies" if words.endswith("y") else words + "s"
