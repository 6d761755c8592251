"""session: which script a studio edits, where its book goes, and the work
the page asks for (a line's clip, a render).

- `studio script.yaml` edits that file in place; the book renders into
  OUT/<slug>/ as `storycast render script.yaml` would put it.
- `studio STORY` (any story format) edits the book folder's own script,
  OUT/<slug>/script.yaml: the file every render leaves there and the one
  `storycast render` takes back. It is made from the story (read,
  attributed, with the cast) the first time; after that it is opened as it
  is, so the edits of an earlier session are kept."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from storycast.book.layout import BookFolder
from storycast.cast import load_cast, load_profiles, voice_dirs
from storycast.errors import InputError, warn
from storycast.files import output_file, output_folder
from storycast.model import ProgressFactory, VoiceProfile
from storycast.render import RenderOptions, folder_lock, render
from storycast.script import is_script, load_script, load_yaml, save
from storycast.studio.clips import segment_wav
from storycast.studio.jobs import RenderJob
from storycast.studio.state import ScriptState, StudioError
from storycast.synth import ClipCache
from storycast.text.lexicon import Lexicon, lexicon_files, load_lexicon


@dataclass
class Studio:
    state: ScriptState
    book: BookFolder
    options: RenderOptions
    lexicon: Lexicon
    cache: ClipCache
    job: RenderJob = field(default_factory=RenderJob)

    def __post_init__(self) -> None:
        self.state.busy = lambda: (
            "a render is running: edit when it is done" if self.job.running else None
        )

    def clip(self, segment_id: int, voice: str | None = None) -> bytes:
        """A line's audio in its voice, or in the profile `voice` (a preview)."""
        with self.state.lock:
            self.state.refresh()
            segment = self.state.segment(segment_id)
            voices = dict(self.state.voices())
            thought = self.state.script.cast.thought
        if voice is not None:
            voices[segment.voiced_by] = self._profile(voice)
        return segment_wav(segment, voices, thought, self.lexicon, self.cache)

    def _profile(self, name: str) -> VoiceProfile:
        if name not in self.state.profiles:
            raise StudioError(f"no voice profile {name!r}")
        return self.state.profiles[name]

    def start_render(self) -> bool:
        """Start the incremental render of the script as saved; False if one runs."""
        return self.job.start(self._render)

    def _render(self, progress: ProgressFactory) -> str:
        book = render(self.state.path, self.options, progress)
        minutes, seconds = divmod(round(book.seconds), 60)
        return f"{book.title}: {len(book.chapter_files)} chapter(s), {minutes}:{seconds:02d}"


def open_studio(story: Path, cast_file: Path | None, options: RenderOptions) -> Studio:
    """The studio for STORY: its script file opened (made first for a story)."""
    output_folder(options.out, [story])
    if is_script(story):
        path, book = _own_script(story, cast_file, options.out)
    else:
        path, book = _book_script(story, cast_file, options.out)
    writing = (lambda: folder_lock(book)) if path.parent == book.path else None
    profiles = load_profiles(voice_dirs(options.voices))
    state = ScriptState(path, profiles, options.engine, writing)
    cache = ClipCache(options.cache or options.out / ".clips")
    lexicon = load_lexicon(lexicon_files(path))  # as `render` of that script finds it
    return Studio(state, book, replace(options, cast_file=None), lexicon, cache)


def _own_script(story: Path, cast_file: Path | None, out: Path) -> tuple[Path, BookFolder]:
    """A reviewed script.yaml, edited in place (with --cast: that cast saved into it)."""
    if not story.is_file():
        raise InputError(f"{story}: no such script file")
    path = output_file(story)
    script = load_yaml(path)
    if cast_file:
        save(replace(script, cast=load_cast(cast_file)), path)
    return path, BookFolder.for_title(out, script.title)


def _book_script(story: Path, cast_file: Path | None, out: Path) -> tuple[Path, BookFolder]:
    """OUT/<slug>/script.yaml: made from the story unless an earlier session
    or render left one (kept, with its edits)."""
    script = load_script(story, cast_file)
    book = BookFolder.for_title(out, script.title)
    book.claim(story)
    if book.script.is_file():
        if _newer(story, book.script):
            warn(
                f"{story} changed since {book.script} was made; the studio opens the "
                "script as it is (remove it to start again from the story)"
            )
        return book.script, book
    with folder_lock(book):  # marks the folder as a book folder, as a render does
        save(script, book.script)
    return book.script, book


def _newer(story: Path, script: Path) -> bool:
    try:
        if story.is_dir():
            return any(p.stat().st_mtime > script.stat().st_mtime for p in story.iterdir())
        return story.stat().st_mtime > script.stat().st_mtime
    except OSError:
        return False
