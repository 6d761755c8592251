"""cast: the cast file and voice profiles -> a voice profile for every speaker.

Voice profiles are found by name, first match wins: the --voices folders,
./voices, the user's ~/.config/storycast/voices, then the built-in profiles
that ship inside the package (load_profiles). Characters get the profile the
cast names, else a profile named after them, else a default by gender; extra
characters of one gender get variations of the default so that no two main
characters share a voice by accident."""

from __future__ import annotations

from collections import Counter
from dataclasses import fields, replace
from importlib.resources.abc import Traversable
from pathlib import Path
from types import NoneType
from typing import Any, get_args, get_type_hints

from storycast import engines, voicepool, yamlfile
from storycast.errors import ConfigError, EngineError
from storycast.locations import builtin_profiles
from storycast.locations import voice_dirs as voice_dirs
from storycast.model import NARRATOR, Cast, Character, Script, ThoughtStyle, VoiceProfile
from storycast.yamlfile import Where, reject_unknown, require_mapping, typed

DEFAULT_BY_GENDER = {"male": "male", "female": "female", "unknown": "other"}
# espeak-ng variants and pitch offsets that tell apart extra speakers sharing a default.
_VARIATIONS = {
    "male": ["m5", "m6", "m1", "m8", "m4"],
    "female": ["f1", "f4", "f5", "f2"],
    "unknown": ["m2", "f3", "m6", "f4"],
}
_PITCH_STEPS = [0, 10, -8, 16, -14, 6, -4]
# Semitone steps (pitch, formant) for piper: moved together, which keeps it intelligible.
_SHIFT_STEPS = [(0, 0), (1.5, 1.5), (-1, -1), (2.5, 2.5), (3, 3), (0.5, 0.5), (-1.5, -1.5)]
# A setting's type is the VoiceProfile field's. YAML's `voice: 7` (a number), `volume: 1`
# (whole) and whole-number settings written with a fraction (rounded down) are taken as meant.
_ALSO_TAKEN = {str: (int,), float: (int,), int: (float,)}
_SETTING_TYPES = get_type_hints(VoiceProfile)


def load_profiles(dirs: list[Path]) -> dict[str, VoiceProfile]:
    """Every profile by name (VOICE.yaml: VOICE). Where names meet, the first
    of `dirs` wins, and the built-in profiles come last. The usual `dirs` are
    locations.voice_dirs(): the --voices folders, ./voices, then the user's
    ~/.config/storycast/voices (or $XDG_CONFIG_HOME/storycast/voices)."""
    profiles = voicepool.installed_profiles()  # installed Piper voices, by name, last of all
    profiles |= {Path(entry.name).stem: _builtin_profile(entry) for entry in builtin_profiles()}
    for folder in reversed(dirs):  # earlier folders override later ones
        for path in sorted(folder.glob("*.yaml")):
            profiles[path.stem] = load_profile(path)
    return profiles


def load_profile(path: Path) -> VoiceProfile:
    return profile_from(yamlfile.load(path), path.stem, path, path.parent)


def _builtin_profile(entry: Traversable) -> VoiceProfile:
    where = f"storycast/data/voices/{entry.name}"
    data = yamlfile.loads(entry.read_text(encoding="utf-8"), where)
    return profile_from(data, Path(entry.name).stem, where, None)


def profile_from(data: object, name: str, path: Path | str, folder: Path | None) -> VoiceProfile:
    """A profile from parsed YAML: settings typed as VoiceProfile declares
    them, then checked by the profile's engine, which allows only the
    settings it reads."""
    data = require_mapping(data, Where(path), "a voice profile")
    where = Where(path, data)
    engine = _engine_class(data, where)
    reject_unknown(data, set(engines.COMMON_FIELDS | engine.profile_fields), where)
    settings = {
        field.name: _setting(data, field.name, _SETTING_TYPES[field.name], where)
        for field in fields(VoiceProfile)
        if field.name in data and data[field.name] is not None
    }
    try:
        return engine.checked(VoiceProfile(name=name, **settings), folder)
    except engines.ProfileError as error:
        raise where.error(error.message, key=error.field) from None


