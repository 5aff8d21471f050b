"""The contentless SQLite index keeps no words of its own: a replaced release's old document
is made again from its stored row. After many edits the index must hold exactly what an
index built from scratch over the current texts holds (a wrong old document would leave
stray words behind or take others out), and migration 0015 converts an edited archive in
place and back."""

from datetime import timedelta

import pytest
import sqlalchemy as sa
from alembic import command
from test_storage_helpers import T0, item

from storage import Archive
from storage.engine import alembic_config
from storage.search_index import PARTS, documents

pytestmark = pytest.mark.sqlite_only(
    "SQLite's contentless FTS5 index, whose old documents are made again from stored rows; "
    "the index following edits on PostgreSQL: test_storage_search"
)
FRESH = (
    "CREATE VIRTUAL TABLE temp.fresh USING fts5(title, extra, body, persons, ministry, "
    "content = '', tokenize = 'unicode61 remove_diacritics 2')"
)


def pdf(n: int, text: str | None) -> dict:
    url = f"https://soziales.hessen.de/presse/anlage-{n}.pdf"
    return {
        "url": url,
        "fetched_url": url,
        "fetched_at": T0,
        "content_type": "application/pdf",
        "sha256": f"{n:064d}",
        "size": 1000,
        "warc": None,
        "pages": 1,
        "text": text,
    }


def later(n: int, day: int, **overrides) -> dict:
    return item(n, fetched_at=T0 + timedelta(days=day), **overrides)


def instances(conn, schema: str, table: str) -> list[tuple]:
    """Every word occurrence an FTS5 table's index holds: (word, rowid, column, offset)."""
    conn.exec_driver_sql(
        f"CREATE VIRTUAL TABLE temp.words USING fts5vocab({schema}, {table}, instance)"
    )
    rows = conn.exec_driver_sql("SELECT term, doc, col, offset FROM temp.words").all()
    conn.exec_driver_sql("DROP TABLE temp.words")
    return sorted(rows)


def from_scratch(conn) -> list[tuple]:
    """What an index built anew from the releases as stored now holds."""
    pks = list(conn.exec_driver_sql("SELECT pk FROM releases").scalars())
    conn.exec_driver_sql(FRESH)
    conn.execute(
        sa.text(
            "INSERT INTO temp.fresh (rowid, title, extra, body, persons, ministry) "
            "VALUES (:pk, :title, :extra, :body, :persons, :ministry)"
        ),
        [{"pk": pk, **doc} for pk, doc in documents(conn, pks).items()],
    )
    found = instances(conn, "temp", "fresh")
    conn.exec_driver_sql("DROP TABLE temp.fresh")
    return found


def check(conn) -> None:
    conn.exec_driver_sql("INSERT INTO release_search (release_search) VALUES ('integrity-check')")
    assert instances(conn, "main", "release_search") == from_scratch(conn)


def edit(archive: Archive) -> None:
    """New releases, then edits of every indexed part, attachments added with and without
    text, a release changed twice in one batch and back again, unchanged re-fetches."""
    archive.store([item(n) for n in range(1, 13)])
    archive.store(
        [
            later(1, 1, body="Neuer Text über Windenergie."),
            later(2, 1, title="Grundschule eröffnet in Kassel"),
            later(3, 1, persons=[{"name": "Anna Muster", "role": "Ministerin"}]),
            later(4, 1, ministry="Hessisches Ministerium der Finanzen"),
            later(5, 1, contact="Pressestelle, Telefon 0611 1"),
            later(6, 1, attachments=[pdf(6, "Anlage Haushaltsplan Schulbau")]),
            later(7, 1, attachments=[pdf(7, None)]),
            later(8, 1),
            item(13, body="Ein neuer Text zum Solarpark."),
        ]
    )
    archive.store(
        [
            later(1, 2, body="Zweite Fassung zur Wasserkraft."),
            later(1, 3, body="Dritte Fassung zur Geothermie."),
            later(
                6, 2, body="Schulbau geändert.", attachments=[pdf(60, "Zweite Anlage Turnhalle")]
            ),
            later(9, 2, body="Kurz."),
            later(9, 3, body=item(9)["body"]),
            later(13, 2, title="Solarpark eröffnet", persons=[]),
        ]
    )
    archive.store_reparses([(release_id(archive, 10), later(10, 4, body="Neu gelesen."))], "v2")


