"""versions: the feed's content hash of each episode file, kept between
feed rebuilds under the file's identity (device, inode, size, modification
time), so a rebuild of a large library hashes only the files that changed:
hashing a ten-hour book's files takes about 1.5 s.

Every file storycast writes is written to a temporary name and renamed, so
a changed file is a new inode: a stale entry cannot match it."""

from __future__ import annotations

import json
from pathlib import Path

from storycast.files import write_text
from storycast.publish.library import content_version

VERSIONS_FILE = ".feed-versions.json"


class VersionCache:
    """content_version() of files under `output`, remembered in OUTPUT/.feed-versions.json."""

    def __init__(self, output: Path):
        self.output = output
        self.path = output / VERSIONS_FILE
        self.known = self._load()
        self.used: dict[str, list[str]] = {}

    def _load(self) -> dict[str, list[str]]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}  # none yet, or damaged: hash every file again
        if not isinstance(data, dict):
            return {}
        return {k: v for k, v in data.items() if isinstance(v, list) and len(v) == 2}

    def of(self, path: Path) -> str:
        """The file's content version, hashed only if it changed since last time."""
        status = path.stat()
        identity = f"{status.st_dev}:{status.st_ino}:{status.st_size}:{status.st_mtime_ns}"
        name = str(path.relative_to(self.output))
        entry = self.known.get(name)
        version = entry[1] if entry and entry[0] == identity else content_version(path)
        self.used[name] = [identity, version]
        return str(version)

    def save(self) -> None:
        """Keep the entries of this rebuild's files (the others are gone)."""
        write_text(self.path, json.dumps(self.used, sort_keys=True, indent=0) + "\n")
