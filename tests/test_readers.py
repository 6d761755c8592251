"""Readers: the same story as text, Markdown, HTML, EPUB (ebooklib and pandoc)
and a folder of chapters gives the same chapters and the same attribution."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from storycast.errors import InputError
from storycast.model import Script
from storycast.render import RenderOptions, render
from storycast.script import load_script
from storycast.text.read import read

TITLE, AUTHOR = "The Quiet Tab", "Ann Writer"
CAST = """\
characters:
  Gene: {gender: male, aliases: [Guv, Hunt]}
  Alex: {gender: female, aliases: [Bolly, Drake]}
"""
# (chapter title, paragraphs); "***" is a scene break, *...* italics.
CHAPTERS = [
    (
        "Chapter 1: Rain",
        [
            "The rain had not stopped all week. Alex pushed open the door of the pub.",
            '"You\'re late, Bolly," said Gene.',
            '"Am I?" Alex asked. She shook the water from her coat.',
            "***",
            'Gene lit a cigarette and looked at the *very* wet floor. "Always," he said.',
            "*He never changes.* Alex sat down.",
        ],
    ),
    (
        "Chapter 2: Sun",
        [
            "The sun came out at last. Gene looked up from his pint.",
            '"Told you it would stop," Gene said.',
            '"You did not," said Alex.',
            "*She always has to win,* Gene thought.",
        ],
    ),
]


def plain_text() -> str:
    parts = [TITLE, f"by {AUTHOR}"]
    for title, paragraphs in CHAPTERS:
        parts.append(title)
        parts += ["* * *" if p == "***" else p for p in paragraphs]
    return "\n\n".join(parts) + "\n"


def markdown_text(front_matter: bool = True) -> str:
    parts = [f"---\ntitle: {TITLE}\nauthor: {AUTHOR}\nlang: en-GB\n---"] if front_matter else []
    for title, paragraphs in CHAPTERS:
        parts.append(f"# {title}")
        parts += paragraphs
    return "\n\n".join(parts) + "\n"


def html_paragraphs(paragraphs: list[str]) -> str:
    out = []
    for paragraph in paragraphs:
        if paragraph == "***":
            out.append("<hr/>")
        else:
            text = re.sub(r"\*(.+?)\*", r"<em>\1</em>", html.escape(paragraph, quote=False))
            out.append(f"<p>{text}</p>")
    return "\n".join(out)


def archive_html() -> str:
    """A page shaped like a fan-fiction archive's HTML download."""
    chapters = "\n".join(
        f'<div class="meta group"><h2 class="heading">{title}</h2>'
        f'<div class="notes"><p>Chapter notes, not read.</p></div></div>'
        f'<div class="userstuff">{html_paragraphs(paragraphs)}</div>'
        for title, paragraphs in CHAPTERS
    )
    return f"""<!DOCTYPE html><html lang="en-GB"><head><title>{TITLE} - {AUTHOR}</title></head>
<body>
<div id="preface">
  <p class="message">Posted originally on the Archive.</p>
  <div class="meta"><dl class="tags">
    <dt>Series:</dt><dd>Part 2 of <a href="#">Pub Tales</a></dd>
  </dl>
  <h1>{TITLE}</h1>
  <div class="byline">by <a rel="author" href="#">{AUTHOR}</a></div>
  <p>Summary</p><blockquote class="userstuff"><p>Gene and Alex wait out the rain.</p></blockquote>
  <p>Notes</p><blockquote class="userstuff"><p>Thanks to my beta.</p></blockquote>
  </div>
</div>
<div id="chapters">{chapters}</div>
<div id="afterword"><p>Kudos and comments welcome.</p></div>
</body></html>"""


def ebooklib_epub(path: Path) -> Path:
    from ebooklib import epub

    book = epub.EpubBook()
    book.set_identifier("storycast-test")
    book.set_title(TITLE)
    book.set_language("en")
    book.add_author(AUTHOR)
    book.add_metadata("DC", "description", "Gene and Alex wait out the rain.")
    book.add_metadata(None, "meta", "", {"name": "calibre:series", "content": "Pub Tales"})
    book.add_metadata(None, "meta", "", {"name": "calibre:series_index", "content": "2.0"})
    book.set_cover("cover.png", _tiny_png())
    copyright_page = epub.EpubHtml(title="Copyright", file_name="copyright.xhtml")
    copyright_page.content = "<html><body><p>Copyright 2024, all rights reserved.</p></body></html>"
    documents = [copyright_page]
    for number, (title, paragraphs) in enumerate(CHAPTERS, 1):
        chapter = epub.EpubHtml(title=title, file_name=f"chap_{number}.xhtml")
        chapter.content = (
            f"<html><body><h1>{title}</h1>{html_paragraphs(paragraphs)}"
            f'<p>A sentence with a note.<a epub:type="noteref" href="#n{number}">'
            f"<sup>{number}</sup></a></p>"
            f'<aside epub:type="footnote" id="n{number}"><p>Footnote text.</p>'
            f"</aside></body></html>"
        )
        documents.append(chapter)
    for document in documents:
        book.add_item(document)
    book.toc = [epub.Link(d.file_name, d.title, d.file_name.split(".")[0]) for d in documents]
    book.add_item(epub.EpubNcx())
    book.add_item(epub.EpubNav())
    book.spine = ["cover", "nav", *documents]
    epub.write_epub(str(path), book)
    return path


