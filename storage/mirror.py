"""An incremental SQLite mirror of an archive, for browsing it in Datasette (SQLite only).

``mirror(source_url, path)`` makes ``path`` a copy of the archive at ``source_url`` (a
PostgreSQL server, or another SQLite file) and, run again, brings it up to date by copying
only what changed since:

* A release is *touched* when its fingerprint differs from the mirror's: revision number,
  last and withdrawn times, ministry link, number of URLs and attachments. That catches new
  and edited texts, re-fetches (``last_seen``) and withdrawals, which leave no revision, and
  revisions committed late on PostgreSQL (a sequence hands out ``revisions.pk`` in order,
  but concurrent crawls may commit them out of order, so a high-water mark alone could
  skip one). The fingerprint is a few columns per release; only touched releases are copied.
* Of a touched release: its row, URLs, persons, attachments, near-duplicate bands and
  pairs are replaced, its revisions not yet in the mirror added (revisions never change),
  and its search document rebuilt on the mirror through ``storage.search_index``.
* Cluster membership (a new member may re-point others), the crawl log of runs that were
  not finished at the last mirror, and the export marks are compared whole (small tables).

The source is read in one snapshot (repeatable read) and the mirror written in one
transaction (WAL mode): ``pressarchiv serve`` reading the mirror meanwhile sees the old
state until the commit, then the new one, and never an error. Running it twice changes
nothing the second time. ``mirror_source`` in the mirror names the source; a file that is
an archive of its own (no such table) is refused, so a mirror never overwrites archived data.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Connection, Table, delete, func, select, text, tuple_
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from storage import clusters  # noqa: F401 (registers the near-duplicate tables)
from storage.archive import Archive
from storage.errors import ArchiveError
from storage.models import (
    Attachment,
    Base,
    ExportMark,
    Failure,
    Release,
    ReleaseUrl,
    Revision,
    Run,
    RunSite,
)
from storage.search_index import documents, index_for, rebuild

STATE = "mirror_source"
CHUNK = 500
TABLES = Base.metadata.tables
RELEASE_TABLES = ("release_urls", "release_persons", "attachments", "dupe_bands")
"""Rows of a touched release that are replaced whole (keyed by ``release_pk``)."""


@dataclass
class MirrorCounts:
    """What one mirror run copied."""

    releases: int = 0
    revisions: int = 0
    rows: int = 0
    """Every row written, all tables together."""
    first: bool = False
    """The mirror was empty (a full copy)."""


def mirror(source_url: str, path: str | Path, warc_dir: str | Path | None = None) -> MirrorCounts:
    """Bring the SQLite mirror at ``path`` up to date with the archive at ``source_url``.

    ``warc_dir``, the source's WARC folder, is recorded for ``serve`` (archived copies);
    without it the folder recorded before is kept.
    """
    path = Path(path)
    warcs = Path(warc_dir) if warc_dir else None
    _check_target(source_url, path)
    try:
        with (
            Archive(source_url) as source,
            Archive(f"sqlite:///{path.resolve()}") as target,
            source.engine.connect() as src,
            target.engine.connect() as dst,
        ):
            if src.dialect.name == "postgresql":
                src.execute(text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ"))
            else:
                src.exec_driver_sql("BEGIN")  # one snapshot of a SQLite source too
            dst.exec_driver_sql("BEGIN IMMEDIATE")  # one mirror run at a time
            dst.exec_driver_sql("PRAGMA defer_foreign_keys=ON")  # pairs point across chunks
            try:
                counts = _copy(src, dst, _safe(source_url), warcs)
            except BaseException:
                dst.rollback()
                raise
            dst.commit()
            src.rollback()
    except SQLAlchemyError as exc:  # a server gone, a mirror locked by another run
        message = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        raise ArchiveError(f"mirror not updated: {message}") from exc
    return counts


def mirrored_warc_dir(path: str | Path) -> Path | None:
    """The WARC folder of the archive a mirror file copies (None: not a mirror)."""
    try:
        with closing(sqlite3.connect(f"file:{Path(path).resolve()}?mode=ro", uri=True)) as conn:
            row = conn.execute(f"SELECT warc_dir FROM {STATE}").fetchone()
    except sqlite3.Error:
        return None
    return Path(row[0]) if row and row[0] else None


def _safe(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


def _check_target(source_url: str, path: Path) -> None:
    """Refuse a target that is an archive of its own or the source itself."""
    url = make_url(source_url)
    same = url.get_backend_name() == "sqlite" and url.database
    if same and Path(url.database).resolve() == path.resolve():
        raise ArchiveError(f"{path} is the source archive itself; give another file")
    if not path.exists():
        return
    try:
        with closing(sqlite3.connect(f"file:{path.resolve()}?mode=ro", uri=True)) as conn:
            names = {name for (name,) in conn.execute("select name from sqlite_master")}
    except sqlite3.DatabaseError as exc:
        raise ArchiveError(f"cannot read {path}: {exc}") from None
    if names and STATE not in names:
        raise ArchiveError(f"{path} is not a mirror (an archive of its own?); give a new file")


def _copy(src: Connection, dst: Connection, source: str, warcs: Path | None) -> MirrorCounts:
    dst.exec_driver_sql(
        f"CREATE TABLE IF NOT EXISTS {STATE} (source TEXT NOT NULL, warc_dir TEXT, "
        "mirrored_at TEXT NOT NULL, releases INTEGER NOT NULL)"
    )
    row = dst.execute(text(f"SELECT source, warc_dir FROM {STATE}")).first()
    known, recorded = row if row else (None, None)
    if known is not None and known != source:
        raise ArchiveError(f"the mirror is of {known}, not of {source}; give a new file")
    counts = MirrorCounts(first=known is None)
    theirs, ours = _fingerprints(src), _fingerprints(dst)
    touched = sorted(pk for pk, print_ in theirs.items() if ours.get(pk) != print_)
    counts.releases = len(touched)
    for chunk in _chunks(touched):
        old = {} if counts.first else documents(dst, chunk)
        counts.rows += _upsert(dst, Release.__table__, _rows(src, Release.__table__, chunk))
        for name in RELEASE_TABLES:
            counts.rows += _replace(src, dst, TABLES[name], chunk)
        counts.rows += _replace_pairs(src, dst, chunk)
        added = _add_revisions(src, dst, chunk)
        counts.revisions += added
        counts.rows += added
        if not counts.first:  # as the archive does on every new text
            index_for(dst).store(list(documents(dst, chunk).items()), old)
    counts.rows += _sync_clusters(src, dst)
    counts.rows += _sync_runs(src, dst)
    counts.rows += _sync_whole(src, dst, ExportMark.__table__)
    if counts.first:
        rebuild(dst)
        index_for(dst).optimize()
    dst.execute(text(f"DELETE FROM {STATE}"))
    dst.execute(
        text(f"INSERT INTO {STATE} VALUES (:source, :warcs, :at, :releases)"),
        {
            "source": source,
            "warcs": str(warcs.resolve()) if warcs else recorded,
            "at": datetime.now(UTC).isoformat(),
            "releases": len(theirs),
        },
    )
    return counts


def _chunks(pks: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(pks), CHUNK):
        yield pks[start : start + CHUNK]


def _fingerprints(conn: Connection) -> dict[int, tuple]:
    """Per release pk: what changes when anything of it changes."""
    columns = (Release.revision, Release.last_seen, Release.withdrawn, Release.ministry_id)
    prints = {
        pk: tuple(rest)
        for pk, *rest in conn.execute(select(Release.pk, *columns, Release.ministry_match))
    }
    for table in (ReleaseUrl.__table__, Attachment.__table__):
        counted = select(table.c.release_pk, func.count()).group_by(table.c.release_pk)
        counts = dict(conn.execute(counted).all())
        prints = {pk: (*print_, counts.get(pk, 0)) for pk, print_ in prints.items()}
    return prints


def _rows(conn: Connection, table: Table, pks: list[int], column: str = "release_pk") -> list:
    key = table.c.pk if table is Release.__table__ else table.c[column]
    return [dict(row) for row in conn.execute(select(table).where(key.in_(pks))).mappings()]


def _upsert(dst: Connection, table: Table, rows: list[dict]) -> int:
    """Insert ``rows``, replacing the ones of the same primary key."""
    if not rows:
        return 0
    stmt = sqlite_insert(table)
    keys = [c.name for c in table.primary_key]
    updates = {c.name: stmt.excluded[c.name] for c in table.columns if c.name not in keys}
    if updates:
        stmt = stmt.on_conflict_do_update(index_elements=keys, set_=updates)
    else:  # every column is in the key (near-duplicate bands)
        stmt = stmt.on_conflict_do_nothing(index_elements=keys)
    dst.execute(stmt, rows)
    return len(rows)


def _replace(src: Connection, dst: Connection, table: Table, pks: list[int]) -> int:
    """The rows of ``table`` belonging to the releases ``pks``, replaced by the source's."""
    dst.execute(delete(table).where(table.c.release_pk.in_(pks)))
    return _upsert(dst, table, _rows(src, table, pks))


