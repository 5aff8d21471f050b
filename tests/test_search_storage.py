"""The text stored once: a revision that repeats its release's current body and the search
index keep no copy of it, yet every text of every revision reads back exactly (the
revisions on both backends, the search index on SQLite)."""

from datetime import timedelta

import pytest
import sqlalchemy as sa
from alembic import command
from test_storage_helpers import T0, any_archive_fixture, item  # noqa: F401

from storage import Archive
from storage.engine import alembic_config

FIRST = "Erste Fassung: Die Mittel für Windenergie steigen.\n\nZweiter Absatz – „Zitat“."
SECOND = "Zweite Fassung: Die Mittel für Solarparks steigen."
THIRD = "Dritte Fassung: Die Mittel für Wasserkraft steigen."

SQLITE_INDEX = pytest.mark.sqlite_only(
    "SQLite's contentless FTS5 index and its migration 0013; the revisions stored once on "
    "PostgreSQL (0016): the other tests here"
)


def edited(n: int, body: str, day: int) -> dict:
    return item(n, body=body, fetched_at=T0 + timedelta(days=day))


def bodies(archive: Archive, release_id: str) -> list[str]:
    return [rev["fields"]["body"] for rev in archive.revisions(release_id)]


def stored_bodies(conn, release_pk: int) -> list[str | None]:
    """The bodies as the revisions table holds them (None: left out)."""
    body = (
        "fields ->> 'body'"
        if conn.dialect.name == "postgresql"
        else "json_extract(fields, '$.body')"
    )
    stmt = f"SELECT {body} FROM revisions WHERE release_pk = :pk ORDER BY number"
    return list(conn.scalars(sa.text(stmt), {"pk": release_pk}))


def titles(archive: Archive, query: str) -> list[str]:
    return [hit["title"] for hit in archive.search(query, limit=100)]


def release_id(archive: Archive, n: int) -> str:
    return next(r["id"] for r in archive.releases() if r["title"].endswith(f"Nr. {n}"))


def test_every_revision_keeps_its_text_while_the_current_one_is_stored_once(any_archive):
    archive = any_archive
    archive.store([item(1, body=FIRST), item(2)])
    archive.store([edited(1, SECOND, 1)])
    archive.store([edited(1, THIRD, 2)])
    rid = release_id(archive, 1)
    assert bodies(archive, rid) == [FIRST, SECOND, THIRD]
    with archive.engine.connect() as conn:
        assert stored_bodies(conn, 1) == [FIRST, SECOND, None]
        # a body changed outside the archive API still leaves every old text in place
        conn.exec_driver_sql("UPDATE releases SET body = 'Von Hand.' WHERE pk = 1")
        conn.commit()
        assert stored_bodies(conn, 1) == [FIRST, SECOND, THIRD]
    assert bodies(archive, rid) == [FIRST, SECOND, THIRD]
    assert titles(archive, "Wasserkraft") == ["Integrationskonferenz in Wetzlar Nr. 1"]
    assert titles(archive, "Windenergie") == titles(archive, "Solarparks") == []


@SQLITE_INDEX
def test_the_index_holds_no_copy_of_the_documents(tmp_path):
    with Archive(f"sqlite:///{tmp_path / 'a.sqlite'}") as archive:
        archive.store([item(1, body=FIRST)])
        with archive.engine.connect() as conn:
            tables = sa.inspect(conn).get_table_names()
            assert "release_search_content" not in tables
            row = conn.exec_driver_sql("SELECT title, body FROM release_search").one()
        assert row == (None, None)
        assert titles(archive, '"mittel für windenergie"') == [
            "Integrationskonferenz in Wetzlar Nr. 1"
        ]


