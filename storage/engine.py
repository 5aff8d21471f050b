"""Engines for archive URLs, and the programmatic Alembic upgrade."""

from __future__ import annotations

import json
from importlib.resources import files

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.pool import StaticPool


def _json_dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False)


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


def alembic_config() -> Config:
    """An Alembic config for the migrations shipped in this package (no alembic.ini)."""
    config = Config()
    config.set_main_option("script_location", str(files("storage") / "migrations"))
    return config


def migrate(engine: Engine) -> None:
    """Upgrade the database behind ``engine`` to the newest schema.

    On SQLite, foreign keys are off while migrating (set outside the transaction), so that
    batch operations may copy a table that others refer to.
    """
    config = alembic_config()
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as conn:
        if sqlite:
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            conn.commit()
        with conn.begin():
            config.attributes["connection"] = conn
            command.upgrade(config, "head")
        if sqlite:
            conn.exec_driver_sql("PRAGMA foreign_keys=ON")
            conn.commit()
