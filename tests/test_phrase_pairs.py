"""Phrases found through the index of word pairs (SQLite, ``storage.phrase_pairs``): the
same hits and counts as FTS5's own phrase search, releases that have a phrase's pairs but
not the phrase are never hits, and the pair table follows every edit. The phrase
behaviour is checked on both backends (PostgreSQL has its own pairs)."""

import hashlib
import sqlite3

import pytest
from alembic import command
from test_search_replace import edit, instances, later, release_id
from test_storage_helpers import item

from storage import Archive, search_index
from storage.engine import alembic_config
from storage.german import STOP_WORDS
from storage.phrase_pairs import CREATE, TRIPLES_STOP_WORDS, in_text, pairs
from storage.query import Phrase
from storage.search_index import SqliteIndex, documents
from storage.synthetic import populate

sqlite_only = pytest.mark.sqlite_only("the pair table is SQLite's; PostgreSQL keeps pairs")

TEXTS = {
    1: "Die Landesregierung fördert den Ausbau der Radwege im ländlichen Raum.",
    2: "Der Ausbau der Straßen verbindet, sagt sie, der Radwege Netz.",  # pairs, no phrase
    3: "Radwege im Ausbau: der Radwege-Plan liegt vor.",
    4: "Ein café im Ausbau der Radwege für Fußgänger.",  # not plain text once folded
    5: "Über den „Ausbau der Radwege“ berichtete die Ministerin.",
    6: "Die Landesregierung fördert, wer fördert den Radverkehr?",  # pairs, no phrase
}
QUERIES = [
    '"Ausbau der Radwege"',
    '"ausbau der"',
    '"der Radwege"*',
    '"Ausbau der Rad"*',
    '"Radwege im Ausbau"',
    '"Radwege Plan"',
    '"Raum Wetzlar"',  # across two fields: never a phrase
    '"der Radwege Netz"',
    '"café im Ausbau"',
    '"Ministerin Kai"',
    '"Landesregierung fördert den"',
    '"Landesregierung fördert den Ausbau der Radwege"',
    '"wer fördert den Rad"*',
]


def archive_with_texts(url: str) -> Archive:
    archive = Archive(url)
    archive.store([item(n, body=text) for n, text in TEXTS.items()])
    return archive


def hits(archive: Archive, query: str) -> tuple[int, list[str]]:
    found = archive.find(query, limit=50)
    return found["total"], sorted(h["title"] for h in found["hits"])


def titles(*numbers: int) -> list[str]:
    return sorted(item(n)["title"] for n in numbers)


def test_phrases_match_their_words_in_order_only(db_url):
    with archive_with_texts(db_url) as archive:
        assert hits(archive, '"Ausbau der Radwege"') == (4, titles(1, 3, 4, 5))
        assert hits(archive, '"der Radwege Netz"') == (1, titles(2))
        assert hits(archive, '"Radwege im Ausbau"') == (1, titles(3))
        assert hits(archive, '"Ausbau der Rad"*') == (4, titles(1, 3, 4, 5))
        assert hits(archive, '"Radwege der Ausbau"') == (0, [])
        assert hits(archive, '"Raum Wetzlar"') == (0, [])


def test_a_replaced_release_loses_its_old_phrases(db_url):
    with archive_with_texts(db_url) as archive:
        archive.store([later(1, 1, body="Die Landesregierung plant neue Brücken am Main.")])
        assert hits(archive, '"Ausbau der Radwege"') == (3, titles(3, 4, 5))
        assert hits(archive, '"plant neue Brücken"') == (1, titles(1))
        assert hits(archive, '"neue Brücken"') == (1, titles(1))


@sqlite_only
@pytest.mark.parametrize(("chunk", "span"), [(1, 0), (2, 0), (200, 0), (1, 10**9), (3, 10**9)])
def test_pairs_find_what_fts5_finds(tmp_path, monkeypatch, chunk, span):
    """Through the pairs (candidates checked ``chunk`` at a time, in their texts or, with
    a large ``span``, by FTS5 between their pks) the hits, scores and counts are those of
    FTS5's phrase search."""
    monkeypatch.setattr(search_index, "CHECK_CHUNK", chunk)
    monkeypatch.setattr(search_index, "SPAN_PER_TEXT", span)
    with archive_with_texts(f"sqlite:///{tmp_path / 'a.sqlite'}") as archive:
        archive.store([item(n, published=f"2024-04-{n - 9:02d}") for n in range(10, 20)])
        paired = {query: archive.find(query) for query in QUERIES}
        monkeypatch.setattr(SqliteIndex, "paired", False)
        assert {query: archive.find(query) for query in QUERIES} == paired
    assert paired['"Ausbau der Radwege"']["total"] == 4
    assert paired['"Ministerin Kai"']["total"] == 0
    assert paired['"Radwege Plan"']["total"] == 1


