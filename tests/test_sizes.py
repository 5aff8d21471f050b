"""Every read path over an archive of a few thousand releases, on the backend under test.

The archive is stored through ``Archive.store`` in batches of 500 (synthetic releases of
six ministries, with persons, planted rare words and PDF attachments), then 1,100 of them
are edited: past the export and store chunks (500), 1,000, and the synthetic bulk chunk
(2,000), so no read path can stop at a batch boundary unnoticed.
"""

from __future__ import annotations

import asyncio
import csv
import json
from collections import Counter
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from test_storage_helpers import BACKEND, new_archive_url

from exports.marks import move_mark
from exports.rows import last_revision
from scraper.cli import main
from storage import Archive
from storage.records import prepare
from storage.synthetic import RARE_WORDS, items

SIZE = 2600
EDITED = 1100  # every second release of the first 2,200
ADDED = " Ergänzung der Pressestelle: Die Anmeldefrist wurde verlängert."
EDITED_AT = datetime(2026, 2, 1, 9, 0, tzinfo=UTC)


def batched(rows: list, size: int = 500):
    return (rows[start : start + size] for start in range(0, len(rows), size))


pytestmark = pytest.mark.backends


@pytest.fixture(scope="module")
def big(request, tmp_path_factory):
    """The archive: its URL, the current text of every release by id, the edited ids and
    the revision sequence number before the edits."""
    url = new_archive_url(request, tmp_path_factory.mktemp("size"))
    current = list(items(SIZE))
    edits = [dict(it, body=it["body"] + ADDED, fetched_at=EDITED_AT) for it in current[:2200:2]]
    with Archive(url) as archive:
        for batch in batched(current):
            archive.store(batch)
        before_edits = last_revision(archive)
        for batch in batched(edits):
            assert archive.store(batch).changed == len(batch)
    current[:2200:2] = edits
    return SimpleNamespace(
        url=url,
        backend=BACKEND,
        texts={prepare(it).id: it for it in current},
        edited={prepare(it).id for it in edits},
        before_edits=before_edits,
    )


