"""cluster: where a library's tasks run. Without an address, a local Dask
cluster of worker processes (spawned, as the synthesis pool's are: a parent
holding engine threads must not be forked); with one, an existing
scheduler. Before any work every worker is asked what it lacks."""

from __future__ import annotations

import logging
import os
import socket
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from storycast.errors import InputError, StorycastError
from storycast.model import VoiceProfile
from storycast.shelf.stories import code_fingerprint
from storycast.shelf.tasks import worker_lacks
from storycast.synth import engine_version

WORKERS_WAIT = 30.0
"""Seconds to wait for a scheduler's first worker."""


@contextmanager
def connect(address: str | None, jobs: int) -> Iterator[Any]:
    """A Dask client: of a local cluster with `jobs` worker processes (0: one
    per core), one thread each (the work is CPU-bound), or of the scheduler
    at `address`."""
    import distributed  # noqa: F401 - its import sets its loggers' levels: set ours after

    # Dask logs a lost scheduler or worker with tracebacks; the library says
    # what happened in one line instead (and Dask still reruns lost tasks).
    for name in ("distributed", "distributed.client", "distributed.worker"):
        logging.getLogger(name).setLevel(logging.CRITICAL)
    if address is None:
        from distributed import Client

        with _local_cluster(jobs or os.cpu_count() or 1) as cluster, Client(cluster) as client:
            yield client
        return
    try:
        _knock(address)
        from distributed import Client

        client = Client(address, timeout="10s")
    except (OSError, TimeoutError, ValueError) as error:
        raise InputError(
            f"{address}: no Dask scheduler answers there ({error}); "
            "start one with `dask scheduler`, or leave out --cluster"
        ) from None
    with client:
        try:
            client.wait_for_workers(1, timeout=WORKERS_WAIT)
        except TimeoutError:
            raise InputError(
                f"{address}: the scheduler has no workers; start some with `dask worker {address}`"
            ) from None
        yield client


def _knock(address: str) -> None:
    """Fail at once (not after Dask's retries) when nothing listens at a
    tcp:// address: OSError, e.g. connection refused."""
    scheme, _, place = address.rpartition("://")
    host, _, port = place.rpartition(":")
    if scheme in ("", "tcp") and host and port.isdigit():
        socket.create_connection((host.strip("[]"), int(port)), timeout=5).close()


@contextmanager
def _local_cluster(workers: int) -> Iterator[Any]:
    import dask
    from distributed import LocalCluster

    # No statistical profiler sampling each worker's stack every 10 ms: nobody
    # reads it here, and it costs a few per cent of the CPU the work needs.
    with (
        dask.config.set({"distributed.worker.profile.enabled": False}),
        LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=logging.ERROR,
        ) as cluster,
    ):
        yield cluster


class WorkerLacks(StorycastError):
    """A worker cannot do the library's work: the run stops."""


class WorkerCheck:
    """Asks every worker, once per engine and voice, whether it can say the
    books' lines and write to the output folder as this machine would."""

    def __init__(self, client: Any, out: Path):
        self.client = client
        self.checked: set[tuple[str, str]] = set()
        self.probe = out / ".library" / f"probe-{uuid.uuid4().hex}"

    def __enter__(self) -> WorkerCheck:
        self.probe.parent.mkdir(parents=True, exist_ok=True)
        self.probe.write_text("storycast library: can each worker see this folder?\n")
        return self

    def __exit__(self, *exc: object) -> None:
        with suppress(OSError):
            self.probe.unlink()

    def require(self, profiles: list[VoiceProfile]) -> None:
        """WorkerLacks naming each worker that lacks something these
        profiles need (checked once per engine and voice)."""
        new = {(p.engine, p.voice) for p in profiles} - self.checked
        if not new and self.checked:
            return
        needs: dict[str, list[str]] = {}
        for engine, voice in sorted(new):
            needs.setdefault(engine, []).append(voice)
        versions = {name: engine_version(name) for name in needs}
        answers = self.client.run(
            worker_lacks, str(self.probe), code_fingerprint(), needs, versions, on_error="return"
        )
        problems = [
            f"worker {address} lacks {'; '.join(_lacks(answer))}"
            for address, answer in sorted(answers.items())
            if not _gone(answer) and _lacks(answer)
        ]
        if problems:
            raise WorkerLacks("; ".join(problems))
        self.checked |= new


def _gone(answer: Any) -> bool:
    """A worker that died since the scheduler last heard from it: it lacks
    nothing, and its tasks go to the others."""
    from distributed.comm.core import CommClosedError

    return isinstance(answer, CommClosedError)


def _lacks(answer: Any) -> list[str]:
    if isinstance(answer, BaseException):
        return [f"a working storycast ({type(answer).__name__}: {answer})"]
    return list(answer)
