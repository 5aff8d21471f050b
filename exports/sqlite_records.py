"""Export records built by SQLite itself: Python takes one JSON text, or a few CSV parts,
per release, as bytes straight from the sqlite3 cursor, and writes them out.

The statements (``sqlite_sql``) give exactly what the Python path (``exports.rows``)
writes for every release they cover; a release they do not cover (a time stored in
another form, a CSV cell with a formula starter or a comma where none is expected, …)
is read again by the Python path, on the same connection and so from the same snapshot,
and takes its place in the order.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import orjson
from sqlalchemy import Connection, Select, literal_column, select

from exports import reading, sqlite_sql
from exports.columns import cell_text, has_formula, neutralise
from exports.writers import csv_line, encode_row
from storage.clusters import ReleaseCluster
from storage.models import Release, Revision

CURRENT, OLDEST = Revision.__table__.alias("cur"), Release.__table__.alias("oldest")
CURRENT_REVISION = (CURRENT.c.release_pk == Release.pk) & (CURRENT.c.number == Release.revision)
RUN_COMMAS = sum(sqlite_sql.CSV_COMMAS) + 3
_STARTS = b" =+-@"
CACHE_KIB = 64 * 1024
"""SQLite's page cache during an export (default 2 MiB): the inner pages of the tables and
indexes looked up for every release (current revision, URLs, cluster) stay in it instead
of being read from the file again for each release."""
FETCH = 100
"""Rows taken from the cursor at a time (few enough that their texts stay in the CPU's
cache while they are encoded and written)."""


def statements(fmt: str, filters: list) -> list[Select]:
    """Dated releases by ``(published, id)``, then undated ones by id: the record (JSON)
    or its parts (CSV), the publication date, the pk and whether the row is odd."""
    values = (sqlite_sql.JSON_RECORD,) if fmt != "csv" else sqlite_sql.CSV_VALUES
    columns = [literal_column(value) for value in values]
    joined = (
        select(*columns, Release.published, Release.pk, literal_column(sqlite_sql.odd(fmt)))
        .select_from(Release)
        .outerjoin(CURRENT, CURRENT_REVISION)
        .outerjoin(ReleaseCluster, ReleaseCluster.release_pk == Release.pk)
        .outerjoin(OLDEST, OLDEST.c.pk == ReleaseCluster.cluster_pk)
        .where(*filters)
    )
    return [
        joined.where(Release.published.is_not(None)).order_by(Release.published, Release.id),
        joined.where(Release.published.is_(None)).order_by(Release.id),
    ]


@contextmanager
def _page_cache(dbapi, kib: int):
    """SQLite's page cache of ``kib`` KiB while the export reads."""
    (before,) = dbapi.execute("PRAGMA cache_size").fetchone()
    dbapi.execute(f"PRAGMA cache_size = -{kib}")
    try:
        yield
    finally:
        dbapi.execute(f"PRAGMA cache_size = {int(before)}")


@contextmanager
def _text_as(dbapi, factory):
    """sqlite3 hands out TEXT values as ``factory`` (bytes: without decoding them)."""
    before = dbapi.text_factory
    dbapi.text_factory = factory
    try:
        yield
    finally:
        dbapi.text_factory = before


def _python_records(conn: Connection, fmt: str, pks: list[int]) -> dict[int, bytes]:
    """The records of releases ``pks`` as the Python path writes them."""
    encode = encode_row if fmt != "csv" else lambda row: csv_line(row).encode()[:-2]
    rows = reading.rows_of(conn, [reading.pk_in(Release.pk, pks, "sqlite")])
    return {pk: encode(row) for pk, row in rows}


def _quoted(cell: bytes) -> bytes:
    """``writers.quoted`` of UTF-8 bytes."""
    if b'"' in cell:
        return b'"' + cell.replace(b'"', b'""') + b'"'
    if b"," in cell or b"\n" in cell or b"\r" in cell:
        return b"".join((b'"', cell, b'"'))
    return cell


_PERSONS: dict[bytes, bytes] = {}
PERSONS_CACHE = 4096
"""Persons cells kept by their stored JSON (the same ministers and spokespeople recur)."""


