"""An interrupted schema upgrade leaves the archive as it was (SQLite commits DDL on its own
unless the upgrade's transaction is begun explicitly)."""

from __future__ import annotations

import sqlite3

import pytest
from alembic import command
from test_storage_helpers import item

from storage import Archive, ArchiveError
from storage.engine import alembic_config
from storage.head import head_revision
from storage.search_index import SqliteIndex

OLDER = "0016_postgres_size"
"""Before 0017, which drops and rebuilds the SQLite search index."""


class Interrupted(Exception):
    pass


def schema(path) -> tuple[str, dict[str, str]]:
    """The file's schema revision and its tables' SQL (read without opening an Archive,
    which would upgrade it)."""
    with sqlite3.connect(path) as conn:
        version = conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
        tables = dict(conn.execute("SELECT name, sql FROM sqlite_master").fetchall())
    return version, tables


@pytest.mark.sqlite_only("PostgreSQL's DDL is transactional by itself")
def test_an_interrupted_upgrade_changes_nothing(tmp_path, monkeypatch, caplog):
    path = tmp_path / "a.sqlite"
    url = f"sqlite:///{path}"
    with Archive(url) as archive:
        archive.store([item(n) for n in range(1, 4)])
        found = archive.find("Integrationskonferenz")
        with archive.engine.connect() as conn, conn.begin():
            config = alembic_config()
            config.attributes["connection"] = conn
            command.downgrade(config, OLDER)
    assert found["total"] >= 1
    before = schema(path)

    def interrupt(_index) -> None:  # the upgrade's last step: the index is rebuilt by then
        raise Interrupted

    monkeypatch.setattr(SqliteIndex, "optimize", interrupt)
    with pytest.raises(ArchiveError, match="Interrupted"), Archive(url):
        pass
    assert f"upgrading the archive from schema {OLDER} to {head_revision()}" in caplog.text
    assert schema(path) == before

    monkeypatch.undo()
    with Archive(url) as archive:
        assert archive.find("Integrationskonferenz") == found
    assert schema(path)[0] == head_revision()
