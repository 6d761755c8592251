"""Mastering, judged by measuring the files a render produced."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np
import pytest

from _books import decode, sample_book, short_book
from storycast.audio.assemble import SAMPLE_RATE, speech
from storycast.audio.master import OUTPUT_RATE, PRESETS, master_chapter
from storycast.audio.measure import measure_file, quick_level
from storycast.book.timing import load
from storycast.check import judge
from storycast.model import Clip


@pytest.mark.slow
def test_every_chapter_of_the_sample_story_passes_acx():
    book = sample_book()
    acx = PRESETS["acx"]
    assert len(book.chapter_files) == 3
    for path in book.chapter_files:
        m = measure_file(Path(path))
        assert judge(m, acx, chapter=True) == [], path
        levels = m.levels
        assert -23 <= levels.rms <= -18
        assert levels.peak <= -3
        assert levels.noise_floor <= -60
        assert levels.digital_silence == 0  # room tone, never zeros
        assert 0.5 <= levels.head <= 1.0 and 1.0 <= levels.tail <= 5.0
        assert (m.info.codec, m.info.sample_rate, m.info.channels) == ("mp3", 44100, 1)
        assert m.info.bitrate >= 192000 and m.info.constant_bitrate


def _speaker_loudness(book, tmp_path: Path) -> dict[str, float]:
    """Integrated loudness of each speaker's lines, cut from the chapter MP3s
    at the times the timing manifest gives."""
    timing = load(Path(book.folder) / "timing.json")
    lines: dict[str, list[np.ndarray]] = {}
    for chapter in timing.chapters:
        audio = decode(Path(book.folder) / chapter.file)
        for cue in chapter.cues:
            cut = audio[round(cue.start * 44100) : round(cue.end * 44100)]
            lines.setdefault(cue.speaker, []).append(cut)
    loudness = {}
    for speaker, cuts in lines.items():
        joined = np.concatenate(cuts)
        if len(joined) < 3 * 44100:  # too little speech for the loudness gate
            continue
        raw = tmp_path / f"{speaker}.f32"
        raw.write_bytes(joined.astype("<f4").tobytes())
        loudness[speaker] = quick_level(raw, 44100, "f32le", "loudness")
    return loudness


@pytest.mark.slow
def test_gene_alex_and_luigi_speak_at_one_loudness(tmp_path):
    loudness = _speaker_loudness(sample_book(), tmp_path)
    assert {"Gene", "Alex", "Luigi", "narrator"} <= set(loudness)
    spread = max(loudness.values()) - min(loudness.values())
    assert spread <= 1.0, loudness


@pytest.mark.slow
def test_a_quiet_voice_is_brought_up_to_the_others(tmp_path):
    # Nell's profile speaks at volume 0.3 (about 10 dB down); after mastering
    # she must sit with Tom and the narrator.
    loudness = _speaker_loudness(short_book("acx"), tmp_path)
    assert {"Nell", "Tom", "narrator"} <= set(loudness)
    assert max(loudness.values()) - min(loudness.values()) <= 1.0, loudness


@pytest.mark.slow
def test_podcast_preset_hits_its_loudness_within_1_lu():
    book = short_book("podcast")
    podcast = PRESETS["podcast"]
    m4b = [book.files["m4b"]]
    assert len(m4b) == 1
    for path in (*book.chapter_files, book.book_file, *m4b):
        m = measure_file(Path(path))
        assert m.info.channels == 1
        assert abs(m.levels.loudness - (-19.0)) <= 1.0, path  # mono target
        assert m.levels.true_peak <= -1.0, path
        assert judge(m, podcast, chapter=True) == [], path


def _clip(tmp_path: Path, pcm: np.ndarray) -> Clip:
    path = tmp_path / "clip.wav"
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(SAMPLE_RATE)
        out.writeframes((pcm * 32767).astype("<i2").tobytes())
    return Clip(path, SAMPLE_RATE, len(pcm))


def test_engine_padding_is_trimmed_from_clips(tmp_path):
    tone = 0.3 * np.sin(np.arange(SAMPLE_RATE) * 2 * np.pi * 220 / SAMPLE_RATE)
    padded = np.concatenate([np.zeros(SAMPLE_RATE // 4), tone, np.zeros(SAMPLE_RATE // 2)])
    trimmed = speech(_clip(tmp_path, padded))
    # One second of tone, plus at most the 10 ms margins either side.
    assert SAMPLE_RATE <= len(trimmed) <= SAMPLE_RATE + round(0.025 * SAMPLE_RATE)
    assert abs(trimmed[0]) < 1e-3 and abs(trimmed[-1]) < 1e-3  # faded, no click


def test_silent_clip_becomes_empty(tmp_path):
    assert len(speech(_clip(tmp_path, np.zeros(SAMPLE_RATE)))) == 0


@pytest.mark.slow
@pytest.mark.parametrize("name", ["acx", "podcast"])
def test_mastering_keeps_timing_and_reaches_its_aim(tmp_path, name):
    # Bursts of tone between silences, far too quiet and too loud in turn.
    rate = SAMPLE_RATE
    t = np.arange(rate) / rate
    burst = np.sin(2 * np.pi * 330 * t) * np.hanning(rate)
    raw_audio = np.concatenate(
        [
            np.zeros(rate),
            0.02 * burst,
            np.zeros(rate // 2),
            1.6 * burst,
            np.zeros(rate),
            0.3 * burst,
            np.zeros(rate),
        ]
    ).astype("<f4")
    raw = tmp_path / "chapter.f32"
    raw.write_bytes(raw_audio.tobytes())
    out = tmp_path / "chapter.pcm"
    target = PRESETS[name]
    samples = master_chapter(raw, rate, out, target)
    assert samples == len(raw_audio) * OUTPUT_RATE // rate
    level = quick_level(out, OUTPUT_RATE, "s16le", target.aim)
    assert abs(level - target.level) <= 0.5
    assert quick_level(out, OUTPUT_RATE, "s16le", "peak") <= target.ceiling + 0.1
    # the loud burst is still where it was: its centre is the loudest second
    mastered = np.frombuffer(out.read_bytes(), dtype="<i2").astype(np.float32)
    centre = int(np.argmax(np.abs(mastered)) / OUTPUT_RATE * 1000)
    assert 2000 <= centre <= 3500
