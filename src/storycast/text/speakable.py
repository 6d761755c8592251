"""speakable: what the engine is given. Lexicon entries first (a respelling,
or the engine's own phonemes), then abbreviations, numbers, dates, times and
money in words; quote marks, decorations and emoticons go. Apart from a
lexicon's phoneme entries the text stays plain text.

The last step is the one gate to the engines: control characters (espeak-ng
reads \x01 followed by digits as an in-band command), private-use characters,
surrogates and non-characters never reach an engine, whether they came from a
story, a script.yaml or a lexicon value. The lexicon's placeholders are
private-use characters, so story text is cleared of those before any are set."""

from __future__ import annotations

import re
import unicodedata

from storycast.model import Line
from storycast.text.lexicon import Lexicon
from storycast.text.numbers import say_numbered_parts, say_numbers

# Dotted forms are abbreviations wherever they stand; bare ones (DI, Mr) only
# before a capitalised name, so "DC" in other uses is kept.
_TITLES = [
    (r"D\.?\s?C\.?\s?I\.?", "Detective Chief Inspector"),
    (r"D\.?\s?S\.?\s?I\.?", "Detective Superintendent"),
    (r"D\.?\s?I\.?", "Detective Inspector"),
    (r"D\.?\s?S\.?", "Detective Sergeant"),
    (r"D\.?\s?C\.?", "Detective Constable"),
    (r"W\.?\s?P\.?\s?C\.?", "Woman Police Constable"),
    (r"P\.?\s?C\.?", "Police Constable"),
    (r"Mr\.?", "Mister"),
    (r"Mrs\.?", "Missus"),
    (r"Ms\.?", "Miz"),
    (r"Dr\.?", "Doctor"),
    (r"Prof\.?", "Professor"),
    (r"Capt\.?", "Captain"),
    (r"Sgt\.?", "Sergeant"),
    (r"Insp\.?", "Inspector"),
    (r"St\.?", "Saint"),
]
_BEFORE_NAME = [(re.compile(rf"\b{pattern}(?=\s+[A-Z])"), words) for pattern, words in _TITLES]
_DOTTED = [
    (re.compile(rf"(?<![\w.])({pattern.replace(chr(92) + '.?', chr(92) + '.')})(?!\w)"), words)
    for pattern, words in _TITLES
    if pattern.count(r"\.?") >= 2
]
# "Baker St" / "Baker St." after a capitalised word is a street.
_SENTENCE_STARTS = "The|Then|He|She|It|They|We|I|But|And|A|An|His|Her|There|This|That"
_STREET = re.compile(
    rf"\b([A-Z][a-z]+ )St\b(?:\.(?=\s+[a-z]))?"
    rf"(?!\.?\s+(?!(?:{_SENTENCE_STARTS})\b)[A-Z][a-z])"
)
_OTHER = [
    (re.compile(r"\be\.g\.", re.I), "for example"),
    (re.compile(r"\bi\.e\.", re.I), "that is"),
    (re.compile(r"\betc\.", re.I), "et cetera"),
    (re.compile(r"\bvs?\.(?=\s)"), "versus"),
]
_EMOTICON = re.compile(
    r"(?<!\w)(?:[:;=8][\-'^o]?[()\[\]DPpOo3/\\|*$@]+|<3+|\^_*\^|[xX]D+|"
    r"[Tt]_[Tt]|[oO]_[oO]|-_-)(?!\w)"
)
_DECORATION = re.compile(r"[*_~#<>|\\{}\[\]=+^`]+")
_QUOTE_MARKS = re.compile(r"[\"“”„«»‘]")
_HOLD = re.compile("\ue000([\ue100-\uefff])\ue001")  # no digits: numbers are read after


def speakable(lines: list[Line], lexicon: Lexicon | None = None) -> list[Line]:
    """Lines with engine-ready text; lines left with nothing to say are dropped."""
    ready = []
    for line in lines:
        text = speakable_text(
            line.text,
            heading=line.segment.kind == "heading",
            lexicon=lexicon,
            engine=line.profile.engine,
        )
        if text:
            ready.append(Line(line.chapter, line.segment, line.profile, text))
    return ready


def speakable_text(
    text: str, heading: bool = False, lexicon: Lexicon | None = None, engine: str = "espeak"
) -> str:
    """The words the engine says for `text`: lexicon, abbreviations, numbers, no decoration."""
    held: list[str] = []
    text = engine_safe(text, keep_spacing=True)  # so no text can hold a placeholder
    if lexicon and lexicon.entries:
        text = _hold_lexicon(text, lexicon, engine, held)
    text = _EMOTICON.sub(" ", text)
    text = _STREET.sub(r"\1Street", text)
    for pattern, words in _DOTTED:
        text = pattern.sub(words, text)
    for pattern, words in _BEFORE_NAME:
        text = pattern.sub(words, text)
    for pattern, words in _OTHER:
        text = pattern.sub(words, text)
    text = say_numbers(say_numbered_parts(text) if heading else text)
    text = text.replace("&", " and ")
    text = _QUOTE_MARKS.sub("", text)
    text = _DECORATION.sub(" ", text)
    text = " ".join(text.split())
    if heading and text and text[-1].isalnum():
        text += "."
    if heading:
        text = re.sub(r"\s*:\s*", ". ", text)
    if not any(ch.isalnum() for ch in text) and not held:
        return ""
    return engine_safe(_HOLD.sub(lambda m: held[ord(m.group(1)) - 0xE100], text))


def engine_safe(text: str, keep_spacing: bool = False) -> str:
    """`text` with nothing an engine could take as a command: control
    characters become spaces (tabs and newlines stay with `keep_spacing`);
    private-use characters, surrogates and non-characters go."""
    if text.isprintable():  # the common case, in one pass
        return text
    return "".join(_engine_char(char, keep_spacing) for char in text)


def _engine_char(char: str, keep_spacing: bool) -> str:
    category = unicodedata.category(char)
    if category == "Cc":
        return char if keep_spacing and char.isspace() else " "
    if category in ("Co", "Cs") or _NONCHARACTER(char):
        return ""
    return char


def _NONCHARACTER(char: str) -> bool:  # noqa: N802
    point = ord(char)
    return 0xFDD0 <= point <= 0xFDEF or point & 0xFFFE == 0xFFFE


def _hold_lexicon(text: str, lexicon: Lexicon, engine: str, held: list[str]) -> str:
    """Lexicon replacements, held aside as placeholders so that the cleaning
    below leaves phoneme strings ([[kw'atr@U]]) as they are."""
    out, position = [], 0
    for start, end, replacement in lexicon.substitutions(text, engine):
        out += [text[position:start], f"\ue000{chr(0xE100 + len(held))}\ue001"]
        held.append(replacement)
        position = end
    return "".join(out) + text[position:]
