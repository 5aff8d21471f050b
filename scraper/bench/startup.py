"""``pressarchiv bench startup``: how long short commands take from start to exit.

Each command runs ``runs`` times in a fresh process (after one untimed run that leaves
the bytecode caches warm), beside two references run the same way in the same loop: the
interpreter doing nothing (``python -c pass``) and the sqlite3 shell counting the
archive's releases. The children run without ``PYTHONDONTWRITEBYTECODE`` (an installed
pressarchiv keeps its ``.pyc`` files); wall and CPU seconds (user + system of the child)
are medians.
"""

from __future__ import annotations

import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

TARGETS = {"--help": 0.3, "search": 0.5}
"""Wall-clock targets (seconds) of issue 9 by the command's first argument."""


@dataclass
class Timing:
    """Median wall and CPU seconds of one command line."""

    label: str
    wall: float
    cpu: float
    reference: bool = False


def pressarchiv() -> list[str]:
    """The ``pressarchiv`` script beside this interpreter (else ``python -m scraper.cli``)."""
    script = Path(sys.executable).with_name("pressarchiv")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "scraper.cli"]


def commands(db: str, path: Path, query: str) -> list[tuple[str, list[str], bool]]:
    """``(label, argv, is a reference)`` of everything timed."""
    tool = pressarchiv()
    count = "SELECT count(*) FROM releases"
    found = [
        ("python -c pass", [sys.executable, "-c", "pass"], True),
        ("python -c 'import sqlalchemy'", [sys.executable, "-c", "import sqlalchemy"], True),
    ]
    if shutil.which("sqlite3"):
        found.append((f"sqlite3 FILE '{count}'", ["sqlite3", str(path), count], True))
    found += [
        ("pressarchiv --help", [*tool, "--help"], False),
        (f"pressarchiv search {query}", [*tool, "search", query, "--db", db], False),
        ("pressarchiv stats", [*tool, "stats", "--db", db], False),
    ]
    return found


def _timed(argv: list[str], env: dict) -> tuple[float, float]:
    """Wall and CPU seconds of one run of ``argv`` (its output discarded)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, check=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def run(db: str, path: Path, query: str, runs: int) -> list[Timing]:
    """The median timings of ``commands``, their runs interleaved (round by round), so
    that a change in the machine's load meets every command alike."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    lines = commands(db, path, query)
    for _, argv, _ in lines:
        _timed(argv, env)  # warm: bytecode caches written, files in the page cache
    walls: dict[str, list[float]] = {label: [] for label, _, _ in lines}
    cpus: dict[str, list[float]] = {label: [] for label, _, _ in lines}
    for _ in range(runs):
        for label, argv, _ in lines:
            wall, cpu = _timed(argv, env)
            walls[label].append(wall)
            cpus[label].append(cpu)
    return [
        Timing(label, statistics.median(walls[label]), statistics.median(cpus[label]), ref)
        for label, _, ref in lines
    ]


def _target(label: str) -> float | None:
    words = label.split()
    return TARGETS.get(words[1]) if len(words) > 1 and words[0] == "pressarchiv" else None


def report(timings: list[Timing], runs: int, releases: int) -> str:
    """A table: median wall and CPU seconds, the wall ratio to ``python -c pass`` and to
    the sqlite3 shell, and the target where issue 9 names one."""
    floor = timings[0].wall
    shell = next((t.wall for t in timings if t.label.startswith("sqlite3")), None)
    load = os.getloadavg()
    lines = [
        f"{runs} runs each, medians; archive of {releases} releases; load average "
        f"{load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} on {os.cpu_count()} CPUs",
        "",
        f"{'command':44} {'wall s':>7} {'CPU s':>7} {'x pass':>7} {'x sqlite3':>9}  target",
    ]
    for t in timings:
        target = _target(t.label)
        verdict = "" if target is None else f"< {target} s {'met' if t.wall < target else 'MISSED'}"
        versus = f"{t.wall / shell:9.1f}" if shell else f"{'':9}"
        times = f"{t.wall:7.3f} {t.cpu:7.3f} {t.wall / floor:7.1f}"
        lines.append(f"{t.label[:44]:44} {times} {versus}  {verdict}")
    return "\n".join(lines)