@sqlite_only
@pytest.mark.parametrize(("span", "read"), [(0, [[6, 1]]), (10**9, [])])
def test_close_candidates_are_left_to_fts5(tmp_path, monkeypatch, span, read):
    """Candidates whose pks lie close together are not read from the releases."""
    monkeypatch.setattr(search_index, "SPAN_PER_TEXT", span)
    checked = []
    with archive_with_texts(f"sqlite:///{tmp_path / 'a.sqlite'}") as archive:
        real = search_index.sources
        monkeypatch.setattr(
            search_index, "sources", lambda conn, pks: checked.append(pks) or real(conn, pks)
        )
        assert hits(archive, '"Landesregierung fördert den"') == (1, titles(1))
    assert checked == read


@sqlite_only
def test_a_phrase_around_a_stop_word_is_one_triple(tmp_path, monkeypatch):
    """``"Ausbau der Radwege"`` is found through its triple alone: release 2 has both its
    pairs apart and is no candidate, and no text is read to check one."""
    monkeypatch.setattr(search_index, "SPAN_PER_TEXT", 0)
    checked = []
    with archive_with_texts(f"sqlite:///{tmp_path / 'a.sqlite'}") as archive:
        real = search_index.sources
        monkeypatch.setattr(
            search_index, "sources", lambda conn, pks: checked.append(pks) or real(conn, pks)
        )
        assert hits(archive, '"Ausbau der Radwege"') == (4, titles(1, 3, 4, 5))
        assert hits(archive, '"Ausbau der Rad"*') == (4, titles(1, 3, 4, 5))
        assert hits(archive, '"Straßen verbindet sagt"') == (1, titles(2))
    assert checked == [[2]]


def test_pairs_hold_triples_only_around_stop_words():
    doc = {"title": "", "extra": "", "persons": "", "body": "ausbau der radwege im land"}
    tokens = set(pairs(doc).split())
    assert tokens == {
        "ausbau_der",
        "der_radwege",
        "radwege_im",
        "im_land",
        "ausbau_der_radwege",
        "radwege_im_land",
    }
    assert set(pairs(doc, triples=False).split()) == {t for t in tokens if t.count("_") == 1}


def test_text_check_agrees_with_the_words():
    phrase = Phrase(("ausbau", "der", "radwege"))
    assert in_text("Den AUSBAU der Radwege.", phrase)
    assert in_text("den Ausbau, der – Radwege", phrase)
    assert in_text("Ausbau der Radwege", phrase)
    assert not in_text("Radausbau der Radwege", phrase)
    assert not in_text("Ausbau der Radwegen", phrase)
    assert in_text("Ausbau der Radwegen", Phrase(("ausbau", "der", "radwege"), prefix=True))
    assert in_text("Ausbau der Radwege é", phrase)  # split into words instead
    assert not in_text("Ausbau dér Radwege x", Phrase(("ausbau", "dx", "radwege")))
    assert in_text("über Straßen", Phrase(("ueber", "strassen")))


def downgrade(archive: Archive, revision: str) -> None:
    """The archive's schema taken back to ``revision`` (opening it again upgrades it)."""
    config = alembic_config()
    with archive.engine.connect() as conn, conn.begin():
        config.attributes["connection"] = conn
        command.downgrade(config, revision)


def test_the_stop_words_are_those_the_stored_triples_were_made_around():
    """Stored triples made around other stop words than a query's would be missed, and
    FTS5 could not take a replaced release's old triples out: a change of
    ``stopwords.txt`` needs a migration that builds the pair table again."""
    digest = hashlib.sha256(" ".join(sorted(STOP_WORDS)).encode()).hexdigest()
    assert digest == TRIPLES_STOP_WORDS, "stop words changed: rebuild the pair table"


def pair_rows(conn, table: str) -> list[tuple]:
    return [(term, doc) for term, doc, *_ in instances(conn, "main", table)]


def scratch_pairs(conn, triples: bool = True) -> list[tuple]:
    """The pair table built anew from the releases as stored now."""
    conn.exec_driver_sql(CREATE.replace("release_search_pairs", "temp.fresh_pairs"))
    pks = list(conn.exec_driver_sql("SELECT pk FROM releases").scalars())
    conn.exec_driver_sql(
        "INSERT INTO temp.fresh_pairs (rowid, pairs) VALUES (?, ?)",
        [(pk, pairs(doc, triples)) for pk, doc in documents(conn, pks).items()],
    )
    found = [(term, doc) for term, doc, *_ in instances(conn, "temp", "fresh_pairs")]
    conn.exec_driver_sql("DROP TABLE temp.fresh_pairs")
    return found