def _persons_cell(persons: bytes) -> bytes:
    """The persons cell text of a stored persons list."""
    cell = _PERSONS.get(persons)
    if cell is None:
        if len(_PERSONS) >= PERSONS_CACHE:
            _PERSONS.clear()
        cell = _PERSONS[persons] = cell_text("persons", orjson.loads(persons)).encode()
    return cell


_MAYBE_FORMULA = (b";", b", ", b",-", b",+", b",=", b",@")


def _runs_need_python(runs: bytes, count: int = 1) -> bool:
    """Whether the joined runs of ``count`` rows (``,``-separated, each a run of cells
    joined by commas) may need the Python path: a comma, quote or line break of a cell's
    own (it would need quoting), or a tab, CR or formula starter (it would need
    neutralising). A formula starter follows a cell's start, a ``;`` or a tab (spaces
    between allowed): the quick look for those spares ``has_formula`` its look at each
    ``-`` of the dates, times and URLs."""
    if runs.count(b",") != count * RUN_COMMAS + count - 1:
        return True
    if b'"' in runs or b"\n" in runs or b"\t" in runs or b"\r" in runs:
        return True
    if runs[0] in _STARTS or any(sign in runs for sign in _MAYBE_FORMULA):
        return has_formula(runs)
    return False


def _csv_record(parts: tuple, runs: bytes | None) -> bytes | None:
    """The CSV record of one row's parts (``sqlite_sql.CSV_PARTS``), or None when the
    Python path must write it (``_runs_need_python``; ``runs`` None: known not to).
    Formula starters in the single cells are neutralised here."""
    (ids, ministry, where, kicker, title, subtitle, dateline, body, contact, persons,
     rest, citation, cluster) = parts  # fmt: skip
    if runs is not None and _runs_need_python(runs):
        return None
    cells = [ministry, kicker, title, subtitle, dateline, body, contact, _persons_cell(persons)]
    cells.append(citation)
    texts = b"\n".join(cells)  # a line break is a separator: each cell's start is one
    if b"\t" in texts or b"\r" in texts or has_formula(texts):
        cells = [neutralise(cell) for cell in cells]
    ministry, kicker, title, subtitle, dateline, body, contact, persons, citation = map(
        _quoted, cells
    )
    return b",".join(
        (ids, ministry, where, kicker, title, subtitle, dateline, body, contact, persons,
         rest, citation, cluster)
    )  # fmt: skip


def _csv_records(rows: list) -> tuple[list, list[int]]:
    """The chunk's CSV records (None where the Python path must write one) and the pks
    of those releases. The joined runs of the whole chunk are looked at once; only when
    that finds something is each row's looked at."""
    runs = [b",".join((row[0], row[2], row[10], row[12])) for row in rows]
    each = _runs_need_python(b",".join(runs), len(rows))
    records, python = [], []
    for row, run in zip(rows, runs, strict=True):
        record = None if row[-1] is not None else _csv_record(row[:-3], run if each else None)
        records.append(record)
        if record is None:
            python.append(row[-2])
    return records, python


def _records(fmt: str, rows: list) -> tuple[list, list[int]]:
    """The chunk's records (None where the Python path must write one) and the pks of
    those releases."""
    if fmt == "csv":
        return _csv_records(rows)
    records = [row[0] if row[-1] is None else None for row in rows]
    return records, [row[-2] for row in rows if row[-1] is not None]


def chunks(conn: Connection, fmt: str, filters: list) -> Iterator[tuple[list[bytes], list]]:
    """``(records, publication dates)`` of the export, ``FETCH`` releases at a time."""
    dbapi = conn.connection.dbapi_connection
    with _page_cache(dbapi, CACHE_KIB), _text_as(dbapi, bytes):
        cursors = [conn.execute(stmt).cursor for stmt in statements(fmt, filters)]
        for cursor in cursors:
            while rows := cursor.fetchmany(FETCH):
                records, python = _records(fmt, rows)
                if python:
                    with _text_as(dbapi, str):
                        found = _python_records(conn, fmt, python)
                    pks = iter(python)
                    records = [r if r is not None else found[next(pks)] for r in records]
                yield records, [row[-3] for row in rows]
