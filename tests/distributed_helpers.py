"""Real ``pressarchiv worker`` processes for the tests of crawls on workers."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

from crawl_helpers import CLI


class Workers:
    """Worker processes, each in a session of its own (so ``kill -9`` takes its jobs too)."""

    def __init__(self, folder: Path, broker: str, db: str):
        self.folder, self.broker, self.db = folder, broker, db
        self.procs: dict[str, subprocess.Popen] = {}

    def start(self, name: str, time_limit: int = 300, concurrency: int = 2) -> None:
        log = (self.folder / f"{name}.log").open("w")
        args = [*CLI, "worker", "--broker", self.broker, "--db", self.db,
                "--concurrency", str(concurrency),
                "--warc-dir", str(self.folder / "warc"), "--name", f"{name}@%h",
                "--time-limit", str(time_limit)]  # fmt: skip
        self.procs[name] = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT,
                                            start_new_session=True, cwd=self.folder,
                                            preexec_fn=lambda: os.nice(5))  # fmt: skip
        deadline = time.monotonic() + 60
        while "ready." not in self.log(name):
            assert time.monotonic() < deadline, self.log(name)
            assert self.procs[name].poll() is None, self.log(name)
            time.sleep(0.2)

    def log(self, name: str) -> str:
        return (self.folder / f"{name}.log").read_text()

    def kill(self, name: str) -> None:
        os.killpg(self.procs[name].pid, signal.SIGKILL)
        self.procs[name].wait()

    def stop(self) -> None:
        for proc in self.procs.values():
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in self.procs.values():
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
