from datetime import timedelta

import pytest
import sqlalchemy as sa
from test_storage_helpers import (  # noqa: F401
    T0,
    any_archive_fixture,
    archive_fixture,
    item,
    new_archive_url,
)

from storage import Archive, ArchiveError, StoreCounts
from storage.engine import alembic_config, head_revision


def test_new_release_is_stored_with_all_fields(archive):
    assert archive.store([item(1)]) == StoreCounts(new=1, changed=0, unchanged=0)
    (row,) = archive.releases()
    assert row["url"] == "https://soziales.hessen.de/presse/meldung-1"
    assert row["published"] == "2024-03-02"
    assert row["persons"] == [{"name": "Kai Klose", "role": "Staatssekretär"}]
    assert row["first_seen"] == row["last_seen"] == (T0 + timedelta(minutes=1)).isoformat()
    assert row["revisions"] == 1 and len(row["content_hash"]) == 64
    assert archive.get(row["id"]) == row


def test_url_variants_are_one_release(archive):
    urls = [
        "https://soziales.hessen.de/presse/meldung-1",
        "http://www.soziales.hessen.de/presse/meldung-1/?utm_source=newsletter",
        "https://SOZIALES.hessen.de/presse/meldung-1#top",
    ]
    counts = archive.store([item(1, url=u) for u in urls])
    assert counts == StoreCounts(new=1, changed=0, unchanged=2)
    assert archive.count() == 1
    assert next(archive.releases())["urls"] == [urls[0]]


def test_two_urls_for_one_release_give_one_record_with_both(archive):
    archive.store([item(1)])
    moved = item(1, url="https://soziales.hessen.de/presse/pressearchiv/meldung-1")
    assert archive.store([moved]) == StoreCounts(0, 0, 1)
    (row,) = archive.releases()
    assert row["urls"] == [
        "https://soziales.hessen.de/presse/meldung-1",
        "https://soziales.hessen.de/presse/pressearchiv/meldung-1",
    ]


def test_title_spelling_variants_match(archive):
    archive.store([item(1, title="Integrationskonferenz in Wetzlar")])
    other = item(1, url="https://soziales.hessen.de/x", title="  INTEGRATIONSKONFERENZ in Wetzlar")
    archive.store([other])
    assert archive.count() == 1


def test_unchanged_recrawl_moves_only_last_seen(archive):
    archive.store([item(1)])
    before = archive.get(next(archive.releases())["id"])
    later = T0 + timedelta(days=3)
    assert archive.store([item(1, fetched_at=later)]) == StoreCounts(0, 0, 1)
    after = archive.get(before["id"])
    assert after["last_seen"] == later.isoformat()
    assert {k: v for k, v in after.items() if k != "last_seen"} == {
        k: v for k, v in before.items() if k != "last_seen"
    }
    assert len(archive.revisions(before["id"])) == 1


def test_changed_text_keeps_old_revision(archive):
    archive.store([item(1)])
    edited = item(1, body="Korrigierte Fassung.", fetched_at=T0 + timedelta(days=1))
    assert archive.store([edited]) == StoreCounts(0, 1, 0)
    row = next(archive.releases())
    assert row["body"] == "Korrigierte Fassung." and row["revisions"] == 2
    old, new = archive.revisions(row["id"])
    assert (old["number"], new["number"]) == (1, 2)
    assert (
        old["fields"]["body"].startswith("Anlässlich")
        and old["content_hash"] != new["content_hash"]
    )
    assert new["content_hash"] == row["content_hash"]
    assert new["fetched_url"].startswith("http://127.0.0.1")
    # back to the first text: a third revision, the two before it untouched
    assert archive.store([item(1, fetched_at=T0 + timedelta(days=2))]) == StoreCounts(0, 1, 0)
    revs = archive.revisions(row["id"])
    assert [r["number"] for r in revs] == [1, 2, 3] and revs[:2] == [old, new]


