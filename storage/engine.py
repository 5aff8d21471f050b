"""Engines for archive URLs, and the programmatic Alembic upgrade."""

from __future__ import annotations

import json
import logging
from typing import TYPE_CHECKING

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool, StaticPool

from storage.head import MIGRATIONS, head_revision

if TYPE_CHECKING:
    from alembic.config import Config


log = logging.getLogger(__name__)

_json_dumps = json.JSONEncoder(ensure_ascii=False).encode
"""``json.dumps(value, ensure_ascii=False)`` without making an encoder for each value."""


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def make_engine(db_url: str) -> Engine:
    """An engine for ``db_url``; in-memory SQLite shares one connection, files use WAL."""
    url = make_url(db_url)
    kwargs: dict = {"json_serializer": _json_dumps}
    memory = url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:")
    if memory:
        kwargs["poolclass"] = StaticPool
    engine = create_engine(url, **kwargs)
    if url.get_backend_name() == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
        if not memory:
            with engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA journal_mode=WAL")
    return engine


def holds_archive(db_url: str) -> bool:
    """Whether the schema a database server URL points at holds an archive (Alembic's
    version table); True when the server cannot be asked, so that opening it says why."""
    try:
        engine = create_engine(db_url, poolclass=NullPool)
        try:
            with engine.connect() as conn:
                return inspect(conn).has_table("alembic_version")
        finally:
            engine.dispose()
    except Exception:  # bad URL, missing driver, unreachable server: Archive() reports it
        return True


def alembic_config() -> Config:
    """An Alembic config for the migrations shipped in this package (no alembic.ini)."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def _revision(conn) -> str | None:
    """The database's schema revision; None for a new database (no version table yet)."""
    try:
        with conn.begin():
            return conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    except DBAPIError:
        return None


def at_head(engine: Engine) -> bool:
    """Whether the database already has the newest schema (no Alembic needed to tell)."""
    with engine.connect() as conn:
        return _revision(conn) == head_revision()


def migrate(engine: Engine) -> None:
    """Upgrade the database behind ``engine`` to the newest schema.

    An archive already at the newest schema is left alone without loading Alembic, which
    keeps the read commands quick to start. The upgrade is one transaction: interrupted, it
    leaves the archive as it was (on SQLite the driver would commit each ``CREATE`` and
    ``DROP`` on its own, so the transaction is begun explicitly). An existing archive's
    upgrade is announced (rebuilding the search index takes minutes per 100,000 releases).
    On SQLite, foreign keys are off while migrating (set outside the transaction), so that
    batch operations may copy a table that others refer to.
    """
    if at_head(engine):
        return
    from alembic import command

    config = alembic_config()
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as conn:
        current = _revision(conn)
        if current is not None:
            log.warning(
                "upgrading the archive from schema %s to %s (one transaction; large archives "
                "take minutes)",
                current,
                head_revision(),
            )
        if sqlite:
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            conn.commit()
        with conn.begin():
            if sqlite:
                conn.exec_driver_sql("BEGIN IMMEDIATE")
            config.attributes["connection"] = conn
            command.upgrade(config, "head")
        if sqlite:
            conn.exec_driver_sql("PRAGMA foreign_keys=ON")
            conn.commit()
