"""cast: the cast file and voice profiles -> a voice profile for every speaker.

Characters get the profile the cast names, else a profile named after them,
else a default by gender; extra characters of one gender get variations of
the default so that no two main characters share a voice by accident."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from pathlib import Path

from storycast import yamlfile
from storycast.errors import ConfigError
from storycast.model import NARRATOR, Cast, Character, Script, VoiceProfile
from storycast.text.emphasis import load_thought_style
from storycast.yamlfile import Where, reject_unknown, require_mapping, typed

PROJECT_VOICES = Path(__file__).resolve().parents[2] / "voices"
DEFAULT_BY_GENDER = {"male": "male", "female": "female", "unknown": "other"}
_PROFILE_FIELDS = {"engine", "voice", "variant", "rate", "pitch", "volume", "description"}
# espeak-ng variants and pitch offsets that tell apart extra speakers sharing a default.
_VARIATIONS = {"male": ["m5", "m6", "m1", "m8", "m4"], "female": ["f1", "f4", "f5", "f2"],
               "unknown": ["m2", "f3", "m6", "f4"]}
_PITCH_STEPS = [0, 10, -8, 16, -14, 6, -4]


def voice_dirs(extra: list[Path] | None = None) -> list[Path]:
    """Where profiles are looked up, first match wins: given folders, ./voices, the project's."""
    dirs = [*(extra or []), Path.cwd() / "voices", PROJECT_VOICES]
    unique: list[Path] = []
    for folder in dirs:
        if folder.is_dir() and folder.resolve() not in [u.resolve() for u in unique]:
            unique.append(folder)
    return unique


def load_profiles(dirs: list[Path]) -> dict[str, VoiceProfile]:
    profiles: dict[str, VoiceProfile] = {}
    for folder in reversed(dirs):  # earlier folders override later ones
        for path in sorted(folder.glob("*.yaml")):
            profiles[path.stem] = load_profile(path)
    return profiles


def load_profile(path: Path) -> VoiceProfile:
    data = require_mapping(yamlfile.load(path), Where(path), "a voice profile")
    where = Where(path, data)
    reject_unknown(data, _PROFILE_FIELDS, where)
    profile = VoiceProfile(
        name=path.stem,
        engine=typed(data, "engine", str, where, "espeak"),
        voice=str(typed(data, "voice", (str, int), where, VoiceProfile.voice)),
        variant=typed(data, "variant", str, where, None),
        rate=int(typed(data, "rate", (int, float), where, VoiceProfile.rate)),
        pitch=int(typed(data, "pitch", (int, float), where, VoiceProfile.pitch)),
        volume=float(typed(data, "volume", (int, float), where, VoiceProfile.volume)),
        description=typed(data, "description", str, where, ""),
    )
    _check_ranges(profile, where, data)
    return profile


def _check_ranges(profile: VoiceProfile, where: Where, data: dict) -> None:
    checks = [("rate", 40 <= profile.rate <= 600, "between 40 and 600 words per minute"),
              ("pitch", 0 <= profile.pitch <= 100, "between 0 and 100"),
              ("volume", 0.0 <= profile.volume <= 1.0, "between 0.0 and 1.0")]
    for key, ok, expected in checks:
        if not ok:
            raise Where(where.path, data).error(f"must be {expected}", key=key)


def load_cast(path: Path | None) -> Cast:
    """Read a cast file (DESIGN.md schema); None gives an empty cast."""
    if path is None:
        return Cast()
    return load_cast_data(yamlfile.load(path), path)


def load_cast_data(data: object, path: Path) -> Cast:
    """A cast from parsed YAML (a cast file, or the cast inside a script)."""
    data = require_mapping(data, Where(path), "a cast")
    where = Where(path, data)
    reject_unknown(data, {"narrator", "characters", "thought"}, where)
    characters = typed(data, "characters", dict, where, {})
    cast = Cast(narrator=typed(data, "narrator", str, where, NARRATOR),
                characters=tuple(_character(name, entry, Where(path, characters))
                                 for name, entry in characters.items()),
                thought=load_thought_style(data.get("thought"), where))
    _check_alias_clashes(cast, where)
    return cast


