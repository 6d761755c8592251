"""voicepool: real voices for characters, from the Piper voices installed
with `storycast voices install` (each speaker of a multi-speaker model
counts as a voice).

The automatic caster takes from the pool before it falls back to shifting
one voice: a character without a voice of their own gets the next installed
voice of their gender (or one whose gender is not known), never one of the
other known gender; main characters, cast first, get real voices first.
Installed voices are also profiles by name (`voice: en_US-lessac-medium` in
a cast file), and `KEY#N` names speaker N of a multi-speaker voice."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from storycast.catalog.installed import InstalledVoice, installed
from storycast.model import Script, VoiceProfile

SPEAKER_MARK = "#"
SPEAKERS_OFFERED = 64
"""Of a model with hundreds of speakers, the caster offers the first few."""
KNOWN_GENDERS = {
    "female": ("amy", "kathleen", "kristin", "lessac", "ljspeech", "alba", "jenny_dioco", "cori"),
    "male": ("joe", "john", "norman", "ryan", "alan"),
}
"""The catalog does not say a voice's gender; these well-known voices are
listed here, and a name that says it (hfc_female, northern_english_male) is
read. Any other voice counts as of unknown gender."""


def gender_of(key: str) -> str:
    """male, female or unknown, from a catalog key such as en_US-amy-medium."""
    parts = key.split("-")
    name = parts[1] if len(parts) >= 3 else key
    for gender, names in KNOWN_GENDERS.items():
        if name in names:
            return gender
    words = set(name.split("_"))
    if "female" in words:
        return "female"
    return "male" if "male" in words else "unknown"


def installed_profiles(folder: Path | None = None) -> dict[str, VoiceProfile]:
    """A profile for each installed voice, named by its key (speaker 0 of a
    multi-speaker one, as Piper's own default)."""
    return {voice.key: _profile(voice) for voice in installed(folder)}


def _profile(voice: InstalledVoice, speaker: int | None = None) -> VoiceProfile:
    name = voice.key if speaker is None else f"{voice.key}{SPEAKER_MARK}{speaker}"
    speakers = f", speaker {speaker} of {voice.speakers}" if speaker is not None else ""
    return VoiceProfile(
        name=name,
        engine="piper",
        voice=voice.key,
        speaker=speaker,
        description=f"installed Piper voice{speakers}",
    )


def speaker_profile(name: str, folder: Path | None = None) -> VoiceProfile | None:
    """The profile `KEY#N` names (speaker N of an installed voice), if any."""
    key, mark, number = name.partition(SPEAKER_MARK)
    if not mark or not number.isdigit():
        return None
    for voice in installed(folder):
        if voice.key == key and int(number) < voice.speakers:
            return _profile(voice, int(number))
    return None


@dataclass
class Pool:
    """Real voices not yet handed out, with their genders, in the order offered."""

    left: list[tuple[VoiceProfile, str]] = field(default_factory=list)

    @classmethod
    def for_script(cls, script: Script, folder: Path | None = None) -> Pool:
        """The installed voices in the story's language (English when it does not say)."""
        language = (script.meta.language or "en").replace("-", "_").split("_")[0].lower()
        voices = [v for v in installed(folder) if v.language.lower().startswith(language)]
        single = [(_profile(v), gender_of(v.key)) for v in voices if v.speakers == 1]
        many = [
            (_profile(v, n), "unknown")
            for v in voices
            if v.speakers > 1
            for n in range(min(v.speakers, SPEAKERS_OFFERED))
        ]
        return cls(single + many)

    def take(self, gender: str) -> VoiceProfile | None:
        """The next voice for a character of this gender, or None."""
        for wanted in (gender, "unknown") if gender != "unknown" else ("unknown", None):
            for i, (profile, its) in enumerate(self.left):
                if wanted is None or its == wanted:
                    del self.left[i]
                    return profile
        return None

    def without(self, used: set[str]) -> Pool:
        """This pool less the voices already given by name (by the cast)."""
        return Pool([(p, g) for p, g in self.left if p.name not in used])


def with_real_voices(script: Script, profiles: dict[str, VoiceProfile]) -> Script:
    """The script with its cast naming, for each speaking character the
    caster would give a real voice, that voice (what `storycast cast` drafts):
    main characters first, none who has a voice or a profile of their own."""
    from collections import Counter
    from dataclasses import replace

    cast = script.cast
    pool = Pool.for_script(script).without({c.voice for c in cast.characters if c.voice})
    lines = Counter(s.speaker for c in script.chapters for s in c.segments if s.spoken)
    chosen = {}
    for speaker, _ in lines.most_common():
        character = cast.find(speaker)
        if character and not character.voice and character.name.lower() not in profiles:
            voice = pool.take(character.gender)
            if voice:
                chosen[character.name] = voice.name
    characters = tuple(replace(c, voice=chosen.get(c.name, c.voice)) for c in cast.characters)
    return replace(script, cast=replace(cast, characters=characters))