def _tiny_png() -> bytes:
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\x80"))
        + chunk(b"IEND", b"")
    )


def chapter_folder(folder: Path) -> Path:
    folder.mkdir()
    (first_title, first), (second_title, second) = CHAPTERS
    (folder / "01 - rain.txt").write_text(
        f"{first_title}\n\n" + "\n\n".join("* * *" if p == "***" else p for p in first) + "\n",
        encoding="utf-8",
    )
    (folder / "02 - sun.html").write_text(
        f"<html><body><h2>{second_title}</h2>{html_paragraphs(second)}</body></html>",
        encoding="utf-8",
    )
    (folder / "notes.yaml").write_text("not a chapter\n", encoding="utf-8")
    return folder


def summary(story: Path, cast: Path) -> list:
    """Chapter titles and every spoken line (speech and thought) with its speaker."""
    script = load_script(story, cast)
    return [
        (
            chapter.title,
            [
                (s.kind, s.speaker, _plain(s.text))
                for s in chapter.segments
                if s.kind in ("speech", "thought")
            ],
        )
        for chapter in script.chapters
    ]


def all_text(script: Script) -> str:
    """Every segment's text, chapter after chapter, as one string."""
    return " ".join(s.text for c in script.chapters for s in c.segments)


def _plain(text: str) -> str:
    return text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')


@pytest.fixture()
def cast_file(tmp_path: Path) -> Path:
    path = tmp_path / "cast.yaml"
    path.write_text(CAST, encoding="utf-8")
    return path


@pytest.fixture()
def expected(tmp_path: Path, cast_file: Path) -> list:
    story = tmp_path / "quiet-tab.txt"
    story.write_text(plain_text(), encoding="utf-8")
    found = summary(story, cast_file)
    assert [title for title, _ in found] == [title for title, _ in CHAPTERS]
    return found


def test_plain_text_story_has_speakers_and_thoughts(expected: list) -> None:
    lines = [line for _, chapter in expected for line in chapter]
    assert ("speech", "Gene", "You're late, Bolly,") in lines
    assert ("speech", "Alex", "Am I?") in lines
    assert ("thought", "Alex", "He never changes.") in lines
    assert ("thought", "Gene", "She always has to win,") in lines


def test_markdown_reads_like_the_text(tmp_path: Path, cast_file: Path, expected: list) -> None:
    story = tmp_path / "quiet-tab.md"
    story.write_text(markdown_text(), encoding="utf-8")
    assert summary(story, cast_file) == expected
    document = read(story)
    assert (document.meta.title, document.meta.author, document.meta.language) == (
        TITLE,
        AUTHOR,
        "en-GB",
    )


def test_markdown_title_over_second_level_chapters(
    tmp_path: Path, cast_file: Path, expected: list
) -> None:
    story = tmp_path / "story.md"
    body = markdown_text(front_matter=False).replace("# Chapter", "## Chapter")
    story.write_text(f"# {TITLE}\n\n{body}", encoding="utf-8")
    assert summary(story, cast_file) == expected
    assert load_script(story, cast_file).title == TITLE


def test_archive_html_reads_like_the_text(tmp_path: Path, cast_file: Path, expected: list) -> None:
    story = tmp_path / "quiet-tab.html"
    story.write_text(archive_html(), encoding="utf-8")
    assert summary(story, cast_file) == expected
    script = load_script(story, cast_file)
    assert (script.title, script.author) == (TITLE, AUTHOR)
    assert script.meta.summary == "Gene and Alex wait out the rain."
    assert (script.meta.series, script.meta.series_index) == ("Pub Tales", "2")
    assert script.meta.language == "en-GB"
    everything = all_text(script)
    assert "Chapter notes" not in everything and "Kudos" not in everything
    assert any("beta" in s.text for s in script.front_matter)


