"""Plain SQL reads, run through SQLAlchemy or straight through the sqlite3 driver.

The search reads (``storage.search``, the index's query side, ``storage.copies``) are
written once as SQL with ``:name`` parameters and run on a ``Reads``: ``EngineReads``
over a SQLAlchemy connection (both backends, inside an ``Archive``), or ``DriverReads``
over a ``sqlite3`` connection, which spares ``pressarchiv search`` on a SQLite archive
the import of SQLAlchemy (about two thirds of its start-up, see ``storage.quick``).
This module imports neither.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Condition:
    """One SQL condition on ``releases`` with its own bound ``params``."""

    sql: str
    params: dict = field(default_factory=dict)


def in_list(name: str, values) -> tuple[str, dict]:
    """``(:name_0, :name_1, ...)`` and its parameters: an IN list either reader runs."""
    params = {f"{name}_{n}": value for n, value in enumerate(values)}
    return "(" + (", ".join(f":{key}" for key in params) or "NULL") + ")", params


def where(conditions: list[Condition]) -> tuple[str, dict]:
    """`` AND c1 AND c2 ...`` of ``conditions`` (empty for none) and their parameters."""
    params: dict = {}
    for condition in conditions:
        params |= condition.params
    return "".join(f" AND {c.sql}" for c in conditions), params


class Reads:
    """Rows of plain SQL (``:name`` parameters) on one connection."""

    dialect = "sqlite"
    errors: tuple[type[Exception], ...] = ()
    """What the driver raises for a statement the engine rejects."""
    connection = None
    """The SQLAlchemy connection behind the reads (None for the sqlite3 driver)."""

    def rows(self, sql: str, params: dict | None = None) -> list[tuple]:
        raise NotImplementedError

    def cursor(self):
        """A cursor of the database driver itself (for many rows, without SQLAlchemy's
        per-row work; the driver's own parameter style)."""
        raise NotImplementedError

    def column(self, sql: str, params: dict | None = None) -> list:
        """The first column of the rows."""
        return [row[0] for row in self.rows(sql, params)]

    def value(self, sql: str, params: dict | None = None):
        """The first column of the first row (None without rows)."""
        found = self.rows(sql, params)
        return found[0][0] if found else None


class DriverReads(Reads):
    """Reads straight through a ``sqlite3`` connection (dates bound as ISO text, as
    SQLAlchemy stores them in SQLite)."""

    errors = (sqlite3.OperationalError,)

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def rows(self, sql: str, params: dict | None = None) -> list[tuple]:
        bound = {k: v.isoformat() if isinstance(v, date) else v for k, v in (params or {}).items()}
        return self.conn.execute(sql, bound).fetchall()

    def cursor(self) -> sqlite3.Cursor:
        return self.conn.cursor()


class EngineReads(Reads):
    """Reads through a SQLAlchemy connection (either backend)."""

    def __init__(self, connection):
        from sqlalchemy.exc import OperationalError, ProgrammingError

        self.connection = connection
        self.dialect = connection.dialect.name
        self.errors = (OperationalError, ProgrammingError)

    def rows(self, sql: str, params: dict | None = None) -> list[tuple]:
        from sqlalchemy import text

        return [tuple(row) for row in self.connection.execute(text(sql), params or {})]

    def cursor(self):
        return self.connection.connection.dbapi_connection.cursor()


def reads_for(source) -> Reads:
    """``source`` as a ``Reads``: one already, a SQLAlchemy ``Session`` or connection."""
    if isinstance(source, Reads):
        return source
    if hasattr(source, "connection") and callable(source.connection):  # a Session
        source = source.connection()
    return EngineReads(source)
