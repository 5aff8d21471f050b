"""The crawl log (`pressarchiv runs`) and the archive lock that keeps crawls apart."""

from __future__ import annotations

import subprocess
import time

import pytest
from crawl_helpers import crawl, entries, pressarchiv, release_count, runs_json, start, summary_of
from test_storage_helpers import drop_pg_schema, pg_url

from scraper.replica import ReplicaServer
from storage import Archive
from storage.lock import ArchiveLock

SITE = "hessen-innen"
LOCKED = 75


@pytest.fixture
def replica():
    with ReplicaServer() as server:
        yield server


@pytest.fixture
def db(db_url):
    return db_url


def test_runs_lists_every_run_newest_first_with_its_counts(db, replica):
    first = crawl(db, replica, SITE)
    second = crawl(db, replica, SITE, extra=("--full",))
    listed = runs_json(db)
    assert [run["id"] for run in listed] == [2, 1]
    assert [run["status"] for run in listed] == ["finished", "finished"]
    assert [run["mode"] for run in listed] == ["full", "incremental"]
    for run, result in zip(listed, [second, first], strict=True):
        counts = summary_of(result)
        assert {k: run[k] for k in counts} == counts
        assert run["sites"] == [SITE] and run["pages"] > 0 and run["ended"]
    table = pressarchiv("runs", "--db", db, "--limit", "1")
    assert table.returncode == 0
    assert len(table.stdout.strip().splitlines()) == 2 and "full" in table.stdout


def test_runs_id_shows_every_failure_with_url_and_reason(db):
    with ReplicaServer(faults=True) as replica:
        result = crawl(db, replica, "hessen-soziales")
    failed = summary_of(result)["failed"]
    assert failed == 3
    run = runs_json(db, "1")
    assert run["failed"] == failed == len(run["failures"])
    reasons = " ".join(f["reason"] for f in run["failures"])
    assert "HTTP 500" in reasons and "no date" in reasons
    text = pressarchiv("runs", "1", "--db", db).stdout
    for failure in run["failures"]:
        assert failure["url"] in text


def test_runs_of_an_unknown_id_is_one_clear_line(db):
    Archive(db).close()
    result = pressarchiv("runs", "7", "--db", db)
    assert result.returncode == 1
    assert result.stderr.strip() == "Error: no run 7 in this archive"


def test_a_failed_crawl_is_recorded_as_failed(db, replica):
    result = pressarchiv("crawl", SITE, "--db", db, "--base-url", f"{replica.base_url}/nothing")
    assert result.returncode == 1
    assert runs_json(db)[0]["status"] == "failed"


def test_second_crawl_is_refused_while_the_archive_is_locked(db, replica):
    with ArchiveLock(db):
        refused = crawl(db, replica, SITE)
    assert refused.returncode == LOCKED
    assert (
        refused.stderr.strip()
        .splitlines()[-1]
        .startswith("crawl not started: another crawl is running")
    )
    assert not refused.stdout and release_count(db) == 0 and runs_json(db) == []
    assert crawl(db, replica, SITE).returncode == 0, "the lock is gone with its holder"


def test_first_crawl_is_unaffected_by_a_refused_second_one(db, replica):
    # 0.5 s between requests keeps the first crawl busy for seconds, even on a loaded machine
    first = start("crawl", SITE, "--db", db, "--base-url", replica.base_url, "--delay", "0.5")
    while not replica.hits:  # the first crawl holds the lock once it fetches
        assert first.poll() is None, first.stderr.read()
        time.sleep(0.05)
    second = crawl(db, replica, SITE)
    assert second.returncode == LOCKED
    out, err = first.communicate(timeout=120)
    assert first.returncode == 0, err
    assert out.strip().endswith(f"new={len(entries(SITE))} changed=0 unchanged=1 failed=0")
    assert [run["status"] for run in runs_json(db)] == ["finished"]


def test_wait_queues_the_second_crawl_until_the_first_ends(db, replica):
    lock = ArchiveLock(db).__enter__()
    waiting = start("crawl", SITE, "--db", db, "--base-url", replica.base_url, "--wait")
    try:
        with pytest.raises(subprocess.TimeoutExpired):
            waiting.wait(timeout=3)
        assert not replica.hits, "nothing is fetched while another crawl holds the archive"
    finally:
        lock.__exit__()
    out, err = waiting.communicate(timeout=120)
    assert waiting.returncode == 0, err
    assert summary_of(out)["new"] == len(entries(SITE))


@pytest.fixture
def pg():
    url = pg_url()
    yield url
    drop_pg_schema(url)


def test_postgres_archive_is_locked_per_schema(pg, replica, tmp_path):
    other = pg_url()
    warc = ("--warc-dir", str(tmp_path))  # not ./warc, where a PostgreSQL archive keeps it
    try:
        with ArchiveLock(pg):
            refused = crawl(pg, replica, SITE, extra=warc)
            elsewhere = crawl(other, replica, SITE, extra=("--max-releases", "2", *warc))
        assert refused.returncode == LOCKED, refused.stderr
        assert "another crawl is running" in refused.stderr
        assert elsewhere.returncode == 0, "another archive on the same server is not locked"
        done = crawl(pg, replica, SITE, extra=warc)
        assert done.returncode == 0, done.stderr
        assert summary_of(done)["new"] == len(entries(SITE))
        assert [run["status"] for run in runs_json(pg)] == ["finished"]
    finally:
        drop_pg_schema(other)
