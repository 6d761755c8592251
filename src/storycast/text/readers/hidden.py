"""What in an HTML tree is never read aloud: scripts, styles, navigation,
footnotes and their markers, form fields and formulas, and whatever a
browser or a screen reader would not show or say (display:none,
visibility:hidden, the hidden attribute, aria-hidden="true", a closed
dialog). A skipped element is skipped with everything inside it."""

from __future__ import annotations

import re

from bs4 import Tag

_SKIP_TAGS = {
    "script",
    "style",
    "nav",
    "head",
    "noscript",
    "template",
    "svg",
    "math",
    "img",
    "audio",
    "video",
    "canvas",
    "iframe",
    "object",
    "embed",
    "button",
    "form",
    "input",
    "select",
    "textarea",
    "datalist",
}
_SKIP_TYPES = {
    "footnote",
    "footnotes",
    "endnote",
    "endnotes",
    "rearnote",
    "rearnotes",
    "noteref",
    "toc",
    "landmarks",
    "page-list",
    "pagebreak",
    "doc-footnote",
    "doc-endnotes",
    "doc-noteref",
    "doc-toc",
    "doc-pagebreak",
    "doc-backlink",
}
_SKIP_CLASSES = {
    "footnotes",
    "footnote",
    "endnotes",
    "noteref",
    "toc",
    "landmarks",
    "footnote-ref",
    "footnote-back",
    "footnote-backref",
}
_NOTE_MARK = re.compile(r"^[\[(]?(?:\d+|[ivx]+|[*†‡§¶]+)[\])]?$", re.I)
# Inline-style declarations that keep an element from being shown.
_INVISIBLE = {
    ("display", "none"),
    ("visibility", "hidden"),
    ("visibility", "collapse"),
    ("content-visibility", "hidden"),
}


def attribute(tag: Tag, name: str) -> str:
    """An attribute's value as one string ("" when absent)."""
    value = tag.get(name)
    return " ".join(value) if isinstance(value, list) else value or ""


def local_name(tag: Tag) -> str:
    """The tag's name without a namespace prefix (`m:math` is `math`), lower case."""
    return tag.name.rsplit(":", 1)[-1].lower()


def skipped(tag: Tag) -> bool:
    """Footnotes, navigation, tables of contents and hidden parts."""
    name = local_name(tag)
    if name in _SKIP_TAGS or hidden(tag):
        return True
    if name == "sup" and (tag.find("a") is not None or _NOTE_MARK.match(tag.get_text(strip=True))):
        return True  # a note marker; "1<sup>st</sup>" stays
    types = set(attribute(tag, "epub:type").split()) | {attribute(tag, "role")}
    classes = {c.lower() for c in tag.get("class") or []}
    return bool(types & _SKIP_TYPES or classes & _SKIP_CLASSES)


def hidden(tag: Tag) -> bool:
    """Not shown by a browser, or hidden from a screen reader."""
    if tag.has_attr("hidden") or attribute(tag, "aria-hidden").strip().lower() == "true":
        return True
    if local_name(tag) == "dialog" and not tag.has_attr("open"):
        return True
    return bool(_INVISIBLE & set(style_declarations(attribute(tag, "style"))))


def style_declarations(style: str) -> list[tuple[str, str]]:
    """An inline style's (property, value) pairs, lower case, `!important` dropped."""
    pairs = []
    for declaration in style.split(";"):
        name, colon, value = declaration.partition(":")
        if colon:
            value = value.lower().replace("!important", "")
            pairs.append((name.strip().lower(), " ".join(value.split())))
    return pairs