def _engine_class(data: dict, where: Where) -> type[engines.Engine]:
    name = typed(data, "engine", str, where, VoiceProfile.engine)
    try:
        return engines.engine_class(name)
    except EngineError as error:
        raise where.error(str(error), key="engine") from None


def _setting(data: dict, key: str, hint: Any, where: Where) -> Any:
    """data[key] as the VoiceProfile field's type (or one of its types)."""
    kinds = tuple(kind for kind in get_args(hint) or (hint,) if kind is not NoneType)
    if len(kinds) > 1:
        return typed(data, key, kinds, where, None)
    kind = kinds[0]
    return kind(typed(data, key, (kind, *_ALSO_TAKEN.get(kind, ())), where, None))


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
    cast = Cast(
        narrator=typed(data, "narrator", str, where, NARRATOR),
        characters=tuple(
            _character(name, entry, Where(path, characters)) for name, entry in characters.items()
        ),
        thought=load_thought_style(data.get("thought"), where),
    )
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
                raise where.error(
                    f"{mention!r} names both {owner[mention]} and {character.name}",
                    key="characters",
                    field=f"characters.{character.name}.aliases",
                )
            owner[mention] = character.name


def assign_voices(
    script: Script, profiles: dict[str, VoiceProfile], engine: str | None = None
) -> dict[str, VoiceProfile]:
    """speaker -> profile for the narrator and everyone who speaks in the script.

    With `engine`, every profile name means its counterpart for that engine
    (see `for_engine`), and names without one fall back to that engine's default."""
    cast = script.cast
    lines = Counter(s.speaker for c in script.chapters for s in c.segments if s.spoken)
    choices: dict[str, VoiceProfile | None] = (
        for_engine(profiles, engine) if engine else dict(profiles)
    )
    voices = {NARRATOR: _profile(choices, cast.narrator, "the cast's narrator", NARRATOR)}
    used_defaults: Counter[str] = Counter()
    named = {cast.narrator, *(c.voice for c in cast.characters if c.voice)}
    # Real installed voices before shifted ones, for the neural engine only.
    pool = voicepool.Pool.for_script(script).without(named) if engine == "piper" else None
    for speaker, _ in lines.most_common():  # main characters first get the plain defaults
        if speaker == NARRATOR:
            continue
        character = cast.find(speaker) or Character(name=speaker)
        voices[speaker] = _voice_for(character, choices, used_defaults, pool)
    return voices


def for_engine(profiles: dict[str, VoiceProfile], engine: str) -> dict[str, VoiceProfile | None]:
    """Each profile name -> its counterpart for `engine`, None where there is none.

    The counterpart is the profile itself when it uses `engine`, else the
    profile named like it with the engine's prefix added or removed:
    `gene` -> `piper-gene` for piper, `piper-gene` -> `gene` for espeak. An
    engine's voice id means nothing to another engine, so profiles are
    swapped whole, never given a new engine."""

    def base(name: str, profile: VoiceProfile) -> str:
        prefix = f"{profile.engine}-"
        return name[len(prefix) :] if name.startswith(prefix) else name

    counterparts: dict[str, VoiceProfile | None] = {}
    for name, profile in profiles.items():
        stem = base(name, profile)
        candidates = (profiles.get(n) for n in (name, f"{engine}-{stem}", stem))
        counterparts[name] = next((c for c in candidates if c and c.engine == engine), None)
    return counterparts


