"""Export speed and memory at archive scale, beside the sqlite3 shell on the same archive.

``prepare(db, n)`` fills a synthetic SQLite archive (``storage.synthetic``) to ``n``
releases. ``run(db, folder)`` runs ``pressarchiv export`` in each format to a file and,
in the same run, the sqlite3 shell's ``-json`` mode (the reference of every format) and,
for CSV, also its ``-csv`` mode over the same releases in the same order (``SELECT * FROM
releases``); each is a separate process, timed (wall clock and CPU) and sampled for peak
memory (PSS of the process tree).

Without the ``sqlite3`` program the reference is Python's ``sqlite3`` module running the
same SELECT and writing each row with ``json.dumps`` / ``csv.writer`` (the report says
which reference was used).
"""

from __future__ import annotations

import resource
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

from scraper.bench.memory import INTERVAL, _tree_memory
from storage import Archive
from storage.synthetic import populate

REFERENCE_SQL = "SELECT * FROM releases ORDER BY published IS NULL, published, id"
MB = 1024 * 1024

_PYTHON_REFERENCE = """
import csv, json, sqlite3, sys
conn = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
cursor = conn.execute(sys.argv[3])
names = [d[0] for d in cursor.description]
out = sys.stdout
if sys.argv[2] == "csv":
    writer = csv.writer(out)
    writer.writerow(names)
    writer.writerows(cursor)
else:
    out.write("[")
    for n, row in enumerate(cursor):
        out.write(("\\n" if n == 0 else ",\\n") + json.dumps(dict(zip(names, row))))
    out.write("\\n]\\n")
"""


@dataclass
class Timing:
    """One measured command: wall and CPU seconds, peak memory, bytes written."""

    label: str
    seconds: float
    cpu: float
    peak: int
    size: int


def measure(label: str, args: list[str], output: Path) -> Timing:
    """Run ``args`` with stdout to ``output``; time it and sample its memory."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    with open(output, "wb") as out:
        child = subprocess.Popen(args, stdout=out, stderr=subprocess.PIPE)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        try:
            process = psutil.Process(child.pid)
            while not done.is_set():
                peak = max(peak, _tree_memory(process)[0])
                done.wait(INTERVAL)
        except psutil.Error:
            pass

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, stderr = child.communicate()
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    if child.returncode != 0:
        raise RuntimeError(f"{label} failed: {stderr.decode(errors='replace').strip()}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Timing(label, seconds, cpu, peak, output.stat().st_size)


def prepare(db: str, count: int, echo=print) -> None:
    """Fill the SQLite archive ``db`` to ``count`` synthetic releases."""
    with Archive(db) as archive:
        have = archive.count()
        if have < count:
            echo(f"generating {count - have} synthetic releases into {db} …")
            populate(archive.engine, count - have)


def reference_tool() -> str:
    """``sqlite3`` when the shell is installed, else ``python-sqlite3``."""
    return "sqlite3" if shutil.which("sqlite3") else "python-sqlite3"


def _reference_args(path: Path, mode: str) -> list[str]:
    if reference_tool() == "sqlite3":
        flags = ["-json"] if mode == "json" else ["-csv", "-header"]
        return ["sqlite3", "-readonly", *flags, str(path), REFERENCE_SQL]
    return [sys.executable, "-c", _PYTHON_REFERENCE, str(path), mode, REFERENCE_SQL]


def run(db: str, path: Path, folder: Path, formats=("jsonl", "json", "csv")) -> list[tuple]:
    """``(format, pressarchiv timing, reference timings)`` for each format: the shell's
    ``-json`` is the reference of every format (run once, first); CSV is also set beside
    its ``-csv``, run just before it."""
    json_reference = _reference(path, "json", folder)
    rows = []
    for fmt in formats:
        references = [json_reference]
        if fmt == "csv":
            references.append(_reference(path, "csv", folder))
        out = folder / f"export.{fmt}"
        args = [sys.executable, "-m", "scraper.cli", "export", "--format", fmt, "--db", db]
        ours = measure(f"pressarchiv {fmt}", args, out)
        out.unlink()
        rows.append((fmt, ours, references))
    return rows


def _reference(path: Path, mode: str, folder: Path) -> Timing:
    out = folder / f"reference.{mode}"
    timing = measure(f"{reference_tool()} -{mode}", _reference_args(path, mode), out)
    out.unlink()
    return timing


def report(count: int, rows: list[tuple]) -> str:
    """One line per run (time, CPU, peak memory), then each format's ratio to each
    reference (the reference's time over pressarchiv's)."""
    lines = [
        f"{count} releases; reference: {reference_tool()} on the same archive, same order",
        f"{'':24}{'wall s':>8}{'cpu s':>8}{'peak MB':>9}{'out MB':>8}{'rows/s':>9}",
    ]
    shown = set()
    for fmt, ours, references in rows:
        for timing in (*references, ours):
            if id(timing) not in shown:
                shown.add(id(timing))
                lines.append(
                    f"{timing.label:24}{timing.seconds:8.1f}{timing.cpu:8.1f}"
                    f"{timing.peak / MB:9.0f}{timing.size / MB:8.0f}{count / timing.seconds:9.0f}"
                )
        for ref in references:
            lines.append(
                f"  {fmt}: {ref.seconds / ours.seconds:.2f}x the reference's speed "
                f"(CPU: {ref.cpu / ours.cpu:.2f}x) against {ref.label}"
            )
    return "\n".join(lines)
