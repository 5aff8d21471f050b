"""Search a SQLite archive through the sqlite3 driver, without SQLAlchemy.

``pressarchiv search`` runs from cron and by hand on small archives, where importing
SQLAlchemy (core and ORM) and configuring the archive's models took most of its time.
``QuickArchive`` opens a SQLite file that is already at the newest schema and runs the
same search code as ``Archive.find`` (``storage.search``, plain SQL on a
``sqlread.DriverReads``); anything else (another backend, a URL with options, a file
to migrate or not an archive) is left to ``Archive``, which says why it cannot open it.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from storage import search
from storage.errors import ArchiveError, one_line
from storage.head import head_revision
from storage.sqlread import DriverReads

PLAIN_URL = re.compile(r"sqlite:///([^?#%]+)")
"""A SQLite URL naming a file and nothing else (no driver, options or escapes)."""
BUSY_TIMEOUT_MS = 10_000
"""As ``storage.engine``: wait this long for a writer's lock before failing."""


class QuickArchive:
    """A SQLite archive at the newest schema, open for search; use as a context manager."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    @classmethod
    def open(cls, db_url: str) -> QuickArchive | None:
        """The archive at ``db_url`` when it is a plain SQLite file URL of an existing
        archive at the newest schema, else None (open it with ``Archive``)."""
        plain = PLAIN_URL.fullmatch(db_url)
        if plain is None or plain.group(1) == ":memory:" or not Path(plain.group(1)).is_file():
            return None
        try:
            conn = sqlite3.connect(plain.group(1))
        except sqlite3.Error:
            return None
        try:
            conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            version = conn.execute("SELECT version_num FROM alembic_version").fetchall()
        except sqlite3.Error:  # not an archive, or one made before the version table
            version = None
        if version != [(head_revision(),)]:
            conn.close()
            return None
        return cls(conn)

    def __enter__(self) -> QuickArchive:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """Close the database connection."""
        self.conn.close()

    def sites(self) -> dict[str, int]:
        """Release counts per site id (as ``Archive.sites``)."""
        sql = "SELECT site, count(*) FROM releases GROUP BY site ORDER BY site"
        return dict(self._rows(sql))

    def find(self, query: str, limit: int = search.DEFAULT_LIMIT, offset=0, **options) -> dict:
        """As ``Archive.find``."""
        try:
            return search.find(DriverReads(self.conn), query, limit, offset, **options)
        except sqlite3.Error as exc:
            raise ArchiveError(f"archive read failed: {one_line(exc)}") from exc

    def _rows(self, sql: str) -> list[tuple]:
        try:
            return self.conn.execute(sql).fetchall()
        except sqlite3.Error as exc:
            raise ArchiveError(f"archive read failed: {one_line(exc)}") from exc
