"""The pronunciation lexicon: words and names -> how each engine should say them.

YAML files map a word to a respelling (every engine) and, per engine, to what
that engine is given instead: its phonemes, written as that engine owns
(engines.Engine.phonemes: espeak-ng mnemonics in [[...]], Piper's own input
as written):

    Bolly: Bollie                      # a respelling, for every engine
    Quattro:
      say: Kwattro                     # the respelling for engines without their own entry
      espeak: "kw'atr@U"               # espeak-ng phoneme mnemonics ([[ ]] added if missing)
      piper: "[[ kwˈatɹoʊ ]]"          # given to piper as written
      match_case: false                # default: Quattro, quattro and QUATTRO all match
      whole_word: true                 # default: not inside longer words

Files are read in this order, later entries replacing earlier ones: the
built-in lexicon (package data), ./lexicon.yaml, the user's
~/.config/storycast/lexicon.yaml, CAST.lexicon.yaml beside the cast file, and
STORY.lexicon.yaml beside the story."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from storycast import engines, yamlfile
from storycast.locations import BUILTIN_LEXICON, builtin, user_config
from storycast.yamlfile import Where, require_mapping

_OPTIONS = {"say", "match_case", "whole_word"}


@dataclass(frozen=True)
class Entry:
    word: str
    say: str | None = None
    """A respelling used by every engine without an entry of its own."""
    engines: tuple[tuple[str, str], ...] = ()
    """(engine name, what that engine is given) pairs."""
    match_case: bool = False
    whole_word: bool = True

    def replacement(self, engine: str) -> str | None:
        for name, value in self.engines:
            if name == engine:
                return value
        return self.say

    @cached_property
    def pattern(self) -> re.Pattern:
        word = re.escape(self.word)
        if self.whole_word:
            word = rf"(?<!\w){word}(?!\w)"
        return re.compile(word, 0 if self.match_case else re.IGNORECASE)


@dataclass(frozen=True)
class Lexicon:
    entries: tuple[Entry, ...] = ()

    def merged(self, later: Lexicon) -> Lexicon:
        """This lexicon with `later`'s entries replacing any for the same word."""
        replaced = {e.word.lower() for e in later.entries}
        return Lexicon(
            tuple(e for e in self.entries if e.word.lower() not in replaced) + later.entries
        )

    @cached_property
    def _by_first_word(self) -> dict[str, tuple[Entry, ...]]:
        """Entries under the first word they start with (lower case), so a line
        only tries the few entries whose words it contains."""
        index: dict[str, list[Entry]] = {}
        for entry in self.entries:
            first = re.match(r"\w+", entry.word.lower())
            key = first.group(0) if first and entry.whole_word else ""
            index.setdefault(key, []).append(entry)  # "": tried on every line
        return {key: tuple(entries) for key, entries in index.items()}

    def substitutions(self, text: str, engine: str) -> list[tuple[int, int, str]]:
        """(start, end, replacement) for the entries that apply, in text order;
        where matches overlap, the longer word wins, then the earlier one."""
        words = set(re.findall(r"\w+", text.lower())) | {""}
        candidates = [entry for word in words for entry in self._by_first_word.get(word, ())]
        found = []
        for entry in candidates:
            replacement = entry.replacement(engine)
            if replacement is None:
                continue
            for match in entry.pattern.finditer(text):
                found.append((match.start(), match.end(), replacement))
        found.sort(key=lambda m: (m[0] - m[1], m[0]))  # longest first
        taken: list[tuple[int, int, str]] = []
        for start, end, replacement in found:
            if not any(s < end and start < e for s, e, _ in taken):
                taken.append((start, end, replacement))
        return sorted(taken)


def lexicon_files(story: Path | None = None, cast_file: Path | None = None) -> list[Path]:
    """The user's lexicon files that apply, least specific first (the
    built-in lexicon comes before all of them: load_lexicon)."""
    candidates = [Path.cwd() / "lexicon.yaml", user_config() / "lexicon.yaml"]
    if cast_file is not None:
        candidates.append(cast_file.with_name(f"{_stem(cast_file, '.cast')}.lexicon.yaml"))
    if story is not None:
        candidates.append(story.with_name(f"{_stem(story)}.lexicon.yaml"))
    found: list[Path] = []
    for path in candidates:
        if path.is_file() and path.resolve() not in [f.resolve() for f in found]:
            found.append(path)
    return found


def _stem(path: Path, strip: str = "") -> str:
    stem = path.name if path.is_dir() else path.stem
    return stem[: -len(strip)] if strip and stem.endswith(strip) else stem


def load_lexicon(paths: list[Path]) -> Lexicon:
    """The built-in lexicon with each file's entries over it, in order."""
    lexicon = builtin_lexicon()
    for path in paths:
        lexicon = lexicon.merged(parse_lexicon(yamlfile.load(path), path))
    return lexicon


def builtin_lexicon() -> Lexicon:
    source = builtin(BUILTIN_LEXICON)
    where = f"storycast/data/{BUILTIN_LEXICON}"
    return parse_lexicon(yamlfile.loads(source.read_text(encoding="utf-8"), where), where)


def parse_lexicon(data: object, path: Path | str) -> Lexicon:
    if data is None:
        return Lexicon()
    data = require_mapping(data, Where(path), "a lexicon")
    return Lexicon(tuple(_entry(word, value, Where(path, data)) for word, value in data.items()))


def _entry(word: object, value: object, where: Where) -> Entry:
    if not isinstance(word, (str, int)) or not str(word).strip():
        raise where.error("a lexicon word must be text", key=str(word))
    word = str(word).strip()
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return Entry(word, say=str(value))
    if not isinstance(value, dict):
        raise where.error("must be a respelling or a mapping (say, espeak, piper, ...)", key=word)
    inner = Where(where.path, value)
    forms = []
    for key, setting in value.items():
        if key in ("match_case", "whole_word"):
            if not isinstance(setting, bool):
                raise inner.error("must be true or false", key=key, field=f"{word}.{key}")
        elif key == "say" or key in _engine_names():
            if not isinstance(setting, str) or not setting.strip():
                raise inner.error("must be text", key=key, field=f"{word}.{key}")
            if key != "say":
                forms.append((key, _engine_form(key, setting.strip(), inner, word)))
        else:
            raise inner.error(
                f"unknown field (allowed: {', '.join(sorted(_OPTIONS | _engine_names()))})",
                key=str(key),
                field=f"{word}.{key}",
            )
    if "say" not in value and not forms:
        raise inner.error("needs `say` or an engine's entry", field=word)
    return Entry(
        word,
        say=value.get("say"),
        engines=tuple(forms),
        match_case=value.get("match_case", False),
        whole_word=value.get("whole_word", True),
    )


def _engine_form(engine: str, written: str, where: Where, word: str) -> str:
    """What `engine` is given for an entry written for it (its phoneme markup)."""
    given = engines.engine_class(engine).phonemes(written)
    if given is None:
        raise where.error(
            f"the {engine} engine takes no phonemes; give a respelling with `say`",
            key=engine,
            field=f"{word}.{engine}",
        )
    return given


def _engine_names() -> set[str]:
    return set(engines.names())