@sqlite_only
def test_pairs_after_many_edits_equal_pairs_built_from_scratch(tmp_path):
    with Archive(f"sqlite:///{tmp_path / 'a.sqlite'}") as archive:
        edit(archive)
        assert hits(archive, '"Dritte Fassung zur"')[0] == 1
        assert hits(archive, '"Zweite Fassung"')[0] == 0
        with archive.engine.connect() as conn:
            assert pair_rows(conn, "release_search_pairs") == scratch_pairs(conn)


@sqlite_only
def test_migration_0017_builds_the_pairs_and_goes_back(tmp_path):
    url = f"sqlite:///{tmp_path / 'a.sqlite'}"
    queries = ['"Dritte Fassung zur"', '"Anlage Turnhalle"', '"Solarpark eröffnet"', "Schul*"]
    with Archive(url) as archive:
        edit(archive)
        found = {query: archive.find(query) for query in queries}
        downgrade(archive, "0016_postgres_size")
        with archive.engine.connect() as conn:
            schema = dict(conn.exec_driver_sql("SELECT name, sql FROM sqlite_master").all())
            assert "prefix = '3 4'" in schema["release_search"]
            assert "release_search_pairs" not in schema
    with Archive(url) as archive:  # opening upgrades to head
        assert {query: archive.find(query) for query in queries} == found
        assert found['"Dritte Fassung zur"']["total"] == 1
        with archive.engine.connect() as conn:
            assert pair_rows(conn, "release_search_pairs") == scratch_pairs(conn)
        archive.store([later(1, 9, body="Vierte Fassung zur Biomasse.")])
        assert [h["id"] for h in archive.search('"Fassung zur Biomasse"')] == [
            release_id(archive, 1)
        ]


@sqlite_only
def test_migration_0018_adds_the_triples_and_goes_back(tmp_path):
    url = f"sqlite:///{tmp_path / 'a.sqlite'}"
    queries = ['"Dritte Fassung zur"', '"Fassung zur Geothermie"', '"Anlage Turnhalle"']
    with Archive(url) as archive:
        edit(archive)
        found = {query: archive.find(query) for query in queries}
        downgrade(archive, "0017_phrase_pairs")
        with archive.engine.connect() as conn:
            assert pair_rows(conn, "release_search_pairs") == scratch_pairs(conn, False)
    with Archive(url) as archive:  # opening upgrades to head
        assert {query: archive.find(query) for query in queries} == found
        with archive.engine.connect() as conn:
            assert pair_rows(conn, "release_search_pairs") == scratch_pairs(conn)
            assert any(term.count("_") == 2 for term, _ in pair_rows(conn, "release_search_pairs"))


@sqlite_only
def test_migration_0018_builds_the_triples_past_its_chunks(tmp_path):
    """1,200 releases: the rebuild reads them 500 at a time, and every chunk's triples
    are stored (equal to a table made from scratch, and found by a phrase of the last)."""
    url = f"sqlite:///{tmp_path / 'a.sqlite'}"
    with Archive(url) as archive:
        populate(archive.engine, 1200)
        downgrade(archive, "0017_phrase_pairs")
    with Archive(url) as archive:
        with archive.engine.connect() as conn:
            assert pair_rows(conn, "release_search_pairs") == scratch_pairs(conn)
            last, body = conn.exec_driver_sql("SELECT id, body FROM releases WHERE pk = 1200").one()
        words = body.split()
        at = next(i for i in range(1, len(words) - 1) if words[i] == "der")
        phrase = '"' + " ".join(w.strip(".,„“") for w in words[at - 1 : at + 2]) + '"'
        assert last in {hit["id"] for hit in archive.search(phrase, limit=2000)}


def test_filters_apply_to_phrases(db_url):
    with archive_with_texts(db_url) as archive:
        assert archive.find('"Ausbau der Radwege"', since="2024-03-05")["total"] == 2
        assert archive.find('"Ausbau der"', until="2024-03-02")["total"] == 1
        assert archive.find('"Ausbau der Radwege"', site="elsewhere")["total"] == 0


@sqlite_only
def test_an_interrupted_migration_0017_leaves_the_archive_as_it_was(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'a.sqlite'}"
    with archive_with_texts(url) as archive:
        found = archive.find('"Ausbau der Radwege"')
        downgrade(archive, "0016_postgres_size")

    def stop(*_):
        raise KeyboardInterrupt

    monkeypatch.setattr(SqliteIndex, "store_pairs", stop)
    with pytest.raises(KeyboardInterrupt):
        Archive(url)
    with sqlite3.connect(tmp_path / "a.sqlite") as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [
            ("0016_postgres_size",)
        ]
        schema = dict(conn.execute("SELECT name, sql FROM sqlite_master").fetchall())
        assert "prefix = '3 4'" in schema["release_search"]
        assert "release_search_pairs" not in schema
        assert conn.execute("SELECT count(*) FROM release_search_docsize").fetchone() == (6,)
    monkeypatch.undo()
    with Archive(url) as archive:
        assert archive.find('"Ausbau der Radwege"') == found