def cli(big, *args) -> str:
    result = CliRunner().invoke(main, [*args, "--db", big.url], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def expected_order(big) -> list[str]:
    return sorted(big.texts, key=lambda rid: (big.texts[rid]["published"], rid))


def read_export(path, fmt: str) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as data:
        if fmt == "csv":
            return list(csv.DictReader(data))
        if fmt == "json":
            return json.load(data)
        return [json.loads(line) for line in data]


@pytest.mark.parametrize("fmt", ["csv", "json", "jsonl"])
def test_export_writes_every_release_once_in_order(big, tmp_path, fmt):
    out = tmp_path / f"all.{fmt}"
    cli(big, "export", "--format", fmt, "-o", str(out))
    rows = read_export(out, fmt)
    assert [r["id"] for r in rows] == expected_order(big)
    for r in rows:
        text = big.texts[r["id"]]
        assert r["body"] == text["body"]
        assert str(r["revisions"]) == ("2" if r["id"] in big.edited else "1")
        assert bool(r["attachments"]) == bool(text.get("attachments"))
        assert r["archived_copy"] == f"warc:synthetic.warc.gz#{text['warc']['offset']}"
    manifest = json.loads((tmp_path / f"all.{fmt}.manifest.json").read_text(encoding="utf-8"))
    assert manifest["count"] == SIZE


def test_export_to_stdout_streams_past_every_chunk(big):
    lines = cli(big, "export", "--format", "jsonl").splitlines()
    assert [json.loads(line)["id"] for line in lines] == expected_order(big)


def test_since_last_exports_exactly_the_edited_releases(big):
    with Archive(big.url) as archive:
        move_mark(archive, "nightly", big.before_edits, SIZE, None)
    lines = cli(big, "export", "--format", "jsonl", "--since-last", "nightly").splitlines()
    assert sorted(json.loads(line)["id"] for line in lines) == sorted(big.edited)
    assert cli(big, "export", "--format", "jsonl", "--since-last", "nightly") == ""


def test_archive_releases_yields_every_release(big):
    with Archive(big.url) as archive:
        assert [r["id"] for r in archive.releases()] == expected_order(big)


def test_search_finds_every_release_with_a_word(big):
    with Archive(big.url) as archive:
        edited = {hit["id"] for hit in archive.search("Anmeldefrist", limit=SIZE)}
        assert edited == big.edited
        for word in RARE_WORDS[:40:7]:
            found = {hit["id"] for hit in archive.search(word, limit=SIZE)}
            assert found == {rid for rid, t in big.texts.items() if word in t["body"]}, word


def test_search_cli_over_the_large_archive(big):
    found = json.loads(cli(big, "search", "Anmeldefrist", "--limit", "1000", "--format", "json"))
    hits = found["hits"]
    assert len(hits) == 1000 and {h["id"] for h in hits} <= big.edited
    assert found["total"] == len(big.edited) and not found["capped"]


def test_persons_count_every_release(big):
    expected = Counter(
        name for t in big.texts.values() for name in {p["name"] for p in t["persons"]}
    )
    persons = json.loads(cli(big, "persons", "--format", "json"))
    assert {p["name"]: p["releases"] for p in persons} == dict(expected)


def test_changes_lists_every_edited_release(big):
    changes = json.loads(cli(big, "changes", "--format", "json"))
    assert {c["id"] for c in changes} == big.edited
    assert all(len(c["changes"]) == 1 for c in changes)
    assert any("Anmeldefrist" in str(c["changes"][0]["diff"]) for c in changes)


def test_stats_count_every_release(big):
    stats = json.loads(cli(big, "stats", "--format", "json"))
    assert stats["releases"] == SIZE
    assert sum(m["releases"] for m in stats["per_ministry"]) == SIZE
    assert sum(m["releases"] for m in stats["per_month"]) == SIZE
    by_ministry = Counter(t["ministry"] for t in big.texts.values())
    assert {m["ministry"]: m["releases"] for m in stats["per_ministry"]} == by_ministry


def test_serve_counts_pages_and_searches_the_large_archive(big, tmp_path):
    """On PostgreSQL through the archive's SQLite mirror, as a PostgreSQL archive is served."""
    pytest.importorskip("datasette")
    from scraper.web import datasette_app

    served = big.url.removeprefix("sqlite:///")
    if big.backend != "sqlite":
        served = tmp_path / "spiegel.sqlite"
        assert cli(big, "mirror", "-o", str(served)).startswith(
            f"copied {served}: releases={SIZE} revisions={SIZE + EDITED} "
        )
    ds = datasette_app(served)
    try:
        table = asyncio.run(ds.client.get("/archive/releases.json?_size=0"))
        assert table.json()["filtered_table_rows_count"] == SIZE
        seen, path = [], "/archive/releases.json?_size=1000&_col=id&_shape=objects&_sort=pk"
        while path:
            page = asyncio.run(ds.client.get(path)).json()
            seen += [row["id"] for row in page["rows"]]
            path = page["next_url"] and page["next_url"].removeprefix("http://localhost")
        assert sorted(seen) == sorted(big.texts)
        found = asyncio.run(ds.client.get("/archive/releases.json?_search=Anmeldefrist&_size=0"))
        assert found.json()["filtered_table_rows_count"] == EDITED
    finally:
        ds.get_database("archive").close()


CRAWLED, CRAWLED_HOSTS = 600, 3


def test_reparse_on_a_sample_of_a_crawled_archive(request, tmp_path, monkeypatch):
    """The large replica crawled (600 releases of three sites, with WARC files) into an
    archive on the backend under test; ``reparse --site`` of one of them, a sample of about
    200: every release read again from its WARC record, none changed or failed. A normaliser
    that reads titles differently then adds one reparse revision to each of the sample and
    to no other release."""
    from crawl_helpers import pressarchiv, summary_of

    import scraper.reparse
    from scraper.replica.scale import ScaleReplica, site_id

    url, warcs = new_archive_url(request, tmp_path), tmp_path / "warc"
    with ScaleReplica(CRAWLED, hosts=CRAWLED_HOSTS) as replica:
        sites = str(replica.data.write_sites(tmp_path / "sites"))
        ids = [site_id(h) for h in range(CRAWLED_HOSTS)]
        crawled = pressarchiv("crawl", *ids, "--full", "--db", url, "--base-url",
                              replica.base_url, "--sites-dir", sites, "--warc-dir", str(warcs),
                              timeout=600)  # fmt: skip
        sample = replica.data.count(1)
    assert crawled.returncode == 0, crawled.stderr
    assert summary_of(crawled)["new"] == CRAWLED
    args = ["--site", site_id(1), "--db", url, "--warc-dir", str(warcs), "--sites-dir", sites]
    again = pressarchiv("reparse", *args)
    assert again.returncode == 0, again.stderr
    assert summary_of(again) == {
        "reparsed": sample, "changed": 0, "unchanged": sample, "failed": 0
    }  # fmt: skip

    normalised = scraper.reparse.normalised

    def read_differently(*args, **kwargs):
        fields = normalised(*args, **kwargs)
        return dict(fields, title=f"{fields['title']} (neu gelesen)")

    monkeypatch.setattr(scraper.reparse, "normalised", read_differently)
    summary = scraper.reparse.reparse(url, site_id(1), str(warcs), sites)
    assert (summary.reparsed, summary.changed, summary.failed) == (sample, sample, 0)
    with Archive(url) as archive, archive.engine.connect() as conn:
        sql = "SELECT site, count(*) FROM revisions JOIN releases ON releases.pk = release_pk "
        sql += "WHERE source = 'reparse' GROUP BY site"
        assert dict(conn.exec_driver_sql(sql).all()) == {site_id(1): sample}
        retitled = sa.text("SELECT count(*) FROM releases WHERE title LIKE :end")
        assert conn.execute(retitled, {"end": "%(neu gelesen)"}).scalar() == sample
