"""package: chapter parts -> every file of the book: the chapter MP3s, the
timing manifest, and from it the whole-book MP3 and M4B (joined from the
parts), the transcripts, chapters.json and the script. Each file is written
under a temporary name and renamed when complete."""

from __future__ import annotations

import re
import shutil
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import replace
from pathlib import Path

from storycast.book import timing as manifest
from storycast.book import transcripts
from storycast.book.layout import BookFolder
from storycast.book.m4b import write_m4b
from storycast.book.mp3 import write_book_mp3, write_chapter
from storycast.errors import InputError
from storycast.files import write_text
from storycast.model import Audiobook, BookChapter, BookInfo, ProgressFactory, Script
from storycast.script import save


def package(
    script: Script,
    book: BookInfo,
    chapters: list[BookChapter],
    folder: BookFolder,
    master: str,
    progress: ProgressFactory | None = None,
) -> Audiobook:
    """Write the book's files from its chapters' parts; `master` names the
    preset the parts were made to (recorded in timing.json)."""
    advance = progress("Writing the book", len(chapters) + 2) if progress else None
    book = described(book, script)
    for chapter in chapters:
        write_chapter(chapter, book)
        if advance:
            advance(1)
    timing = manifest.book_timing(chapters, book, folder, master)
    remove_stale_chapters(folder, timing)
    paths = {role: folder.path / name for role, name in timing.files.items()}
    with ThreadPoolExecutor(max_workers=2) as pool:  # the two joins side by side
        joins = [
            pool.submit(write_book_mp3, chapters, paths["mp3"], book, timing),
            pool.submit(write_m4b, chapters, timing, paths["m4b"], book),
        ]
        for join in as_completed(joins):
            join.result()
            if advance:
                advance(1)
    # One text at a time, after the joins: a long book's texts are megabytes.
    write_text(paths["vtt"], transcripts.webvtt(timing, captions=True))
    write_text(paths["srt"], transcripts.srt(timing, captions=True))
    write_text(paths["chapters"], transcripts.podcast_chapters(timing))
    save(script, paths["script"])
    write_text(folder.timing, manifest.to_json(timing))  # last: the book is complete
    shutil.rmtree(folder.work_root, ignore_errors=True)
    files: dict[str, Path] = {
        role: paths[role]
        for role in ("mp3", "m4b", "cover", "vtt", "srt", "chapters")
        if role in paths
    }
    return Audiobook(
        folder.path,
        script.title,
        tuple(chapter.file for chapter in chapters),
        {**files, "script": paths["script"], "timing": folder.timing},
        timing.duration,
    )


def described(book: BookInfo, script: Script) -> BookInfo:
    """The book's tags completed from what the script knows: the year it was
    published, its summary, and its narrator (the narration's voice)."""
    year = re.search(r"\b(\d{4})\b", script.meta.date or "")
    return replace(
        book,
        year=book.year or (year.group(1) if year else None),
        description=book.description or script.meta.summary,
        narrator=book.narrator or f"storycast voice {script.cast.narrator!r}",
    )


def remove_stale_chapters(folder: BookFolder, timing: manifest.BookTiming) -> None:
    """Chapter files the last render wrote (as its timing.json records) that
    this one did not: an earlier, longer version's. Files storycast did not
    write are never touched."""
    try:
        previous = manifest.load(folder.timing)
    except InputError:  # no manifest yet (or a damaged one): nothing recorded
        return
    keep = {chapter.file for chapter in timing.chapters}
    for chapter in previous.chapters:
        path = folder.path / chapter.file
        if chapter.file not in keep and folder.is_chapter(path):
            path.unlink(missing_ok=True)


def package_chapters(
    script: Script,
    info: BookInfo,
    chapters: list[BookChapter],
    folder: BookFolder,
    progress: ProgressFactory | None,
) -> Audiobook:
    """The chosen chapters' files only: no whole-book file, and timing.json,
    the transcripts and the feed's view of the book stay as the last full
    render left them (a partial book is not a book to publish)."""
    advance = progress("Writing chapters", len(chapters)) if progress else None
    info = described(info, script)  # tagged as a whole render tags them
    for chapter in chapters:
        write_chapter(chapter, info)
        if advance:
            advance(1)
    seconds = sum(chapter.part.samples / chapter.part.sample_rate for chapter in chapters)
    return Audiobook(folder.path, script.title, tuple(c.file for c in chapters), {}, seconds)
