"""One writer at a time: the archive lock a crawl holds from start to end.

A SQLite archive file is locked with ``flock`` on ``<file>.lock`` beside it; a PostgreSQL
archive with a session-level advisory lock keyed by its schema. Both are released by the
operating system or the server when the holding process dies, even by ``kill -9``, so a
stale lock never blocks the next run. An in-memory SQLite archive needs no lock.
"""

from __future__ import annotations

import fcntl
import os
import socket
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from storage.errors import ArchiveError

PG_LOCK_CLASS = 0x7072_6573  # "pres": the first key of pressarchiv's advisory locks


class LockBusy(ArchiveError):
    """Another process holds the archive lock."""


class ArchiveLock:
    """``with ArchiveLock(url, wait=False):`` raises ``LockBusy`` if another run holds it."""

    def __init__(self, db_url: str, wait: bool = False):
        self.url = make_url(db_url)
        self.wait = wait
        self._file = None
        self._conn = None

    def __enter__(self) -> ArchiveLock:
        backend = self.url.get_backend_name()
        if backend == "sqlite" and self.url.database not in (None, "", ":memory:"):
            self._lock_file(Path(self.url.database + ".lock"))
        elif backend == "postgresql":
            self._lock_pg()
        return self

    def __exit__(self, *exc) -> None:
        if self._file is not None:
            self._file.close()  # closing the descriptor drops the flock
            self._file = None
        if self._conn is not None:
            self._conn.close()  # ending the session drops the advisory lock
            self._conn = None

    def _lock_file(self, path: Path) -> None:
        try:
            handle = path.open("a+")
        except OSError as exc:
            raise ArchiveError(f"cannot open lock file {path}: {exc.strerror}") from None
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | (0 if self.wait else fcntl.LOCK_NB))
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            handle.close()
            raise LockBusy(f"archive is locked by {holder} (lock file {path})") from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()} on {socket.gethostname()}\n")
        handle.flush()
        self._file = handle

    def _lock_pg(self) -> None:
        engine = create_engine(self.url, poolclass=NullPool)
        try:
            conn = engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        except Exception as exc:
            raise ArchiveError(f"cannot lock archive: {str(exc).splitlines()[0]}") from None
        function = "pg_advisory_lock" if self.wait else "pg_try_advisory_lock"
        got = conn.scalar(
            text(f"SELECT {function}({PG_LOCK_CLASS}, hashtext(coalesce(current_schema(), '')))")
        )
        if got is False:
            conn.close()
            raise LockBusy(
                f"archive is locked by another session (schema lock on {self.url.database})"
            )
        self._conn = conn
