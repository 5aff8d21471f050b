"""Peak memory of a command and every process it starts (psutil, sampled)."""

from __future__ import annotations

import contextlib
import subprocess
import threading
import time
from dataclasses import dataclass

import psutil

INTERVAL = 0.05  # seconds between samples


@dataclass
class Measured:
    """A finished command: its exit status, output and peak memory."""

    returncode: int
    stdout: str
    stderr: str
    peak_rss: int  # bytes: the highest sum of resident memory over the process tree
    seconds: float


def _tree_rss(process: psutil.Process) -> int:
    total = 0
    for member in [process, *process.children(recursive=True)]:
        with contextlib.suppress(psutil.Error):  # ended between listing and reading
            total += member.memory_info().rss
    return total


def run_measured(args: list[str], env: dict | None = None, timeout: float = 600) -> Measured:
    """Run ``args`` to the end, sampling the summed RSS of it and its children.

    The sum counts memory shared between processes more than once, so the figure is an
    upper bound of what the command needed.
    """
    started = time.monotonic()
    child = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             env=env)  # fmt: skip
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        try:
            process = psutil.Process(child.pid)
            while not done.is_set():
                peak = max(peak, _tree_rss(process))
                done.wait(INTERVAL)
        except psutil.Error:
            pass

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        stdout, stderr = child.communicate(timeout=timeout)
    finally:
        done.set()
        sampler.join()
        if child.poll() is None:
            child.kill()
            child.wait()
    return Measured(child.returncode, stdout, stderr, peak, time.monotonic() - started)
