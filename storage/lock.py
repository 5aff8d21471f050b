"""One writer at a time: the archive lock a crawl holds from start to end.

A SQLite archive file is locked with ``flock`` on ``<file>.lock`` beside it; a PostgreSQL
archive with a session-level advisory lock keyed by its schema. Both are released by the
operating system or the server when the holding process dies, even by ``kill -9``, so a
stale lock never blocks the next run. An in-memory SQLite archive needs no lock.

A job of a distributed crawl holds ``HostLock`` instead: the archive lock *shared* (jobs run
side by side, a local crawl waits for them and they for it) and one host group's lock
exclusively (``<file>.hosts/<key>.lock``, or an advisory lock keyed by schema and host
group), so two jobs for one host never run at once on any machine. The PostgreSQL session
asks the server to probe its connection every few seconds, so a lock of a machine that
vanished without closing it is given up within about half a minute.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import socket
import time
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from storage.errors import ArchiveError

PG_LOCK_CLASS = 0x7072_6573  # "pres": the first key of pressarchiv's advisory locks
PG_SCHEMA_KEY = "hashtext(coalesce(current_schema(), ''))"
PG_HOST_KEY = "hashtext(coalesce(current_schema(), '') || ':' || :key)"
# A vanished client's connection is probed after 10 s idle, 3 times 5 s apart.
PG_KEEPALIVE = ("SET tcp_keepalives_idle = 10", "SET tcp_keepalives_interval = 5",
                "SET tcp_keepalives_count = 3")  # fmt: skip


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
        conn = _pg_connect(self.url)
        function = "pg_advisory_lock" if self.wait else "pg_try_advisory_lock"
        got = conn.scalar(text(f"SELECT {function}({PG_LOCK_CLASS}, {PG_SCHEMA_KEY})"))
        if got is False:
            conn.close()
            raise LockBusy(
                f"archive is locked by another session (schema lock on {self.url.database})"
            )
        self._conn = conn


def _pg_connect(url):
    engine = create_engine(url, poolclass=NullPool)
    try:
        conn = engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        for statement in PG_KEEPALIVE:
            conn.execute(text(statement))
    except Exception as exc:
        raise ArchiveError(f"cannot lock archive: {str(exc).splitlines()[0]}") from None
    return conn


class HostLock:
    """``with HostLock(url, key, wait=60):`` the lease of one host group for a distributed
    job; ``LockBusy`` if a local crawl holds the archive or another job the host group
    for longer than ``wait`` seconds."""

    def __init__(self, db_url: str, key: str, wait: float = 0):
        self.url = make_url(db_url)
        self.key = key
        self.wait = wait
        self._files: list = []
        self._conn = None

    def __enter__(self) -> HostLock:
        backend = self.url.get_backend_name()
        deadline = time.monotonic() + self.wait
        while not self._try(backend):
            if time.monotonic() >= deadline:
                raise LockBusy(f"host group {self.key} is being crawled by another job "
                               f"or the archive by a local crawl")  # fmt: skip
            time.sleep(min(1.0, max(0.05, deadline - time.monotonic())))
        return self

    def __exit__(self, *exc) -> None:
        for handle in self._files:
            handle.close()
        self._files = []
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def _try(self, backend: str) -> bool:
        if backend == "postgresql":
            return self._try_pg()
        if backend == "sqlite" and self.url.database not in (None, "", ":memory:"):
            folder = Path(self.url.database + ".hosts")
            folder.mkdir(exist_ok=True)
            name = hashlib.sha256(self.key.encode()).hexdigest()[:16]
            return self._try_file(Path(self.url.database + ".lock"), fcntl.LOCK_SH) and \
                self._try_file(folder / f"{name}.lock", fcntl.LOCK_EX)  # fmt: skip
        return True

    def _try_file(self, path: Path, mode: int) -> bool:
        handle = path.open("a+")
        try:
            fcntl.flock(handle, mode | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            self.__exit__()
            return False
        self._files.append(handle)
        return True

    def _try_pg(self) -> bool:
        conn = self._conn = self._conn or _pg_connect(self.url)
        shared = conn.scalar(
            text(f"SELECT pg_try_advisory_lock_shared({PG_LOCK_CLASS}, {PG_SCHEMA_KEY})")
        )
        if shared:
            host = text(f"SELECT pg_try_advisory_lock({PG_LOCK_CLASS} + 1, {PG_HOST_KEY})")
            if conn.scalar(host, {"key": self.key}):
                return True
            conn.execute(
                text(f"SELECT pg_advisory_unlock_shared({PG_LOCK_CLASS}, {PG_SCHEMA_KEY})")
            )
        return False