def _replace_pairs(src: Connection, dst: Connection, pks: list[int]) -> int:
    """Near-duplicate pairs with a touched release on either side."""
    table = TABLES["dupe_pairs"]
    either = table.c.release_pk.in_(pks) | table.c.other_pk.in_(pks)
    dst.execute(delete(table).where(either))
    rows = [dict(row) for row in src.execute(select(table).where(either)).mappings()]
    return _upsert(dst, table, rows)


def _add_revisions(src: Connection, dst: Connection, pks: list[int]) -> int:
    """The revisions of the releases ``pks`` the mirror lacks (revisions never change)."""
    table = Revision.__table__
    of_them = select(table.c.pk).where(table.c.release_pk.in_(pks))
    missing = sorted(set(src.scalars(of_them)) - set(dst.scalars(of_them)))
    added = 0
    for chunk in _chunks(missing):
        rows = src.execute(select(table).where(table.c.pk.in_(chunk))).mappings()
        added += _upsert(dst, table, [dict(row) for row in rows])
    return added


def _sync_whole(src: Connection, dst: Connection, table: Table) -> int:
    """A small table made equal to the source's: changed and new rows written, gone deleted."""
    keys = [c.name for c in table.primary_key]
    theirs = {tuple(r[k] for k in keys): dict(r) for r in src.execute(select(table)).mappings()}
    ours = {tuple(r[k] for k in keys): dict(r) for r in dst.execute(select(table)).mappings()}
    gone = [key for key in ours if key not in theirs]
    for start in range(0, len(gone), CHUNK):
        key = tuple_(*(table.c[k] for k in keys))
        dst.execute(delete(table).where(key.in_(gone[start : start + CHUNK])))
    changed = [row for key, row in theirs.items() if ours.get(key) != row]
    return _upsert(dst, table, changed) + len(gone)


def _sync_clusters(src: Connection, dst: Connection) -> int:
    return _sync_whole(src, dst, TABLES["release_clusters"])


def _sync_runs(src: Connection, dst: Connection) -> int:
    """Runs new since the last mirror or not finished then, with their sites and failures."""
    table = Run.__table__
    finished = set(dst.scalars(select(table.c.id).where(table.c.ended_at.is_not(None))))
    ids = [i for i in src.scalars(select(table.c.id).order_by(table.c.id)) if i not in finished]
    rows = 0
    for chunk in _chunks(ids):
        rows += _upsert(dst, table, _rows(src, table, chunk, "id"))
        for child in (RunSite.__table__, Failure.__table__):
            dst.execute(delete(child).where(child.c.run_id.in_(chunk)))
            rows += _upsert(dst, child, _rows(src, child, chunk, "run_id"))
    return rows
