"""Readers for formats other than plain text. Each turns its format into a
Document: the text it extracted (italics kept as `*...*`) and the Outline of
the book's structure in it (title, author, front matter, chapters of
paragraphs with scene numbers, back matter), built by layout.py. So parse
guesses nothing for them, and attribution and everything after it never know
the format. Readers import text/conventions.py and text/paragraphs.py, never
parse."""