def _voice_for(
    character: Character,
    profiles: dict[str, VoiceProfile | None],
    used_defaults: Counter[str],
    pool: voicepool.Pool | None = None,
) -> VoiceProfile:
    default_name = DEFAULT_BY_GENDER[character.gender]
    if character.voice and profiles.get(character.voice, True) is not None:
        return _profile(profiles, character.voice, f"{character.name}'s voice", default_name)
    own = profiles.get(character.name.lower()) or (pool and pool.take(character.gender))
    if own:
        return own
    default = _profile(profiles, default_name, "a default voice", default_name)
    variation = used_defaults[default.name]
    used_defaults[default.name] += 1
    return _vary(default, variation, character.gender)


def _vary(profile: VoiceProfile, n: int, gender: str) -> VoiceProfile:
    """The n-th speaker sharing a default profile: another variant and pitch.

    Each engine reads the knobs it has: espeak-ng the variant and pitch,
    piper the pitch and formant shifts."""
    if n == 0:
        return profile
    variants = _VARIATIONS[gender]
    pitch = min(100, max(0, profile.pitch + _PITCH_STEPS[n % len(_PITCH_STEPS)]))
    pitch_step, formant_step = _SHIFT_STEPS[n % len(_SHIFT_STEPS)]
    return replace(
        profile,
        name=f"{profile.name}-{n + 1}",
        pitch=pitch,
        variant=variants[(n - 1) % len(variants)],
        pitch_shift=max(-12.0, min(12.0, profile.pitch_shift + pitch_step)),
        formant_shift=max(-12.0, min(12.0, profile.formant_shift + formant_step)),
    )


def _profile(
    profiles: dict[str, VoiceProfile | None], name: str, what: str, fallback: str
) -> VoiceProfile:
    """profiles[name] (KEY#N: an installed voice's speaker N), else the fallback's."""
    speaker = voicepool.speaker_profile(name) if name not in profiles else None
    if speaker:
        return speaker
    if name not in profiles:
        have = ", ".join(sorted(profiles)) or "none"
        raise ConfigError(
            "voices", f"{what} is {name!r}, but there is no voices/{name}.yaml (have: {have})"
        )
    found = profiles[name] or profiles.get(fallback)
    if found is None:
        raise ConfigError(
            "voices",
            f"{what} is {name!r}, which has no profile for this "
            f"engine, nor has the default {fallback!r}",
        )
    return found


def thought_voice(profile: VoiceProfile, style: ThoughtStyle) -> VoiceProfile:
    """The thinker's voice, quieter and a little closer (slower, lower) for thoughts.

    The profile keeps its name: stages that level each voice as a whole (one
    gain per profile name) then keep thoughts quieter than the same voice's speech."""
    return replace(
        profile,
        volume=min(1.0, max(0.0, profile.volume * style.volume)),
        rate=min(600, max(40, round(profile.rate * style.rate))),
        pitch=min(100, max(0, profile.pitch + style.pitch)),
    )


def load_thought_style(data: object, where: Where) -> ThoughtStyle:
    """The cast file's `thought:` mapping (volume, rate factors; pitch offset)."""
    if data is None:
        return ThoughtStyle()
    if not isinstance(data, dict):
        raise where.error("must be a mapping (volume, rate, pitch)", key="thought")
    inner = Where(where.path, data)
    reject_unknown(data, {"volume", "rate", "pitch"}, inner, prefix="thought.")
    style = ThoughtStyle(
        volume=float(typed(data, "volume", (int, float), inner, ThoughtStyle.volume, "thought.")),
        rate=float(typed(data, "rate", (int, float), inner, ThoughtStyle.rate, "thought.")),
        pitch=int(typed(data, "pitch", (int, float), inner, ThoughtStyle.pitch, "thought.")),
    )
    for key, ok in (
        ("volume", 0.0 <= style.volume <= 1.0),
        ("rate", 0.25 <= style.rate <= 4.0),
        ("pitch", -50 <= style.pitch <= 50),
    ):
        if not ok:
            raise inner.error(
                "out of range (volume 0..1, rate 0.25..4, pitch -50..50)",
                key=key,
                field=f"thought.{key}",
            )
    return style