def release_id(archive: Archive, n: int) -> str:
    return next(r["id"] for r in archive.releases() if r["url"].endswith(f"meldung-{n}"))


def test_index_after_many_edits_equals_one_built_from_scratch(tmp_path):
    with Archive(f"sqlite:///{tmp_path / 'a.sqlite'}") as archive:
        edit(archive)
        assert [h["title"] for h in archive.search("Geothermie")] == [item(1)["title"]]
        assert archive.search("Windenergie") == archive.search("Wasserkraft") == []
        assert [h["title"] for h in archive.search("Turnhalle")] == [item(6)["title"]]
        with archive.engine.connect() as conn:
            check(conn)


def test_the_check_sees_a_wrong_old_document(tmp_path):
    """A 'delete' that misses a word of the old document leaves it in the index (the new
    document has it no more); the comparison above must notice."""
    with Archive(f"sqlite:///{tmp_path / 'a.sqlite'}") as archive:
        archive.store([item(1), item(2)])
        with archive.engine.connect() as conn:
            doc = documents(conn, [1])[1]
            assert "wetzlar" in doc["body"].split()
            wrong = dict(doc, body=doc["body"].replace("wetzlar", ""))
            conn.execute(
                sa.text(
                    "INSERT INTO release_search (release_search, rowid, title, extra, body, "
                    "persons, ministry) VALUES "
                    "('delete', 1, :title, :extra, :body, :persons, :ministry)"
                ),
                {part: wrong[part] for part in PARTS},
            )
            conn.execute(
                sa.text(
                    "INSERT INTO release_search (rowid, title, extra, body, persons, ministry) "
                    "VALUES (1, :title, :extra, :body, :persons, :ministry)"
                ),
                wrong,
            )
            conn.exec_driver_sql("UPDATE releases SET body = replace(body, 'Wetzlar', '')")
            with pytest.raises(AssertionError):
                check(conn)


def test_migration_0015_converts_an_edited_archive_and_back(tmp_path):
    url = f"sqlite:///{tmp_path / 'a.sqlite'}"
    queries = ["Geothermie", "Turnhalle", "Integration", '"Solarpark eröffnet"', "Schul*"]
    with Archive(url) as archive:
        edit(archive)
        ids = [release_id(archive, n) for n in range(1, 14)]
        config = alembic_config()
        with archive.engine.connect() as conn, conn.begin():
            config.attributes["connection"] = conn
            command.downgrade(config, "0014_search_pairs_sqlite")
        with archive.engine.connect() as conn:
            kept = dict(conn.exec_driver_sql("SELECT pk, doc FROM release_search_docs").all())
            assert sorted(kept) == list(range(1, 14))
            before = {rid: archive.revisions(rid) for rid in ids}
        found = {query: [h["id"] for h in archive.search(query)] for query in queries}
    assert all(found.values())
    with Archive(url) as archive:  # opening upgrades to head
        with archive.engine.connect() as conn:
            assert "release_search_docs" not in sa.inspect(conn).get_table_names()
            check(conn)
        assert {q: [h["id"] for h in archive.search(q)] for q in queries} == found
        assert {rid: archive.revisions(rid) for rid in ids} == before
        archive.store([later(1, 9, body="Vierte Fassung zur Biomasse.")])
        assert [h["id"] for h in archive.search("Biomasse")] == [ids[0]]
        with archive.engine.connect() as conn:
            check(conn)