def test_provenance_change_alone_is_not_a_new_revision(archive):
    archive.store([item(1)])
    assert archive.store([item(1, flags=["speech"], profile=None)]) == StoreCounts(0, 0, 1)


def test_same_release_twice_in_one_batch(archive):
    counts = archive.store([item(1), item(1, body="Neu."), item(1, body="Neu.")])
    assert counts == StoreCounts(new=1, changed=1, unchanged=1)


def test_failing_batch_leaves_nothing_and_rerun_fills_in(archive):
    archive.store([item(1)])
    batch = [item(2), item(1, body="Geändert."), item(3)]
    broken = batch + [item(4, published="25.03.2024")]
    with pytest.raises(ArchiveError, match="meldung-4"):
        archive.store(broken)
    assert archive.count() == 1 and len(archive.revisions(next(archive.releases())["id"])) == 1
    assert archive.store(batch) == StoreCounts(new=2, changed=1, unchanged=0)
    assert archive.store(batch) == StoreCounts(new=0, changed=0, unchanged=3)
    assert archive.count() == 3


def test_database_error_mid_batch_rolls_back(archive, monkeypatch):
    calls = []

    def explode(conn, pks, *rest):
        calls.append(pks)
        conn.execute(sa.text("INSERT INTO no_such_table VALUES (1)"))

    monkeypatch.setattr(archive, "_texts_changed", explode)
    with pytest.raises(ArchiveError, match="batch not stored"):
        archive.store([item(1), item(2)])
    assert archive.count() == 0 and len(calls[0]) == 2


def test_batch_is_one_transaction(archive):
    commits = []
    sa.event.listen(archive.engine, "commit", lambda conn: commits.append(1))
    archive.store([item(n) for n in range(1, 21)])
    assert len(commits) == 1


@pytest.mark.backends
def test_ids_are_stable_across_a_rebuild(request, tmp_path):
    batch = [item(n) for n in range(1, 6)]
    with Archive(new_archive_url(request, tmp_path, "a.sqlite")) as first:
        first.store(batch[:2])
        first.store(batch[2:])
        ids = [r["id"] for r in first.releases()]
    with Archive(new_archive_url(request, tmp_path, "b.sqlite")) as rebuilt:
        rebuilt.store(list(reversed(batch)))
        assert [r["id"] for r in rebuilt.releases()] == ids
    assert len(set(ids)) == 5 and all(len(i) == 16 for i in ids)


def test_id_depends_on_site_date_and_title_not_url(archive):
    archive.store([item(1), item(2, site="hessen-innen", title=item(1)["title"])])
    archive.store([item(3, published="2024-03-02", title=item(1)["title"])])
    assert archive.count() == 2  # item 3 is item 1 under another URL


def test_releases_filters_and_order(archive):
    archive.store(
        [
            item(5, published="2023-01-01"),
            item(6, published=None, title="Ohne Datum"),
            item(7, published="2022-06-30", site="hessen-innen"),
            item(8, published="2023-01-01"),
        ]
    )
    rows = list(archive.releases())
    assert [r["published"] for r in rows] == ["2022-06-30", "2023-01-01", "2023-01-01", None]
    assert rows[1]["id"] < rows[2]["id"]
    assert [r["site"] for r in archive.releases(site="hessen-innen")] == ["hessen-innen"]
    assert len(list(archive.releases(since="2023-01-01"))) == 2
    assert len(list(archive.releases(until="2022-12-31"))) == 1
    with pytest.raises(ValueError, match="since"):
        list(archive.releases(since="gestern"))


def test_unknown_id(archive):
    assert archive.get("0000000000000000") is None
    assert archive.revisions("0000000000000000") == []