def test_epub_reads_like_the_text(tmp_path: Path, cast_file: Path, expected: list) -> None:
    story = ebooklib_epub(tmp_path / "quiet-tab.epub")
    assert summary(story, cast_file) == expected
    script = load_script(story, cast_file)
    everything = all_text(script)
    assert "Copyright" not in everything and "Footnote text" not in everything
    assert "note." in everything  # the paragraph stays, its note marker goes
    assert script.meta.author == AUTHOR
    assert (script.meta.series, script.meta.series_index) == ("Pub Tales", "2")
    assert script.meta.summary == "Gene and Alex wait out the rain."
    assert script.meta.cover == _tiny_png() and script.meta.cover_type == "image/png"


def test_folder_of_chapters_reads_like_the_text(
    tmp_path: Path, cast_file: Path, expected: list
) -> None:
    folder = chapter_folder(tmp_path / "quiet-tab")
    found = summary(folder, cast_file)
    assert found == expected


def test_folder_files_in_natural_order(tmp_path: Path) -> None:
    folder = tmp_path / "book"
    folder.mkdir()
    for number in (10, 2, 1):
        (folder / f"chapter {number}.txt").write_text(
            f"Words of part {number}.\n", encoding="utf-8"
        )
    titles = [c.title for c in load_script(folder).chapters]
    assert titles == ["chapter 1", "chapter 2", "chapter 10"]


def test_emphasis_kept_on_segments(tmp_path: Path, cast_file: Path) -> None:
    story = tmp_path / "quiet-tab.html"
    story.write_text(archive_html(), encoding="utf-8")
    segments = [s for c in load_script(story, cast_file).chapters for s in c.segments]
    floor = next(s for s in segments if "wet floor" in s.text)
    assert "*" not in floor.text
    assert [floor.text[a:b] for a, b in floor.emphasis] == ["very"]


def test_unreadable_inputs_say_why(tmp_path: Path) -> None:
    broken = tmp_path / "broken.epub"
    broken.write_bytes(b"not a zip")
    with pytest.raises(InputError, match="broken.epub"):
        read(broken)
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(InputError, match="no chapter files"):
        read(empty)


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("pandoc") is None, reason="pandoc is not installed")
def test_pandoc_epub_renders_end_to_end(tmp_path: Path, cast_file: Path, expected: list) -> None:
    """A real EPUB from a common tool: pandoc's title page, navigation and
    footnotes, read and rendered to audio with the real engine."""
    source = tmp_path / "quiet-tab.md"
    source.write_text(
        markdown_text() + "\nA last line.[^1]\n\n[^1]: A footnote, not read.\n", encoding="utf-8"
    )
    story = tmp_path / "quiet-tab.epub"
    cover = tmp_path / "cover.png"
    cover.write_bytes(_tiny_png())
    subprocess.run(
        ["pandoc", str(source), "-o", str(story), f"--epub-cover-image={cover}"],
        check=True,
        capture_output=True,
    )
    assert summary(story, cast_file) == expected
    story.with_name("quiet-tab.cast.yaml").write_text(CAST, encoding="utf-8")
    book = render(story, RenderOptions(out=tmp_path / "out", jobs=1))
    assert len(book.chapter_files) == 2 and book.seconds > 5
    assert all(Path(f).stat().st_size > 1000 for f in book.chapter_files)
    script = Path(book.script_file).read_text(encoding="utf-8")
    assert "thought" in script and "footnote" not in script.lower()
    # the EPUB's cover (one grey pixel) became the book's square cover.jpg
    grey = subprocess.run(
        [
            "ffmpeg",
            "-v",
            "error",
            "-i",
            str(Path(book.folder) / "cover.jpg"),
            "-f",
            "rawvideo",
            "-pix_fmt",
            "gray",
            "-",
        ],
        check=True,
        capture_output=True,
    ).stdout
    assert len(grey) == 1400 * 1400 and min(grey) >= 120 and max(grey) <= 136
    reviewed = load_script(Path(book.script_file))
    assert reviewed.meta.language == "en-GB" and reviewed.author == AUTHOR


