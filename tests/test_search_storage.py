"""The text stored once: a revision that repeats its release's current body and the search
index keep no copy of it, yet every text of every revision reads back exactly (SQLite)."""

from datetime import timedelta

import pytest
import sqlalchemy as sa
from alembic import command
from test_storage_helpers import T0, item

from storage import Archive
from storage.engine import alembic_config

FIRST = "Erste Fassung: Die Mittel für Windenergie steigen.\n\nZweiter Absatz – „Zitat“."
SECOND = "Zweite Fassung: Die Mittel für Solarparks steigen."
THIRD = "Dritte Fassung: Die Mittel für Wasserkraft steigen."

pytestmark = pytest.mark.sqlite_only(
    "the text stored once is SQLite's layout (migration 0013); on PostgreSQL each revision "
    "keeps its whole text (round trips: test_storage_archive, test_reparse)"
)


def edited(n: int, body: str, day: int) -> dict:
    return item(n, body=body, fetched_at=T0 + timedelta(days=day))


def bodies(archive: Archive, release_id: str) -> list[str]:
    return [rev["fields"]["body"] for rev in archive.revisions(release_id)]


def stored_bodies(conn, release_pk: int) -> list[str | None]:
    """The bodies as the revisions table holds them (None: left out)."""
    stmt = (
        "SELECT json_extract(fields, '$.body') FROM revisions WHERE release_pk = ? ORDER BY number"
    )
    return [row[0] for row in conn.exec_driver_sql(stmt, (release_pk,))]


def titles(archive: Archive, query: str) -> list[str]:
    return [hit["title"] for hit in archive.search(query, limit=100)]


def release_id(archive: Archive, n: int) -> str:
    return next(r["id"] for r in archive.releases() if r["title"].endswith(f"Nr. {n}"))


def test_every_revision_keeps_its_text_while_the_current_one_is_stored_once(tmp_path):
    with Archive(f"sqlite:///{tmp_path / 'a.sqlite'}") as archive:
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
