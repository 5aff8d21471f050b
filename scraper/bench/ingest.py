"""Ingest speed: storing releases through the archive API beside raw ``executemany``.

``run(folder, n)`` stores ``n`` synthetic releases as crawled items (``storage.synthetic``)
through ``Archive.store`` in batches of 500 into a new SQLite archive, then copies every
row that this wrote (releases, URLs, revisions, persons, attachments, near-duplicate bands
and clusters, the search index and its vocabulary) with the ``sqlite3`` module's
``executemany`` into a second new archive of the same schema, one transaction per table.
The rows are read before the clock starts, so the reference is pure database work; the
search index is filled by inserting its rows into the FTS5 tables, which indexes them as
``Archive.store`` does.
"""

from __future__ import annotations

import importlib
import re
import sqlite3
import time
from contextlib import closing
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from statistics import median

from storage import Archive
from storage.phrase_pairs import TABLE as PAIRS
from storage.phrase_pairs import pairs
from storage.search_index import PARTS, documents
from storage.synthetic import items

BATCH = 500
SKIPPED = {"alembic_version", "runs", "run_sites", "failures", "export_marks"}
EXTERNAL = re.compile(r"content\s*=\s*'[^']+'")
"""An FTS5 table indexing another table's rows (filled by that table's triggers)."""


@dataclass
class Timed:
    label: str
    seconds: float
    cpu: float


def _clock() -> tuple[float, float]:
    return time.perf_counter(), time.process_time()


def _since(label: str, start: tuple[float, float]) -> Timed:
    wall, cpu = _clock()
    return Timed(label, wall - start[0], cpu - start[1])


class LocalClock:
    """Wall and CPU time of this process from now."""

    def __init__(self):
        self.start = _clock()

    def stop(self, label: str) -> Timed:
        return _since(label, self.start)


def store(db: str, count: int, clock=LocalClock) -> Timed:
    """``count`` synthetic releases through ``Archive.store`` (batches of ``BATCH``); the
    items are made, and the one-off imports and authority file loaded, before ``clock()``
    starts."""
    stream = items(count)
    batches = list(iter(lambda: list(islice(stream, BATCH)), []))
    importlib.import_module("storage.minhash")
    with Archive(db) as archive:
        archive.resolve_ministry()
        started = clock()
        for batch in batches:
            archive.store(batch)
        return started.stop("Archive.store")


def _tables(conn: sqlite3.Connection) -> list[tuple[str, list[str], bool]]:
    """``(name, columns, is_fts)`` of every table with data to copy (FTS5 shadow tables are
    left to the FTS5 table itself, and an FTS5 table over another table's content to the
    triggers that fill it)."""
    rows = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'").fetchall()
    fts = {name for name, sql in rows if "USING fts5" in (sql or "")}
    shadow = {n for n, _ in rows if n not in fts and any(n.startswith(f + "_") for f in fts)}
    filled = {name for name, sql in rows if name in fts and EXTERNAL.search(sql)}
    out = []
    for name, _ in rows:
        if name in SKIPPED | shadow | filled or name.startswith("sqlite_"):
            continue
        columns = [c[1] for c in conn.execute(f'PRAGMA table_xinfo("{name}")') if c[6] == 0]
        out.append((name, columns, name in fts))
    return out


def _documents(source: Path) -> list[tuple[int, dict[str, str]]]:
    """The search documents of every release of the archive at ``source``."""
    with Archive(f"sqlite:///{source}") as archive, archive.engine.connect() as conn:
        pks = list(conn.exec_driver_sql("SELECT pk FROM releases ORDER BY pk").scalars())
        return list(documents(conn, pks).items())


def copy_raw(source: Path, target: Path) -> tuple[Timed, int]:
    """The rows of ``source`` into ``target`` (same schema) by ``executemany``; the time
    and the number of rows."""
    docs = _documents(source)
    with closing(sqlite3.connect(source)) as src:
        tables = []
        for name, columns, fts in _tables(src):
            names = (["rowid"] if fts else []) + columns
            listed = ", ".join(f'"{c}"' for c in names)
            if name == "release_search":  # contentless: its words are made from the rows
                rows = [(pk, *(doc[p] for p in PARTS)) for pk, doc in docs]
            elif name == PAIRS:  # contentless too
                rows = [(pk, pairs(doc)) for pk, doc in docs]
            else:
                rows = src.execute(f'SELECT {listed} FROM "{name}"').fetchall()
            insert = f'INSERT INTO "{name}" ({listed}) VALUES ({", ".join("?" * len(names))})'
            tables.append((insert, rows))
    with closing(sqlite3.connect(target, isolation_level=None)) as conn:
        conn.execute("PRAGMA foreign_keys=OFF")
        start = _clock()
        for insert, rows in tables:
            conn.execute("BEGIN")
            conn.executemany(insert, rows)
            conn.execute("COMMIT")
        return _since("sqlite3 executemany", start), sum(len(rows) for _, rows in tables)


def run(folder: Path, count: int) -> tuple[Timed, Timed, int]:
    """Store ``count`` releases both ways into new archives in ``folder``."""
    ours, raw = folder / "api.sqlite", folder / "raw.sqlite"
    for path in (ours, raw):
        for old in folder.glob(path.name + "*"):
            old.unlink()
    Archive(f"sqlite:///{raw}").close()  # the same schema, empty
    timed = store(f"sqlite:///{ours}", count)
    reference, rows = copy_raw(ours, raw)
    return timed, reference, rows


def report(count: int, runs: list[tuple[Timed, Timed, int]], backend="SQLite") -> str:
    """The times of each side (the median over ``runs``, each a new pair of archives) and
    the median of the runs' ratios."""
    rows = runs[0][2]
    ours = _median([timed for timed, _, _ in runs])
    reference = _median([timed for _, timed, _ in runs])
    walls = [ref.seconds / own.seconds for own, ref, _ in runs]
    cpus = [ref.cpu / own.cpu for own, ref, _ in runs]
    lines = [
        f"{count} releases ({rows} rows in all tables), {backend}; reference: the same rows by "
        f"{reference.label}",
        f"{'':22}{'wall s':>8}{'cpu s':>8}{'releases/s':>12}",
    ]
    for timed in (ours, reference):
        lines.append(
            f"{timed.label:22}{timed.seconds:8.1f}{timed.cpu:8.1f}{count / timed.seconds:12.0f}"
        )
    lines.append(
        f"Archive.store: {median(walls):.2f}x raw executemany "
        f"(CPU: {median(cpus):.2f}x; target 0.3x)"
        + (f", median of {len(runs)} runs" if len(runs) > 1 else "")
    )
    if len(runs) > 1:
        lines.append(
            "each run: "
            + " ".join(f"{wall:.2f}x" for wall in walls)
            + " (CPU: "
            + " ".join(f"{cpu:.2f}x" for cpu in cpus)
            + ")"
        )
    return "\n".join(lines)


def _median(times: list[Timed]) -> Timed:
    """The median wall and CPU seconds of ``times`` (each taken on its own)."""
    seconds = median(timed.seconds for timed in times)
    return Timed(times[0].label, seconds, median(timed.cpu for timed in times))
