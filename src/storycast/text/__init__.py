"""Story text -> script: read, parse, attribute, speakable."""