@pytest.mark.parametrize(
    "url",
    ["nonsense://", "not a url",
     pytest.param("sqlite:////no/such/dir/a.sqlite", marks=pytest.mark.sqlite_only(
         "a SQLite file in a folder that does not exist (a server that does not answer is "
         "the next case)")),
     "postgresql+psycopg://postgres@127.0.0.1:1/none"],
)  # fmt: skip
def test_bad_url_is_one_line_archive_error(url):
    with pytest.raises(ArchiveError) as info:
        Archive(url)
    assert str(info.value).startswith("cannot open archive") and "\n" not in str(info.value)


def test_password_is_not_shown():
    with pytest.raises(ArchiveError) as info:
        Archive("postgresql+psycopg://user:geheim@127.0.0.1:1/db")
    assert "geheim" not in str(info.value)


def test_migrations_match_the_models(db_url):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from storage.models import Base
    from storage.search_index import include_name

    with Archive(db_url) as arch, arch.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_name": include_name})
        assert compare_metadata(context, Base.metadata) == []
    assert alembic_config().get_main_option("script_location").endswith("migrations")


def test_head_revision_is_the_newest_migration():
    from alembic.script import ScriptDirectory

    assert head_revision() == ScriptDirectory.from_config(alembic_config()).get_current_head()


def test_reopening_keeps_data(db_url):
    url = db_url
    with Archive(url) as arch:
        arch.store([item(1)])
    with Archive(url) as arch:
        assert arch.count() == 1


def test_round_trip_on_each_backend(any_archive):
    arch = any_archive
    assert arch.store([item(1), item(2)]) == StoreCounts(2, 0, 0)
    arch.store([item(1, url="http://www.soziales.hessen.de/presse/meldung-1/", body="Neu")])
    row = arch.get(next(arch.releases())["id"])
    assert row["body"] == "Neu" and row["revisions"] == 2
    assert row["subtitle"] == "Staatssekretär Kai Klose: „Teilhabe für Mädchen stärken“"
    assert arch.revisions(row["id"])[0]["fields"]["body"].startswith("Anlässlich")
    assert row["first_seen"].endswith("+00:00")
    assert arch.count() == 2 and arch.sites() == {"hessen-soziales": 2}


def test_read_failure_is_one_line_archive_error(archive):
    archive.store([item(1)])
    with archive.engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE release_persons")
    with pytest.raises(ArchiveError, match="archive read failed: .*release_persons") as info:
        archive.persons()
    assert "\n" not in str(info.value)


def test_two_writers_racing_on_one_release_store_it_once(db_url):
    """A second writer storing the same new release while the first one's batch is still
    open either fails whole (one line, for the crawl to store its items again) or, having
    waited, finds the release stored: never a second release or a lost revision."""
    import threading

    first, second = Archive(db_url), Archive(db_url)
    holding, release = threading.Event(), threading.Event()
    outcome: dict = {}

    def hold(session, counts):
        holding.set()
        release.wait(30)

    def race():
        try:
            outcome["counts"] = second.store([item(1, fetched_at=T0 + timedelta(days=1))])
        except ArchiveError as exc:
            outcome["error"] = str(exc)

    writer = threading.Thread(target=lambda: first.store([item(1)], then=hold))
    writer.start()
    assert holding.wait(30)
    racer = threading.Thread(target=race)
    racer.start()
    racer.join(1)  # the racer reads and blocks on the open batch (or is already done)
    release.set()
    writer.join(30)
    racer.join(30)
    try:
        if "error" in outcome:
            assert outcome["error"].startswith("batch not stored: ")
            assert "\n" not in outcome["error"]
            again = second.store([item(1, fetched_at=T0 + timedelta(days=1))])
            assert again == StoreCounts(unchanged=1)
        else:
            assert outcome["counts"] == StoreCounts(unchanged=1)
        assert first.count() == 1
        (row,) = first.releases()
        assert len(first.revisions(row["id"])) == 1
        assert row["last_seen"].startswith((T0 + timedelta(days=1)).date().isoformat())
    finally:
        first.close()
        second.close()
