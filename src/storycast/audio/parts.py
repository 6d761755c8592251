"""parts: each chapter's mastered audio, encoded once (MP3 and AAC) and kept
in the book folder under the hash of everything that shaped it (its recipe,
assemble.chapter_recipe). A re-render makes only the chapters whose recipe
changed; the whole-book files are joined from the parts (join.py).

A part is complete when its JSON record exists and its files have the sizes
recorded there; the record is written last, so a render killed half way
leaves no part that looks complete."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from storycast import ffmpeg
from storycast.audio.frames import count_frames
from storycast.audio.master import Preset
from storycast.audio.measure import quick_level
from storycast.files import write_atomic
from storycast.model import ChapterAudio, Cue, Part

MP3_CODEC = ["-ar", "44100", "-c:a", "libmp3lame", "-b:a", "192k"]
"""ACX: 192 kbit/s CBR at 44.1 kHz."""
AAC_CODEC = ["-ar", "44100", "-c:a", "aac", "-aac_coder", "fast", "-b:a", "96k"]
PEAK_MARGIN = 0.3
"""dB kept below the preset's peak limit when an AAC encoding is corrected."""


class PartStore:
    """Parts as folder/<key>.mp3, .aac and .json."""

    def __init__(self, folder: Path):
        self.folder = folder

    def get(self, key: str) -> Part | None:
        """The complete part, or None (a damaged or partial one is removed)."""
        record = self.folder / f"{key}.json"
        try:
            data = json.loads(record.read_text(encoding="utf-8"))
            part = Part(
                key,
                self.folder / f"{key}.mp3",
                self.folder / f"{key}.aac",
                data["sample_rate"],
                data["samples"],
                data["mp3_frames"],
                data["aac_frames"],
                tuple(Cue(*cue) for cue in data["cues"]),
            )
            if (part.mp3.stat().st_size, part.aac.stat().st_size) == tuple(data["sizes"]):
                return part
        except FileNotFoundError:
            if not record.exists():
                return None
        except (OSError, ValueError, KeyError, TypeError):
            pass
        self._remove(key)
        return None

    def put(self, key: str, chapter: ChapterAudio, target: Preset) -> Part:
        """Encode a chapter's mastered PCM to both formats and record it."""
        pcm = Path(chapter.pcm_path)
        with ThreadPoolExecutor(max_workers=2) as pool:  # the two encoders side by side
            mp3_made = pool.submit(
                write_atomic,
                self.folder / f"{key}.mp3",
                lambda path: encode_mp3(pcm, chapter.sample_rate, path),
            )
            aac_made = pool.submit(
                write_atomic,
                self.folder / f"{key}.aac",
                lambda path: encode_aac(pcm, chapter.sample_rate, path, target),
            )
            mp3, aac = mp3_made.result(), aac_made.result()
        part = Part(
            key,
            mp3,
            aac,
            chapter.sample_rate,
            chapter.samples,
            count_frames(mp3),
            count_frames(aac),
            chapter.cues,
        )
        record = {
            "sample_rate": part.sample_rate,
            "samples": part.samples,
            "mp3_frames": part.mp3_frames,
            "aac_frames": part.aac_frames,
            "sizes": [mp3.stat().st_size, aac.stat().st_size],
            "cues": [[c.start, c.end, c.speaker, c.text] for c in part.cues],
        }
        write_atomic(
            self.folder / f"{key}.json",
            lambda path: path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8"),
        )
        return part

    def keep_only(self, keys: set[str]) -> None:
        """Remove the parts of chapters no longer in the book (and the files
        of parts a killed render left without their record)."""
        for path in self.folder.glob("[0-9a-f]*"):
            if path.stem not in keys:
                path.unlink(missing_ok=True)

    def _remove(self, key: str) -> None:
        for suffix in (".json", ".mp3", ".aac"):  # the record first: never a record alone
            (self.folder / f"{key}{suffix}").unlink(missing_ok=True)


def encode_mp3(pcm: Path, sample_rate: int, out: Path) -> None:
    """Raw mono PCM -> CBR MP3 (no tags of ffmpeg's own)."""
    ffmpeg.run(
        [*ffmpeg.pcm_input(pcm, sample_rate), *MP3_CODEC, *ffmpeg.NO_TAGS, "-f", "mp3", str(out)]
    )


def encode_aac(pcm: Path, sample_rate: int, out: Path, target: Preset | None = None) -> None:
    """Raw mono PCM -> AAC in ADTS frames.

    AAC overshoots the mastered peaks (by 1 to 2 dB at this bitrate, measured),
    so the encoding is measured and, if it breaks the preset's peak rule,
    made again that much quieter."""
    gain = 0.0
    for _ in range(2):
        volume = ["-af", f"volume={gain:.2f}dB"]
        ffmpeg.run(
            [*ffmpeg.pcm_input(pcm, sample_rate), *volume, *AAC_CODEC, "-f", "adts", str(out)]
        )
        rule = target.peak_rule if target else None
        if rule is None:
            return
        kind, limit = rule
        excess = quick_level(out, None, None, kind) - (limit - PEAK_MARGIN)
        if excess <= 0:
            return
        gain -= excess
