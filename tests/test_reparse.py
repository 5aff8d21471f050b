"""``pressarchiv reparse``: the archive rebuilt from the WARC files, without the network."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from crawl_helpers import summary_of
from test_storage_helpers import BACKEND, new_archive_url
from test_warc import crawl, pressarchiv

import scraper.reparse
from scraper.reparse import reparse
from scraper.replica import ReplicaServer
from storage import Archive
from storage.lock import ArchiveLock

pytestmark = pytest.mark.backends


def crawl_into(request, folder) -> str:
    """Two replica sites crawled over loopback into an archive on the backend under test,
    WARC files in ``folder/archive.warc``; its URL. The replica is gone afterwards."""
    db = new_archive_url(request, folder)
    with ReplicaServer() as server:
        crawl(db, server.base_url, "--warc-dir", str(folder / "archive.warc"))
    return db


@pytest.fixture(scope="module")
def crawled(request, tmp_path_factory):
    """The crawled archive's WARC folder and URL."""
    folder = tmp_path_factory.mktemp("reparse")
    return str(folder / "archive.warc"), crawl_into(request, folder)


@pytest.fixture
def copy(request, crawled, tmp_path):
    """A copy of the crawled archive to change; its WARC files stay where they are (on
    PostgreSQL a crawl of its own: the replica serves the same pages)."""
    if BACKEND != "sqlite":
        return crawl_into(request, tmp_path), str(tmp_path / "archive.warc")
    warc_dir, _ = crawled
    shutil.copy(Path(warc_dir).with_suffix(".sqlite"), tmp_path / "copy.sqlite")
    return f"sqlite:///{tmp_path / 'copy.sqlite'}", warc_dir


def export_json(db: str) -> str:
    result = pressarchiv("export", "--format", "json", "--db", db)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_an_unchanged_normaliser_reproduces_the_archive_exactly(crawled):
    warc_dir, db = crawled
    before = export_json(db)
    result = pressarchiv("reparse", "--db", db, "--warc-dir", warc_dir)
    assert result.returncode == 0, result.stderr
    with Archive(db) as archive:
        releases = archive.count()
    assert summary_of(result) == {
        "reparsed": releases, "changed": 0, "unchanged": releases, "failed": 0
    }  # fmt: skip
    assert export_json(db) == before


normalised = scraper.reparse.normalised


def improved(body, url, profile, listing, **fetch):
    """A 'better' normaliser: it reads one title differently."""
    fields = normalised(body, url, profile, listing, **fetch)
    if "kriminalstatistik" in url:
        fields["title"] += " (verbessert)"
    return fields


def test_an_improved_normaliser_adds_a_reparse_revision(copy, monkeypatch):
    db, warc_dir = copy
    monkeypatch.setattr(scraper.reparse, "normalised", improved)
    summary = reparse(db, warc_dir=warc_dir, note="normaliser 2")
    assert (summary.changed, summary.failed) == (1, 0)
    assert summary.unchanged == summary.reparsed - 1
    with Archive(db) as archive:
        (row,) = [r for r in archive.releases() if "kriminalstatistik" in r["url"]]
        old, new = archive.revisions(row["id"])
    assert row["title"].endswith(" (verbessert)") and row["revisions"] == 2
    assert (old["source"], new["source"], new["note"]) == ("crawl", "reparse", "normaliser 2")
    assert not old["fields"]["title"].endswith("(verbessert)")  # the old text is kept
    assert (new["warc_file"], new["warc_offset"]) == (old["warc_file"], old["warc_offset"])
    assert new["fetched_at"] == old["fetched_at"]
    again = reparse(db, warc_dir=warc_dir)
    assert (again.changed, again.unchanged) == (0, again.reparsed)


def test_a_missing_warc_file_fails_that_release_only(copy, tmp_path):
    db, warc_dir = copy
    shutil.copytree(warc_dir, tmp_path / "partial")
    with Archive(db) as archive:
        first = archive.revisions(next(archive.releases())["id"])[-1]["warc_file"]
    (tmp_path / "partial" / first).unlink()
    result = pressarchiv("reparse", "--db", db, "--warc-dir", str(tmp_path / "partial"))
    assert result.returncode == 3  # finished, some releases failed
    counts = summary_of(result)
    assert counts["failed"] >= 1 and counts["changed"] == 0
    assert f"{first}: no such WARC file" in result.stderr


def test_site_filter_and_unknown_site(copy):
    db, warc_dir = copy
    result = pressarchiv("reparse", "--site", "hessen-innen", "--db", db, "--warc-dir", warc_dir)
    with Archive(db) as archive:
        assert summary_of(result)["reparsed"] == archive.sites()["hessen-innen"]
    result = pressarchiv("reparse", "--site", "hessen-nirgendwo", "--db", db)
    assert result.returncode == 1 and "unknown site id" in result.stderr
    assert "Traceback" not in result.stderr


def test_reparse_gives_the_normaliser_the_listing_card_of_the_crawl(copy, monkeypatch):
    db, warc_dir = copy
    seen = []

    def watching(body, url, profile, listing, **fetch):
        seen.append(listing)
        return normalised(body, url, profile, listing, **fetch)

    monkeypatch.setattr(scraper.reparse, "normalised", watching)
    summary = reparse(db, warc_dir=warc_dir)
    assert len(seen) == summary.reparsed == summary.unchanged > 0
    assert all(card["title"] and card["date"] for card in seen)


def test_reparse_refuses_to_run_beside_a_crawl(copy):
    db, warc_dir = copy
    with ArchiveLock(db):
        result = pressarchiv("reparse", "--db", db, "--warc-dir", warc_dir)
    assert result.returncode == 75  # busy, as for a second crawl
    assert "archive is locked" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_reparse_is_not_an_edit_by_the_ministry(copy, monkeypatch):
    db, warc_dir = copy
    monkeypatch.setattr(scraper.reparse, "normalised", improved)
    assert reparse(db, warc_dir=warc_dir).changed == 1
    result = pressarchiv("changes", "--format", "json", "--db", db)
    assert result.returncode == 0, result.stderr
    assert "kriminalstatistik" not in result.stdout and "verbessert" not in result.stdout


def test_reparse_and_crawl_give_the_same_provenance(crawled):
    warc_dir, db = crawled
    with Archive(db) as archive:
        rows = list(archive.releases())
    assert all(row["ministry"] for row in rows)
    for row in rows:  # every field a reader filled says which one
        assert {"published", "title", "body", "ministry", "encoding"} <= set(row["sources"])
        assert row["sources"]["title"] == row["sources"]["body"] == "selector"
    result = pressarchiv("reparse", "--db", db, "--warc-dir", warc_dir)
    with Archive(db) as archive:
        assert [row["sources"] for row in archive.releases()] == [r["sources"] for r in rows]
    assert summary_of(result)["changed"] == 0