def _character(name: object, entry: object, where: Where) -> Character:
    field = f"characters.{name}"
    if not isinstance(name, str) or not name.strip():
        raise where.error("a character's name must be text", key=str(name), field=field)
    entry = entry if entry is not None else {}
    if not isinstance(entry, dict):
        raise where.error("must be a mapping (aliases, gender, voice)", key=name, field=field)
    inner = Where(where.path, entry)
    reject_unknown(entry, {"aliases", "gender", "voice"}, inner, prefix=f"{field}.")
    aliases = typed(entry, "aliases", list, inner, [], prefix=f"{field}.")
    if not all(isinstance(alias, str) for alias in aliases):
        raise inner.error("every alias must be text", key="aliases", field=f"{field}.aliases")
    gender = typed(entry, "gender", str, inner, "unknown", prefix=f"{field}.")
    if gender not in ("male", "female", "unknown"):
        raise inner.error("must be male, female or unknown", key="gender", field=f"{field}.gender")
    voice = typed(entry, "voice", str, inner, None, prefix=f"{field}.")
    return Character(name=name, aliases=tuple(aliases), gender=gender, voice=voice)


def _check_alias_clashes(cast: Cast, where: Where) -> None:
    owner: dict[str, str] = {}
    for character in cast.characters:
        for mention in {character.name.lower(), *(a.lower() for a in character.aliases)}:
            if mention in owner and owner[mention] != character.name:
                raise where.error(f"{mention!r} names both {owner[mention]} and {character.name}",
                                  key="characters", field=f"characters.{character.name}.aliases")
            owner[mention] = character.name


def assign_voices(script: Script, profiles: dict[str, VoiceProfile],
                  engine: str | None = None) -> dict[str, VoiceProfile]:
    """speaker -> profile for the narrator and everyone who speaks in the script."""
    cast = script.cast
    lines = Counter(s.speaker for c in script.chapters for s in c.segments
                    if s.kind in ("speech", "thought"))
    voices = {NARRATOR: _profile(profiles, cast.narrator, "the cast's narrator")}
    used_defaults: Counter[str] = Counter()
    for speaker, _ in lines.most_common():  # main characters first get the plain defaults
        if speaker == NARRATOR:
            continue
        character = cast.find(speaker) or Character(name=speaker)
        voices[speaker] = _voice_for(character, profiles, used_defaults)
    if engine:
        voices = {speaker: replace(p, engine=engine) for speaker, p in voices.items()}
    return voices


def _voice_for(character: Character, profiles: dict[str, VoiceProfile],
               used_defaults: Counter[str]) -> VoiceProfile:
    if character.voice:
        return _profile(profiles, character.voice, f"{character.name}'s voice")
    own = profiles.get(character.name.lower())
    if own:
        return own
    default = _profile(profiles, DEFAULT_BY_GENDER[character.gender], "a default voice")
    variation = used_defaults[default.name]
    used_defaults[default.name] += 1
    return _vary(default, variation, character.gender)


def _vary(profile: VoiceProfile, n: int, gender: str) -> VoiceProfile:
    """The n-th speaker sharing a default profile: another variant and pitch."""
    if n == 0:
        return profile
    variants = _VARIATIONS[gender]
    pitch = min(100, max(0, profile.pitch + _PITCH_STEPS[n % len(_PITCH_STEPS)]))
    return replace(profile, name=f"{profile.name}-{n + 1}", pitch=pitch,
                   variant=variants[(n - 1) % len(variants)])


def _profile(profiles: dict[str, VoiceProfile], name: str, what: str) -> VoiceProfile:
    if name not in profiles:
        raise ConfigError("voices", f"{what} is {name!r}, but there is no voices/{name}.yaml "
                          f"(have: {', '.join(sorted(profiles)) or 'none'})")
    return profiles[name]
