"""The whole path over real HTTP on loopback: replica -> spider -> pipelines -> archive."""

from __future__ import annotations

import pytest
from crawl_helpers import pressarchiv, summary_of
from test_storage_helpers import new_archive_url

from scraper.replica import ReplicaServer, catalogue
from storage import Archive


def warc_dir(folder) -> tuple[str, str]:
    """The ``--warc-dir`` option for an archive made in ``folder`` (needed beside a
    PostgreSQL archive; the default beside a SQLite file)."""
    return "--warc-dir", str(folder / "archive.warc")


@pytest.fixture(scope="module")
def demo_archive(request, tmp_path_factory):
    """One archive on the backend under test, filled by three demo runs: first, repeated,
    then with edits."""
    folder = tmp_path_factory.mktemp("demo")
    db = new_archive_url(request, folder)
    runs = [pressarchiv("demo", "--db", db, *warc_dir(folder))]
    runs.append(pressarchiv("demo", "--db", db, *warc_dir(folder)))
    runs.append(pressarchiv("demo", "--db", db, "--edited", *warc_dir(folder)))
    return db, runs


@pytest.mark.backends
def test_first_demo_stores_every_replica_release(demo_archive):
    db, runs = demo_archive
    assert runs[0].returncode == 0, runs[0].stderr
    counts = summary_of(runs[0])
    releases = catalogue()
    assert counts["new"] == len(releases) >= 60
    assert counts["failed"] == 0
    assert len({release["site"] for release in releases}) >= 3


@pytest.mark.backends
def test_second_demo_stores_nothing_new(demo_archive):
    _, runs = demo_archive
    assert runs[1].returncode == 0, runs[1].stderr
    counts = summary_of(runs[1])
    assert counts["new"] == 0 and counts["changed"] == 0 and counts["failed"] == 0
    assert counts["unchanged"] >= len(catalogue())


@pytest.mark.backends
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


@pytest.mark.backends
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


def test_bad_pages_are_counted_and_do_not_stop_the_crawl(db_url, tmp_path, replica_with_faults):
    result = pressarchiv(
        "crawl", "hessen-soziales", "--db", db_url, "--base-url", replica_with_faults.base_url,
        *warc_dir(tmp_path),
    )  # fmt: skip
    counts = summary_of(result)
    assert counts["failed"] >= 2
    assert "HTTP 500" in result.stderr
    assert "no date" in result.stderr
    expected = [r for r in catalogue() if r["site"] == "hessen-soziales"]
    assert counts["new"] == len(expected)
    assert "Traceback" not in result.stderr


def test_robots_txt_is_obeyed(db_url, tmp_path):
    with ReplicaServer() as server:
        result = pressarchiv(
            "crawl", "hessen-innen", "--db", db_url, "--base-url", server.base_url,
            *warc_dir(tmp_path),
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        fetched = list(server.requests)
    assert "/robots.txt" in fetched
    assert not [path for path in fetched if "/suche" in path]


def test_max_releases_bounds_the_crawl(db_url, tmp_path):
    with ReplicaServer() as server:
        result = pressarchiv(
            "crawl", "hessen-kultus", "--db", db_url, "--base-url", server.base_url,
            "--max-releases", "3", *warc_dir(tmp_path),
        )  # fmt: skip
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


def test_crawl_that_reaches_no_site_fails(db_url, tmp_path):
    result = pressarchiv(
        "crawl", "hessen-soziales", "--db", db_url, "--base-url", "http://127.0.0.1:9",
        *warc_dir(tmp_path),
    )  # fmt: skip
    assert result.returncode == 1
    assert summary_of(result)["failed"] >= 1
    assert "crawl failed" in result.stderr
