"""The neural engine with the real bundled Piper model (joe, en_US medium):
speech of the right length, characters that differ by ear (measured), the
timbre filter, profile loading, engine mapping, errors, and a whole render."""

from __future__ import annotations

import json
import re
import wave
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from storycast import engines, ffmpeg
from storycast.cast import assign_voices, for_engine, load_profile, load_profiles
from storycast.cli import app
from storycast.engines import timbre
from storycast.errors import ConfigError, EngineError
from storycast.model import Cast, Chapter, Character, Script, Segment, VoiceProfile

SENTENCE = "The rain had not stopped all week, and nobody in the office was in the mood for it."


@pytest.fixture(scope="module")
def piper() -> engines.Engine:
    return engines.get("piper")


@pytest.fixture(scope="module")
def profiles() -> dict[str, VoiceProfile]:
    return load_profiles([])  # the built-in profiles


def samples(pcm: bytes) -> np.ndarray:
    return np.frombuffer(pcm, dtype="<i2").astype(np.float64) / 32768.0


def frame_rms(x: np.ndarray, rate: int, seconds: float = 0.05) -> np.ndarray:
    size = int(rate * seconds)
    frames = x[: len(x) // size * size].reshape(-1, size)
    return np.sqrt(np.mean(frames**2, axis=1))


def median_f0(x: np.ndarray, rate: int) -> float:
    """Median fundamental frequency of the voiced frames (YIN: the first lag
    whose cumulative-mean-normalised difference dips below a threshold)."""
    size, hop, low, high = 2048, 256, int(rate / 500), int(rate / 60)
    width = size - high
    found = []
    for start in range(0, len(x) - size, hop):
        frame = x[start : start + size]
        if np.sqrt(np.mean(frame**2)) < 0.02:
            continue
        shifted = np.lib.stride_tricks.sliding_window_view(frame, width)[: high + 1]
        difference = ((shifted - frame[:width]) ** 2).sum(axis=1)
        normalised = (
            difference[1:] * np.arange(1, high + 1) / np.maximum(np.cumsum(difference[1:]), 1e-12)
        )
        dips = np.flatnonzero(normalised[low - 1 :] < 0.2)
        if not len(dips) and normalised[low - 1 :].min() < 0.4:  # no clear dip: the deepest
            dips = [int(np.argmin(normalised[low - 1 :]))]
        if len(dips):
            lag = low + dips[0]
            while lag < high and normalised[lag] < normalised[lag - 1]:
                lag += 1  # down to the bottom of the dip
            found.append(rate / lag)
    assert len(found) >= 8, "too few voiced frames to measure pitch"
    return float(np.median(found))


def spectral_centroid(x: np.ndarray, rate: int) -> float:
    spectrum = np.abs(np.fft.rfft(x))
    return float((spectrum * np.fft.rfftfreq(len(x), 1 / rate)).sum() / spectrum.sum())


@pytest.mark.slow
def test_a_clip_is_speech_of_the_expected_length(piper, profiles):
    audio = piper.synthesize(SENTENCE, profiles["piper-narrator"])
    x = samples(audio.pcm)
    words = len(SENTENCE.split())
    assert audio.sample_rate == 22050
    assert 0.2 <= audio.seconds / words <= 0.7  # 85 to 300 words a minute
    assert np.sqrt(np.mean(x**2)) > 10 ** (-30 / 20)  # louder than -30 dBFS overall
    loud = frame_rms(x, audio.sample_rate) > 10 ** (-40 / 20)
    assert loud.mean() > 0.5  # mostly sound, not silence
    assert not loud.all()  # with the gaps between words of real speech


@pytest.mark.slow
def test_longer_text_takes_longer(piper, profiles):
    short = piper.synthesize("Sit down.", profiles["piper-narrator"])
    long = piper.synthesize(SENTENCE + " " + SENTENCE, profiles["piper-narrator"])
    assert long.seconds > 4 * short.seconds


@pytest.mark.slow
def test_gene_and_alex_differ_measurably(piper, profiles):
    gene = piper.synthesize(SENTENCE, profiles["piper-gene"])
    alex = piper.synthesize(SENTENCE, profiles["piper-alex"])
    gene_x, alex_x = samples(gene.pcm), samples(alex.pcm)
    # Profiles ask for 4.5 semitones between them (x1.30); demand at least x1.2.
    assert median_f0(alex_x, alex.sample_rate) > 1.2 * median_f0(gene_x, gene.sample_rate)
    assert spectral_centroid(alex_x, 22050) > 1.15 * spectral_centroid(gene_x, 22050)


@pytest.mark.slow
def test_speaking_rate_follows_length_scale(piper, profiles):
    base = replace(profiles["piper-narrator"], noise_w=0.0)
    slow = piper.synthesize(SENTENCE, replace(base, length_scale=1.4))
    fast = piper.synthesize(SENTENCE, replace(base, length_scale=0.8))
    assert slow.seconds > 1.4 * fast.seconds


@pytest.mark.slow
def test_timbre_shift_moves_the_pitch(piper, profiles):
    """Formants by playback rate (the line gets shorter by that rate; the
    engine spoke it slower first), the rest of the pitch by rubberband."""
    plain = piper.synthesize(SENTENCE, profiles["piper-narrator"])
    higher = timbre.shift(plain.pcm, plain.sample_rate, pitch=5, formant=2)
    assert len(higher) == 2 * timbre.shifted_length(len(plain.pcm) // 2, 22050, 2)
    ratio = median_f0(samples(higher), 22050) / median_f0(samples(plain.pcm), 22050)
    assert 1.2 < ratio < 1.5  # 5 semitones is x1.33
    rate_only = timbre.shift(plain.pcm, plain.sample_rate, pitch=-2, formant=-2)
    ratio = median_f0(samples(rate_only), 22050) / median_f0(samples(plain.pcm), 22050)
    assert 0.84 < ratio < 0.94  # -2 semitones is x0.89
    assert timbre.shift(plain.pcm, 22050, 0, 0) == plain.pcm  # no shift, no ffmpeg


@pytest.mark.slow
def test_a_formant_shift_keeps_the_pace(piper, profiles):
    base = replace(profiles["piper-narrator"], pitch_shift=0, formant_shift=0, noise_w=0.0)
    moved = piper.synthesize(SENTENCE, replace(base, pitch_shift=3, formant_shift=3))
    plain = piper.synthesize(SENTENCE, base)
    assert moved.seconds == pytest.approx(plain.seconds, rel=0.08)


@pytest.mark.slow
def test_tilt_brightens_or_darkens(piper, profiles):
    plain = piper.synthesize(SENTENCE, profiles["piper-narrator"])
    brighter = samples(timbre.shift(plain.pcm, 22050, tilt=4))
    darker = samples(timbre.shift(plain.pcm, 22050, tilt=-4))
    centroid = spectral_centroid(samples(plain.pcm), 22050)
    assert spectral_centroid(darker, 22050) < centroid < spectral_centroid(brighter, 22050)


@pytest.mark.slow
def test_a_model_file_beside_the_profile(piper, tmp_path):
    """A downloaded voice: .onnx + .onnx.json, and one profile naming it."""
    from storycast.engines.piper import bundled_model

    assert piper.voices()[0] == "joe"

    model = bundled_model()
    (tmp_path / "my-voice.onnx").symlink_to(model)
    (tmp_path / "my-voice.onnx.json").symlink_to(Path(f"{model}.json"))
    (tmp_path / "mine.yaml").write_text("engine: piper\nvoice: my-voice.onnx\nspeaker: 0\n")
    profile = load_profile(tmp_path / "mine.yaml")
    assert profile.voice == str((tmp_path / "my-voice.onnx").resolve())
    assert piper.synthesize("Hello there.", profile).seconds > 0.3


@pytest.mark.slow
def test_a_speaker_the_model_lacks_is_refused(piper, profiles):
    with pytest.raises(EngineError, match="speaker 3 is out of range"):
        piper.synthesize("Hello.", replace(profiles["piper-narrator"], speaker=3))


@pytest.mark.slow
def test_an_espeak_voice_id_is_refused_by_piper(piper):
    with pytest.raises(EngineError, match="Piper has no voice 'gmw/en'"):
        piper.synthesize("Hello.", VoiceProfile(name="odd", engine="piper", voice="gmw/en"))


def test_profile_fields_are_checked(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("engine: piper\nvoice: joe\npitch_shift: 30\n")
    with pytest.raises(ConfigError, match=r"bad.yaml.*pitch_shift: must be between -12 and 12"):
        load_profile(path)
    path.write_text("engine: piper\nvoice: joe\nlength: 1.2\n")
    with pytest.raises(ConfigError, match="unknown field"):
        load_profile(path)


def test_engine_choice_swaps_whole_profiles(profiles):
    custom = {**profiles, "bob": VoiceProfile(name="bob", engine="espeak", voice="gmw/en")}
    to_piper = for_engine(custom, "piper")
    assert to_piper["gene"].name == "piper-gene"
    assert to_piper["piper-alex"].name == "piper-alex"
    assert to_piper["bob"] is None
    assert for_engine(custom, "espeak")["piper-luigi"].name == "luigi"
    script = _script(
        Cast(
            characters=(
                Character("Gene", gender="male", voice="gene"),
                Character("Bea", gender="female", voice="bob"),
                Character("Jo", gender="female"),
            )
        )
    )
    voices = assign_voices(script, custom, "piper")
    assert {k: v.name for k, v in voices.items()} == {
        "narrator": "piper-narrator",
        "Gene": "piper-gene",
        "Bea": "piper-female",
        "Jo": "piper-female-2",
    }
    assert voices["Jo"].pitch_shift != voices["Bea"].pitch_shift
    assert all(v.engine == "espeak" for v in assign_voices(script, custom, "espeak").values())


def _script(cast: Cast) -> Script:
    speech = [Segment("speech", "Hi.", 0, 3, speaker=name) for name in ("Gene", "Bea", "Jo")]
    return Script("T", "t.txt", (Chapter("One", tuple(speech)),), cast=cast)


STORY = """The Short Shift

The rain had not stopped all week.

"You're late," said Gene.

"I know," said Alex. "The traffic was terrible."
"""
CAST = """narrator: narrator
characters:
  Gene: {gender: male, voice: gene}
  Alex: {gender: female, voice: alex}
"""


@pytest.fixture()
def story(tmp_path) -> Path:
    path = tmp_path / "short-shift.txt"
    path.write_text(STORY)
    (tmp_path / "short-shift.cast.yaml").write_text(CAST)
    return path


@pytest.mark.slow
def test_render_with_the_piper_engine(story, tmp_path):
    out = tmp_path / "out"
    result = CliRunner().invoke(
        app, ["render", str(story), "--engine", "piper", "-o", str(out), "--jobs", "1"]
    )
    assert result.exit_code == 0, result.output
    book = out / "the-short-shift" / "the-short-shift.mp3"
    seconds = float(ffmpeg.probe(book)["format"]["duration"])
    assert 4 < seconds < 30
    assert (out / "the-short-shift" / "script.yaml").is_file()


@pytest.mark.slow
def test_one_book_mixes_engines(story, tmp_path):
    """A neural narrator with espeak-ng characters, by the cast alone."""
    (tmp_path / "short-shift.cast.yaml").write_text(
        CAST.replace("narrator: narrator", "narrator: piper-narrator")
    )
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["render", str(story), "-o", str(out), "--jobs", "1"])
    assert result.exit_code == 0, result.output
    stream = ffmpeg.probe(out / "the-short-shift" / "the-short-shift.mp3")["streams"][0]
    assert stream["channels"] == 1
    rates = set()
    for clip in (out / ".clips").rglob("*.wav"):
        with wave.open(str(clip)) as handle:
            rates.add(handle.getframerate())
    assert rates == {22050}


def test_a_missing_model_is_one_line_naming_profile_and_path(story, tmp_path):
    voices = tmp_path / "myvoices"
    voices.mkdir()
    (voices / "ghost.yaml").write_text("engine: piper\nvoice: gone/ghost.onnx\n")
    missing = (voices / "gone" / "ghost.onnx").resolve()
    (tmp_path / "short-shift.cast.yaml").write_text(
        CAST.replace("narrator: narrator", "narrator: ghost")
    )
    runner = CliRunner(mix_stderr=False) if _has_mix_stderr() else CliRunner()
    result = runner.invoke(
        app, ["render", str(story), "-o", str(tmp_path / "out"), "--voices", str(voices)]
    )
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert lines[-1].startswith("storycast: error: ")  # after any progress lines
    assert all(re.match(r"\[ *\d+\.\d s\] ", line) for line in lines[:-1])
    assert "'ghost'" in lines[-1] and str(missing) in lines[-1]


def test_voices_lists_piper_voices_and_profiles():
    result = CliRunner().invoke(app, ["voices", "--engine", "piper"])
    assert result.exit_code == 0, result.output
    names = [line.split()[0] for line in result.output.splitlines() if line.strip()]
    assert "piper-gene" in names and "joe" in names
    assert "gene" not in names  # espeak profiles are not piper's


@pytest.mark.slow
def test_voices_preview_renders_a_piper_sample(tmp_path):
    out = tmp_path / "sample.wav"
    result = CliRunner().invoke(
        app, ["voices", "--preview", "piper-luigi", "Hello, my friend!", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    with wave.open(str(out)) as clip:
        assert clip.getframerate() == 22050
        assert clip.getnframes() > 0.5 * 22050


def _has_mix_stderr() -> bool:
    import inspect

    return "mix_stderr" in inspect.signature(CliRunner.__init__).parameters


def test_the_bundled_model_is_installed_not_downloaded():
    from storycast.engines.piper import bundled_model

    model = bundled_model()
    assert model.is_file() and model.stat().st_size > 10_000_000
    config = json.loads(Path(f"{model}.json").read_text())
    assert config["audio"]["sample_rate"] == 22050
