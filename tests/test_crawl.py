"""The whole path over real HTTP on loopback: replica -> spider -> pipelines -> archive."""

from __future__ import annotations

import pytest
from crawl_helpers import pressarchiv, summary_of

from scraper.replica import ReplicaServer, catalogue
from storage import Archive


@pytest.fixture(scope="module")
def demo_archive(tmp_path_factory):
    """One archive filled by three demo runs: first, repeated, then with edits."""
    db = f"sqlite:///{tmp_path_factory.mktemp('demo')}/archive.sqlite"
    runs = [pressarchiv("demo", "--db", db)]
    runs.append(pressarchiv("demo", "--db", db))
    runs.append(pressarchiv("demo", "--db", db, "--edited"))
    return db, runs


def test_first_demo_stores_every_replica_release(demo_archive):
    db, runs = demo_archive
    assert runs[0].returncode == 0, runs[0].stderr
    counts = summary_of(runs[0])
    releases = catalogue()
    assert counts["new"] == len(releases) >= 60
    assert counts["failed"] == 0
    assert len({release["site"] for release in releases}) >= 3


def test_second_demo_stores_nothing_new(demo_archive):
    _, runs = demo_archive
    assert runs[1].returncode == 0, runs[1].stderr
    counts = summary_of(runs[1])
    assert counts["new"] == 0 and counts["changed"] == 0 and counts["failed"] == 0
    assert counts["unchanged"] >= len(catalogue())


def test_edited_demo_reports_exactly_the_edited_releases(demo_archive):
    db, runs = demo_archive
    assert runs[2].returncode == 0, runs[2].stderr
    edited = [r for r in catalogue(edited=True) if r.get("edited")]
    assert edited
    assert summary_of(runs[2])["changed"] == len(edited)
    with Archive(db) as archive:
        rows = {url: row for row in archive.releases() for url in row["urls"]}
        for release in edited:
            row = rows[release["url"]]
            revisions = archive.revisions(row["id"])
            assert len(revisions) == 2
            assert revisions[0]["fields"]["body"] != revisions[1]["fields"]["body"]
            assert row["body"] == release["body"]


def test_archive_records_carry_the_normalised_fields(demo_archive):
    db, _ = demo_archive
    with Archive(db) as archive:
        rows = list(archive.releases())
    assert len(rows) == len(catalogue())
    for row in rows:
        assert row["title"] and row["published"] and row["body"], row["url"]
        assert row["url"].startswith("https://"), "archive keeps real-site URLs"


@pytest.fixture
def replica_with_faults():
    with ReplicaServer(faults=True) as server:
        yield server


def test_bad_pages_are_counted_and_do_not_stop_the_crawl(tmp_path, replica_with_faults):
    db = f"sqlite:///{tmp_path}/faults.sqlite"
    result = pressarchiv(
        "crawl", "hessen-soziales", "--db", db, "--base-url", replica_with_faults.base_url
    )
    counts = summary_of(result)
    assert counts["failed"] >= 2
    assert "HTTP 500" in result.stderr
    assert "no date" in result.stderr
    expected = [r for r in catalogue() if r["site"] == "hessen-soziales"]
    assert counts["new"] == len(expected)
    assert "Traceback" not in result.stderr


def test_robots_txt_is_obeyed(tmp_path):
    with ReplicaServer() as server:
        result = pressarchiv(
            "crawl",
            "hessen-innen",
            "--db",
            f"sqlite:///{tmp_path}/r.sqlite",
            "--base-url",
            server.base_url,
        )
        assert result.returncode == 0, result.stderr
        fetched = list(server.requests)
    assert "/robots.txt" in fetched
    assert not [path for path in fetched if "/suche" in path]


def test_max_releases_bounds_the_crawl(tmp_path):
    with ReplicaServer() as server:
        result = pressarchiv(
            "crawl",
            "hessen-kultus",
            "--db",
            f"sqlite:///{tmp_path}/m.sqlite",
            "--base-url",
            server.base_url,
            "--max-releases",
            "3",
        )
    assert result.returncode == 0, result.stderr
    assert summary_of(result)["new"] == 3


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["crawl", "hessen-nowhere", "--db", "sqlite:///unused.sqlite"], "unknown site id"),
        (["crawl", "hessen-soziales", "--db", "nosuchdb://x"], "Error:"),
        (["export", "--format", "csv", "--db", "nosuchdb://x"], "Error:"),
    ],
)
def test_cli_errors_are_one_line_without_traceback(args, message):
    result = pressarchiv(*args)
    assert result.returncode != 0
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_crawl_that_reaches_no_site_fails(tmp_path):
    result = pressarchiv(
        "crawl",
        "hessen-soziales",
        "--db",
        f"sqlite:///{tmp_path}/x.sqlite",
        "--base-url",
        "http://127.0.0.1:9",
    )
    assert result.returncode == 1
    assert summary_of(result)["failed"] >= 1
    assert "crawl failed" in result.stderr
