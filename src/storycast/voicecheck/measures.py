"""measures: what makes two voices sound apart, from their samples alone:
the median pitch of the voiced frames, and the average spectral envelope as
mel-frequency cepstral coefficients (MFCCs). numpy only, small and ours.

Both are measured on the same paragraph in every voice, so differences come
from the voice, not from what it says."""

from __future__ import annotations

import math

import numpy as np

LOWEST_PITCH = 60.0
HIGHEST_PITCH = 400.0
QUIET = 0.02
"""Frames below this RMS (full scale 1.0) are pauses, not speech."""
MEL_BANDS = 26
CEPSTRA = 12
"""MFCCs 1..12: the envelope's shape; c0 (loudness) is left out, so a louder
voice is not a different one."""


def samples(pcm: bytes) -> np.ndarray:
    """Mono 16-bit PCM as floats in -1..1."""
    return np.frombuffer(pcm, dtype="<i2").astype(np.float64) / 32768.0


def _frames(x: np.ndarray, size: int, hop: int) -> np.ndarray:
    if len(x) < size:
        return np.empty((0, size))
    count = 1 + (len(x) - size) // hop
    return np.lib.stride_tricks.sliding_window_view(x, size)[::hop][:count]


def median_pitch(x: np.ndarray, rate: int) -> float:
    """Median fundamental frequency (Hz) of the voiced frames, NaN when none.

    YIN's idea: in each loud frame, the cumulative-mean-normalised difference
    function dips near zero at the period; the first lag that dips below a
    threshold (then slid down to the bottom of its dip) is the period."""
    size = int(rate * 0.04)
    shortest, longest = int(rate / HIGHEST_PITCH), int(rate / LOWEST_PITCH)
    width = size - longest
    found = []
    for frame in _frames(x, size, int(rate * 0.01)):
        if np.sqrt(np.mean(frame**2)) < QUIET:
            continue
        lags = np.lib.stride_tricks.sliding_window_view(frame, width)[: longest + 1]
        difference = ((lags - frame[:width]) ** 2).sum(axis=1)[1:]
        normalised = (
            difference * np.arange(1, longest + 1) / np.maximum(np.cumsum(difference), 1e-12)
        )
        dips = np.flatnonzero(normalised[shortest - 1 :] < 0.15)
        if not len(dips):
            continue  # unvoiced: no clear period
        lag = shortest - 1 + int(dips[0])
        while lag + 1 < longest and normalised[lag + 1] < normalised[lag]:
            lag += 1
        found.append(rate / (lag + 1))
    return float(np.median(found)) if len(found) >= 5 else math.nan


def _mel(hz: np.ndarray | float) -> np.ndarray:
    return 2595.0 * np.log10(1.0 + np.asarray(hz) / 700.0)


def _mel_filters(rate: int, size: int) -> np.ndarray:
    """Triangular filters evenly spaced in mel from 0 Hz to 8 kHz (or Nyquist)."""
    top = _mel(min(8000.0, rate / 2))
    edges_hz = 700.0 * (10 ** (np.linspace(0.0, float(top), MEL_BANDS + 2) / 2595.0) - 1.0)
    bins = np.fft.rfftfreq(size, 1.0 / rate)
    filters = np.zeros((MEL_BANDS, len(bins)))
    for band in range(MEL_BANDS):
        low, centre, high = edges_hz[band : band + 3]
        rising = (bins - low) / (centre - low)
        falling = (high - bins) / (high - centre)
        filters[band] = np.clip(np.minimum(rising, falling), 0.0, None)
    return filters


def mean_mfcc(x: np.ndarray, rate: int) -> np.ndarray:
    """The average MFCC vector (1..12) of the loud frames: the voice's typical
    spectral envelope."""
    size, hop = int(rate * 0.025), int(rate * 0.01)
    frames = _frames(x, size, hop)
    frames = frames[np.sqrt(np.mean(frames**2, axis=1)) >= QUIET] if len(frames) else frames
    if not len(frames):
        return np.zeros(CEPSTRA)
    power = np.abs(np.fft.rfft(frames * np.hamming(size), axis=1)) ** 2
    energies = np.log(power @ _mel_filters(rate, size).T + 1e-10)
    n = np.arange(MEL_BANDS)
    dct = np.cos(np.pi / MEL_BANDS * (n[None, :] + 0.5) * np.arange(1, CEPSTRA + 1)[:, None])
    return (energies @ dct.T).mean(axis=0)


def spectral_distance(a: np.ndarray, b: np.ndarray) -> float:
    """Euclidean distance between two mean MFCC vectors."""
    return float(np.linalg.norm(a - b))


def semitones_apart(a: float, b: float) -> float:
    """How far apart two pitches are, in semitones (NaN if either is unknown)."""
    if not (a > 0 and b > 0):
        return math.nan
    return abs(12.0 * math.log2(a / b))