def zipfile_epub2(path: Path) -> Path:
    """An EPUB 2 written by hand: NCX contents only, a cover page, an HTML
    contents page, a chapter split over two files, and a notes file."""
    import zipfile

    def page(body: str) -> str:
        return (
            '<?xml version="1.0" encoding="utf-8"?><html xmlns="http://www.w3.org/1999/xhtml">'
            f"<head><title>x</title></head><body>{body}</body></html>"
        )

    (first_title, first), (second_title, second) = CHAPTERS
    files = {
        "OEBPS/cover.xhtml": page('<div><img src="cover.png" alt="Cover"/></div>'),
        "OEBPS/contents.xhtml": page(
            '<h1>Contents</h1><ul><li><a href="c1a.xhtml">One</a></li>'
            '<li><a href="c2.xhtml">Two</a></li></ul>'
        ),
        "OEBPS/c1a.xhtml": page(f"<h2>{first_title}</h2>{html_paragraphs(first[:3])}"),
        "OEBPS/c1b.xhtml": page(html_paragraphs(first[3:])),
        "OEBPS/c2.xhtml": page(f'<h2 class="chapter">{second_title}</h2>{html_paragraphs(second)}'),
        "OEBPS/notes.xhtml": page("<h2>Notes</h2><p>1. A note that is not read.</p>"),
    }
    manifest = "".join(
        f'<item id="{Path(name).stem}" href="{Path(name).name}" '
        f'media-type="application/xhtml+xml"/>'
        for name in files
    )
    spine = "".join(f'<itemref idref="{Path(name).stem}"/>' for name in files)
    navpoints = "".join(
        f'<navPoint id="n{n}" playOrder="{n}"><navLabel><text>{title}</text></navLabel>'
        f'<content src="{src}"/></navPoint>'
        for n, (title, src) in enumerate(
            [
                ("Cover", "cover.xhtml"),
                ("Contents", "contents.xhtml"),
                (first_title, "c1a.xhtml"),
                (second_title, "c2.xhtml"),
                ("Notes", "notes.xhtml"),
            ],
            1,
        )
    )
    opf = f"""<?xml version="1.0" encoding="utf-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="2.0" unique-identifier="id">
<metadata xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:opf="http://www.idpf.org/2007/opf">
<dc:title>{TITLE}</dc:title><dc:creator opf:role="aut">{AUTHOR}</dc:creator>
<dc:language>en</dc:language><dc:identifier id="id">test-epub2</dc:identifier>
<meta name="cover" content="cover-image"/>
</metadata>
<manifest><item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>
<item id="cover-image" href="cover.png" media-type="image/png"/>{manifest}</manifest>
<spine toc="ncx">{spine}</spine></package>"""
    ncx = f"""<?xml version="1.0" encoding="utf-8"?>
<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1">
<head><meta name="dtb:uid" content="test-epub2"/></head><docTitle><text>{TITLE}</text></docTitle>
<navMap>{navpoints}</navMap></ncx>"""
    container = """<?xml version="1.0"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
<rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>
</rootfiles></container>"""
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip")
        archive.writestr("META-INF/container.xml", container)
        archive.writestr("OEBPS/content.opf", opf)
        archive.writestr("OEBPS/toc.ncx", ncx)
        archive.writestr("OEBPS/cover.png", _tiny_png())
        for name, text in files.items():
            archive.writestr(name, text)
    return path


def test_epub2_reads_like_the_text(tmp_path: Path, cast_file: Path, expected: list) -> None:
    story = zipfile_epub2(tmp_path / "quiet-tab.epub")
    assert summary(story, cast_file) == expected
    script = load_script(story, cast_file)
    everything = all_text(script)
    assert "Contents" not in everything and "not read" not in everything
    assert script.meta.cover == _tiny_png()


def test_plain_html_with_chapter_headings_keeps_them(
    tmp_path: Path, cast_file: Path, expected: list
) -> None:
    story = tmp_path / "page.html"
    story.write_text(
        f"<html><head><title>{TITLE}</title></head><body>"
        + "".join(
            f"<h1>{title}</h1>{html_paragraphs(paragraphs)}" for title, paragraphs in CHAPTERS
        )
        + "</body></html>",
        encoding="utf-8",
    )
    assert summary(story, cast_file) == expected
    assert load_script(story, cast_file).title == TITLE


def test_markdown_scene_breaks_markdown_would_misread(tmp_path: Path) -> None:
    story = tmp_path / "breaks.md"
    story.write_text(
        "# One\n\nGene sat.\n\n~~~\n\nAlex stood.\n\n#\n\nGene left.\n\n-/-/-\n\nAlex won.\n",
        encoding="utf-8",
    )
    script = load_script(story)
    scenes = [s.scene for c in script.chapters for s in c.segments if s.kind == "narration"]
    assert scenes == [0, 1, 2, 3]


def test_note_markers_go_but_superscript_words_stay(tmp_path: Path) -> None:
    story = tmp_path / "notes.html"
    story.write_text(
        "<html><body><h1>One</h1><p>He came 1<sup>st</sup>.<sup><a href='#n1'>1"
        "</a></sup> Then<sup>[2]</sup> he left.</p></body></html>",
        encoding="utf-8",
    )
    texts = [
        s.text for c in load_script(story).chapters for s in c.segments if s.kind == "narration"
    ]
    assert texts == ["He came 1st. Then he left."]
