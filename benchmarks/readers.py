"""How long reading takes: a generated book as EPUB, HTML, Markdown and text,
read and parsed; and the speakable stage with a large lexicon. Prints
figures, asserts nothing. Run: .venv/bin/python benchmarks/readers.py [chapters]"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from storycast.model import Line, Segment, VoiceProfile
from storycast.script import load_script
from storycast.text.lexicon import parse_lexicon
from storycast.text.speakable import speakable

PARAGRAPHS = [
    "The rain had not stopped all week. Alex pushed open the door of the pub.",
    '"You\'re late, Bolly," said Gene. "It is 10:05 and that cost me £3.50."',
    "*He never changes.* Alex sat down and looked at the *very* wet floor.",
    '"Am I?" Alex asked. D.I. Drake shook the water from her coat.',
]


def book(chapters: int, paragraphs: int) -> list[tuple[str, list[str]]]:
    return [
        (f"Chapter {n}: Part {n}", PARAGRAPHS * (paragraphs // len(PARAGRAPHS)))
        for n in range(1, chapters + 1)
    ]


def write_all(folder: Path, chapters: list[tuple[str, list[str]]]) -> dict[str, Path]:
    import html
    import re

    from ebooklib import epub

    def as_html(text: str) -> str:
        return "<p>" + re.sub(r"\*(.+?)\*", r"<em>\1</em>", html.escape(text, quote=False)) + "</p>"

    text = "\n\n".join(
        ["A Long Tab", "by Somebody"]
        + [block for title, paragraphs in chapters for block in [title, *paragraphs]]
    )
    paths = {
        "txt": folder / "long.txt",
        "md": folder / "long.md",
        "html": folder / "long.html",
        "epub": folder / "long.epub",
    }
    paths["txt"].write_text(text)
    paths["md"].write_text(
        "---\ntitle: A Long Tab\n---\n\n"
        + "\n\n".join(
            block for title, paragraphs in chapters for block in [f"# {title}", *paragraphs]
        )
    )
    paths["html"].write_text(
        "<html><body><h1>A Long Tab</h1><div id='chapters'>"
        + "".join(
            f"<h2>{title}</h2>" + "".join(map(as_html, paragraphs))
            for title, paragraphs in chapters
        )
        + "</div></body></html>"
    )
    book_ = epub.EpubBook()
    book_.set_identifier("bench")
    book_.set_title("A Long Tab")
    documents = []
    for number, (title, paragraphs) in enumerate(chapters, 1):
        document = epub.EpubHtml(title=title, file_name=f"c{number}.xhtml")
        document.content = (
            f"<html><body><h1>{title}</h1>{''.join(map(as_html, paragraphs))}</body></html>"
        )
        book_.add_item(document)
        documents.append(document)
    book_.toc = documents
    book_.add_item(epub.EpubNcx())
    book_.add_item(epub.EpubNav())
    book_.spine = ["nav", *documents]
    epub.write_epub(str(paths["epub"]), book_)
    return paths


def main() -> None:
    chapters = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    with tempfile.TemporaryDirectory() as folder:
        paths = write_all(Path(folder), book(chapters, 40))
        for kind, path in paths.items():
            start = time.perf_counter()
            script = load_script(path)
            seconds = time.perf_counter() - start
            segments = sum(len(c.segments) for c in script.chapters)
            print(
                f"read+parse+attribute {kind:5} {path.stat().st_size / 1e6:6.2f} MB  "
                f"{len(script.chapters):4} chapters {segments:6} segments  {seconds:6.2f} s"
            )
    lexicon = parse_lexicon(
        {f"Name{n}": f"Respelled{n}" for n in range(500)}
        | {"Bolly": "Bollie", "Quattro": {"espeak": "kw'atr@U"}},
        "bench",
    )
    profile = VoiceProfile("narrator")
    lines = [Line(0, Segment("narration", text, 0, 0), profile, text) for text in PARAGRAPHS * 2500]
    start = time.perf_counter()
    speakable(lines, lexicon)
    seconds = time.perf_counter() - start
    print(f"speakable, {len(lexicon.entries)}-entry lexicon: {len(lines)} lines in {seconds:.2f} s")


if __name__ == "__main__":
    main()
