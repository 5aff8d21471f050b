"""Run library code (SQLAlchemy sessions) on Datasette's own read connections.

The journalist's pages call the same functions as the CLI (search, show, diffs); they run
in Datasette's database thread on the connection Datasette opened, so how ``serve`` opens
the archive (immutable file, or one a crawl is writing) is decided in one place.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy import Engine, create_engine
from sqlalchemy.orm import Session
from sqlalchemy.pool import StaticPool

from scraper.web.metadata import ARCHIVE

T = TypeVar("T")
_engines: dict[int, tuple[sqlite3.Connection, Engine]] = {}
_lock = threading.Lock()


def engine_for(conn: sqlite3.Connection) -> Engine:
    """A SQLAlchemy engine over ``conn`` (one per connection, kept while it lives)."""
    with _lock:
        known = _engines.get(id(conn))
        if known is None or known[0] is not conn:
            engine = create_engine(
                "sqlite://", creator=lambda: conn, poolclass=StaticPool, pool_reset_on_return=None
            )
            known = _engines[id(conn)] = (conn, engine)
        return known[1]


async def run(datasette, fn: Callable[[Session], T]) -> T:
    """``fn(session)`` on a read connection of the archive, in Datasette's thread pool."""

    def call(conn: sqlite3.Connection) -> T:
        with Session(engine_for(conn)) as session:
            return fn(session)

    return await datasette.get_database(ARCHIVE).execute_fn(call)
