"""speakable: what the engine is given. Quote marks, decorations and
emoticons go; abbreviations and symbols become words; the text stays plain
text (engines never interpret markup)."""

from __future__ import annotations

import re

from storycast.model import Line

_ABBREVIATIONS = {
    r"D\.?\s?C\.?\s?I\.?": "Detective Chief Inspector",
    r"D\.?\s?S\.?\s?I\.?": "Detective Superintendent",
    r"D\.?\s?I\.?": "Detective Inspector",
    r"D\.?\s?S\.?": "Detective Sergeant",
    r"D\.?\s?C\.?": "Detective Constable",
    r"W\.?\s?P\.?\s?C\.?": "Woman Police Constable",
    r"Mr\.?": "Mister",
    r"Mrs\.?": "Missus",
    r"Ms\.?": "Miz",
    r"Dr\.?": "Doctor",
    r"St\.": "Saint",
}
# Abbreviations only before a capitalised name, so "DC" in other uses is kept.
_ABBREVIATION_RES = [(re.compile(rf"\b{pattern}(?=\s+[A-Z])"), words)
                     for pattern, words in _ABBREVIATIONS.items()]
_EMOTICON = re.compile(r"(?<!\w)(?:[:;=8][\-']?[()\[\]DPpOo3/\\|*]+|<3|\^_?\^|[xX]D)(?!\w)")
_DECORATION = re.compile(r"[*_~#<>|\\{}\[\]]+")
_QUOTE_MARKS = re.compile(r"[\"“”„«»‘]")
_POUNDS = re.compile(r"£\s?(\d+)(?:\.(\d\d))?")


def speakable(lines: list[Line]) -> list[Line]:
    """Lines with engine-ready text; lines left with nothing to say are dropped."""
    ready = []
    for line in lines:
        text = speakable_text(line.text, heading=line.segment.kind == "heading")
        if text:
            ready.append(Line(line.chapter, line.segment, line.profile, text))
    return ready


def speakable_text(text: str, heading: bool = False) -> str:
    text = _EMOTICON.sub(" ", text)
    for pattern, words in _ABBREVIATION_RES:
        text = pattern.sub(words, text)
    text = _POUNDS.sub(_say_pounds, text)
    text = text.replace("&", " and ")
    text = _QUOTE_MARKS.sub("", text)
    text = _DECORATION.sub(" ", text)
    text = " ".join(text.split())
    if heading and text and text[-1].isalnum():
        text += "."
    if heading:
        text = re.sub(r"\s*:\s*", ". ", text)
    return text if any(ch.isalnum() for ch in text) else ""


def _say_pounds(match: re.Match) -> str:
    pounds, pence = int(match.group(1)), match.group(2)
    words = f"{pounds} pound{'s' if pounds != 1 else ''}"
    if pence and int(pence):
        words += f" {int(pence)}"
    return words
