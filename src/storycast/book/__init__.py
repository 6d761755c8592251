"""book: a rendered book's files, from chapter parts to MP3, M4B, transcripts and cover."""
