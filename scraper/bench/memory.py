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
    peak: int  # bytes: the highest sum of proportional memory (PSS) over the process tree
    peak_rss: int  # bytes: the same for resident memory (counts shared pages twice)
    seconds: float


def _tree_memory(process: psutil.Process) -> tuple[int, int]:
    """(PSS, RSS) summed over a process and its descendants."""
    pss = rss = 0
    for member in [process, *process.children(recursive=True)]:
        with contextlib.suppress(psutil.Error):  # ended between listing and reading
            info = member.memory_full_info()
            pss, rss = pss + getattr(info, "pss", info.rss), rss + info.rss
    return pss, rss


def run_measured(args: list[str], env: dict | None = None, timeout: float = 600) -> Measured:
    """Run ``args`` to the end, sampling the memory of it and all its children.

    ``peak`` sums PSS (each shared page split between the processes sharing it: what the
    command costs the machine); ``peak_rss`` sums RSS, an upper bound that counts pages the
    worker processes share with each other more than once.
    """
    started = time.monotonic()
    child = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             env=env)  # fmt: skip
    peak = peak_rss = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak, peak_rss
        try:
            process = psutil.Process(child.pid)
            while not done.is_set():
                pss, rss = _tree_memory(process)
                peak, peak_rss = max(peak, pss), max(peak_rss, rss)
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
    return Measured(child.returncode, stdout, stderr, peak, peak_rss, time.monotonic() - started)
