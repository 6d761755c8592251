"""A real Dask cluster on loopback for the library tests: `dask scheduler`
and `dask worker` processes, as a user would start them on several
machines (here all on 127.0.0.1, sharing the test's folders)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

DASK = str(Path(sys.executable).with_name("dask"))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class LoopbackCluster:
    """A scheduler and named workers (no nanny: killing one kills the worker)."""

    def __init__(self, folder: Path, workers: int = 2):
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.address = f"tcp://127.0.0.1:{free_port()}"
        self.scheduler = self._start(
            [DASK, "scheduler", "--host", "127.0.0.1", "--port", self.address.rsplit(":", 1)[1]],
            "scheduler",
        )
        self.workers = {f"w{n}": self._worker(f"w{n}") for n in range(1, workers + 1)}
        self.wait_for(workers)

    def _start(self, command: list[str], name: str, env: dict | None = None) -> subprocess.Popen:
        log = open(self.folder / f"{name}.log", "ab")  # noqa: SIM115 - closed with the process
        return subprocess.Popen(
            [*command, "--no-dashboard"],
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=self.folder,
            env=env,
            start_new_session=True,
        )

    def _worker(self, name: str, env: dict | None = None) -> subprocess.Popen:
        command = [DASK, "worker", self.address, "--name", name, "--nthreads", "1", "--no-nanny"]
        command += ["--local-directory", str(self.folder / name)]
        return self._start(command, name, env)

    def client(self):  # noqa: ANN201 - distributed.Client, imported late
        from distributed import Client

        return Client(self.address, timeout="20s")

    def wait_for(self, workers: int) -> None:
        with self.client() as client:
            client.wait_for_workers(workers, timeout=60)

    def revive(self) -> None:
        """Start again any worker a test killed."""
        dead = [name for name, process in self.workers.items() if process.poll() is not None]
        for name in dead:
            self.workers[name] = self._worker(name)
        if dead:
            self.wait_for(len(self.workers))

    def busy_worker(self, running: subprocess.Popen, kind: str = "part-") -> str:
        """The name of a worker seen holding a task whose key starts with
        `kind`. Fails if `running` ends before one is seen."""
        with self.client() as client:
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline and running.poll() is None:
                busy = [
                    address
                    for address, keys in client.processing().items()
                    if any(str(key).startswith(kind) for key in keys)
                ]
                if busy:
                    return str(client.scheduler_info()["workers"][busy[0]]["name"])
                time.sleep(0.05)
        raise AssertionError("the library finished before a worker was seen busy")

    def kill_busy_worker(self, running: subprocess.Popen) -> str:
        """SIGKILL a worker while it makes a chapter's part; its name."""
        name = self.busy_worker(running)
        self.workers[name].send_signal(signal.SIGKILL)
        self.workers[name].wait()
        return name

    def kill_scheduler_when_busy(self, running: subprocess.Popen) -> None:
        """SIGKILL the scheduler while a chapter's part is being made."""
        self.busy_worker(running)
        self.scheduler.send_signal(signal.SIGKILL)
        self.scheduler.wait()

    def close(self) -> None:
        """Killed outright: a graceful shutdown waits on timeouts for nothing here."""
        for process in [*self.workers.values(), self.scheduler]:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()