@SQLITE_INDEX
def test_migration_converts_an_archive_in_place(tmp_path):
    url = f"sqlite:///{tmp_path / 'a.sqlite'}"
    queries = ["Windenergie", "Solarparks", "Integration", '"Mittel für Solarparks"', "Wetzlar"]
    with Archive(url) as archive:
        archive.store([item(n, body=FIRST) for n in (1, 2, 3)])
        archive.store([item(n, body=f"{FIRST} Kreis {n}.") for n in (4, 5)])
        archive.store([edited(n, SECOND, 1) for n in (1, 2, 3)])
        archive.store([edited(1, THIRD, 2)])
        ids = [release_id(archive, n) for n in range(1, 6)]
        config = alembic_config()
        with archive.engine.connect() as conn, conn.begin():
            config.attributes["connection"] = conn
            command.downgrade(config, "0012_search_contact")
        with archive.engine.connect() as conn:
            assert "release_search_content" in sa.inspect(conn).get_table_names()
            assert None not in stored_bodies(conn, 1) + stored_bodies(conn, 5)
            before = {rid: archive.revisions(rid) for rid in ids}
        found = {query: titles(archive, query) for query in queries}
    assert [rev["fields"]["body"] for rev in before[ids[0]]] == [FIRST, SECOND, THIRD]
    assert all(found.values())
    with Archive(url) as archive:  # opening upgrades to head
        assert {query: titles(archive, query) for query in queries} == found
        assert {rid: archive.revisions(rid) for rid in ids} == before
        with archive.engine.connect() as conn:
            assert stored_bodies(conn, 1) == [FIRST, SECOND, None]
            assert stored_bodies(conn, 5) == [None]
        archive.store([edited(5, THIRD, 3)])
        assert bodies(archive, ids[4]) == [f"{FIRST} Kreis 5.", THIRD]


def test_migration_converts_the_revisions_in_place_and_back(any_archive):
    """0016 (PostgreSQL; 0013 on SQLite) takes the current bodies out of the stored
    revisions, and its downgrade puts them back: every text reads back the same, and the
    search finds the same (PostgreSQL: its documents compressed with LZ4, then pglz)."""
    archive, config = any_archive, alembic_config()
    archive.store([item(n, body=FIRST) for n in (1, 2)])
    archive.store([edited(1, SECOND, 1)])
    ids = [release_id(archive, n) for n in (1, 2)]
    before = {rid: archive.revisions(rid) for rid in ids}
    queries = ["Windenergie", "Solarparks", '"Mittel für Solarparks"', '"die mittel"']
    found = {query: titles(archive, query) for query in queries}
    assert all(found.values())
    target = "0015_search_no_docs" if postgres(archive) else "0012_search_contact"
    with archive.engine.connect() as conn, conn.begin():
        config.attributes["connection"] = conn
        assert compression(conn) in ({"lz4"}, None)
        command.downgrade(config, target)
        assert stored_bodies(conn, 1) == [FIRST, SECOND] and stored_bodies(conn, 2) == [FIRST]
        assert compression(conn) in ({"pglz"}, None)
        command.upgrade(config, "head")
        assert stored_bodies(conn, 1) == [FIRST, None] and stored_bodies(conn, 2) == [None]
        assert compression(conn) in ({"lz4"}, None)
    assert {rid: archive.revisions(rid) for rid in ids} == before
    assert {query: titles(archive, query) for query in queries} == found
    archive.store([edited(1, THIRD, 2)])
    assert bodies(archive, ids[0]) == [FIRST, SECOND, THIRD]


def postgres(archive: Archive) -> bool:
    return archive.engine.dialect.name == "postgresql"


def compression(conn) -> set[str] | None:
    """The compression method of the search documents' column (PostgreSQL; None on
    SQLite; the test's documents are too short to be compressed at all)."""
    if conn.dialect.name != "postgresql":
        return None
    stmt = (
        "SELECT attcompression FROM pg_attribute WHERE attrelid = 'release_search'::regclass "
        "AND attname = 'document'"
    )
    method = {"l": "lz4", "p": "pglz", "": "pglz"}[conn.exec_driver_sql(stmt).scalar()]
    return {method}
