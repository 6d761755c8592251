"""Clips -> files: assembly, encoding, tags."""
