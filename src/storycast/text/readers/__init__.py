"""Readers for formats other than plain text. Each turns its format into a
Document whose text has the shape the parse stage already understands: a
title line, `by Author`, `Summary:`/`Notes:` front matter, `# Chapter` headings,
blank-line paragraphs, `* * *` scene breaks and `*italics*`. So attribution
and everything after it never know the format."""
