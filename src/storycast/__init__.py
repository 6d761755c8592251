"""storycast: turn prose stories into multi-voice, chaptered audiobooks."""

__version__ = "0.1.0"
