"""jobs: the book's render, run in a background thread, with its progress
for the page to poll (GET api/render)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from storycast.errors import StorycastError
from storycast.model import Advance, ProgressFactory

Work = Callable[[ProgressFactory], str]
"""A render: given a progress factory, it runs and returns a one-line summary."""


class RenderJob:
    """At most one render at a time; its state, stage, counts and message."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.state = "idle"
        self.stage = ""
        self.done = 0
        self.total = 0
        self.message = ""
        self.started = 0.0
        self.seconds = 0.0
        self.runs = 0

    @property
    def running(self) -> bool:
        return self.state == "running"

    def start(self, work: Work) -> bool:
        """Start `work` in a thread; False if a render is running already."""
        with self._lock:
            if self.running:
                return False
            self.state, self.stage, self.message = "running", "Starting", ""
            self.done = self.total = 0
            self.started = time.monotonic()
            self.runs += 1
        threading.Thread(target=self._run, args=(work,), daemon=True, name="render").start()
        return True

    def _run(self, work: Work) -> None:
        try:
            summary = work(self._progress)
        except StorycastError as error:
            self._finish("failed", " ".join(str(error).split()))
        except Exception as error:  # noqa: BLE001 (the server stays up; the page says what)
            self._finish("failed", f"the render failed: {error!r:.300}")
        else:
            self._finish("done", summary)

    def _finish(self, state: str, message: str) -> None:
        with self._lock:
            self.state, self.message = state, message
            self.seconds = time.monotonic() - self.started

    def _progress(self, description: str, total: int) -> Advance:
        with self._lock:
            self.stage, self.done, self.total = description, 0, total

        def advance(n: int = 1) -> None:
            with self._lock:
                if self.stage == description:
                    self.done = min(self.total, self.done + n)

        return advance

    def status(self) -> dict[str, Any]:
        with self._lock:
            seconds = time.monotonic() - self.started if self.running else self.seconds
            return {
                "state": self.state,
                "done": self.done,
                "total": self.total,
                "message": self.message or self.stage,
                "stage": self.stage,
                "seconds": round(seconds, 2),
                "runs": self.runs,
            }
