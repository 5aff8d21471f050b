"""A crawl killed with SIGKILL half way: the rerun completes the archive, nothing twice."""

from __future__ import annotations

import signal
import time

import pytest
import sqlalchemy as sa
from crawl_helpers import archived, crawl, entries, runs_json, start, summary_of

from scraper.replica import ReplicaServer

SITES = ("hessen-innen", "hessen-kultus")


def stored(db: str) -> int:
    """The releases in the archive at ``db`` so far (on either backend)."""
    engine = sa.create_engine(db)
    try:
        with engine.connect() as conn:
            return conn.scalar(sa.text("SELECT count(*) FROM releases"))
    except sa.exc.DBAPIError:  # not created yet
        return 0
    finally:
        engine.dispose()


def slow_crawl(db: str, replica, folder):
    """A slow crawl of both sites in the background, its WARC files in ``folder``."""
    slow = ("--delay", "0.2", "--batch-size", "2", "--warc-dir", str(folder / "archive.warc"))
    return start("crawl", *SITES, "--db", db, "--base-url", replica.base_url, *slow)


def test_rerun_after_kill_9_completes_the_archive_without_duplicates(db_url, tmp_path):
    db = db_url
    truth = [e for site in SITES for e in entries(site)]
    with ReplicaServer() as replica:
        victim = slow_crawl(db, replica, tmp_path)
        while stored(db) == 0:
            assert victim.poll() is None, victim.communicate()[1]
            time.sleep(0.05)
        victim.send_signal(signal.SIGKILL)
        victim.wait(timeout=30)
        half = stored(db)
        assert 0 < half < len(truth), "killed half way"
        killed = runs_json(db)[0]
        assert killed["status"] == "interrupted" and killed["ended"] is None
        assert killed["new"] == half, "the log holds what the killed run stored"

        warc = ("--warc-dir", str(tmp_path / "archive.warc"))
        rerun = crawl(db, replica, *SITES, extra=warc)  # incremental, as a nightly job would run it
    assert rerun.returncode == 0, rerun.stderr
    assert summary_of(rerun)["new"] == len(truth) - half
    releases = archived(db)
    assert {e["url"] for e in truth} <= set(releases)
    assert len({r["pk"] for r in releases.values()}) == len(truth), "nothing stored twice"
    assert all(r["revisions"] == 1 for r in releases.values())
    assert [run["status"] for run in runs_json(db)] == ["finished", "interrupted"]


def test_sigterm_stores_what_it_fetched_and_records_the_run_as_killed(db_url, tmp_path):
    db = db_url
    with ReplicaServer() as replica:
        victim = slow_crawl(db, replica, tmp_path)
        while stored(db) == 0:
            assert victim.poll() is None, victim.communicate()[1]
            time.sleep(0.05)
        victim.send_signal(signal.SIGTERM)
        out, err = victim.communicate(timeout=60)
    assert victim.returncode == 143  # 128 + SIGTERM, as a shell reports it
    assert "crawl interrupted (stored what it had)" in err and "crawl failed" not in err
    run = runs_json(db)[0]
    assert run["status"] == "killed" and run["ended"]
    assert run["new"] == stored(db) == summary_of(out)["new"]


@pytest.mark.parametrize("presses", [1, 2])
def test_ctrl_c_exits_130_and_records_the_run_as_killed(db_url, tmp_path, presses):
    db = db_url
    with ReplicaServer() as replica:
        victim = slow_crawl(db, replica, tmp_path)
        while stored(db) == 0:
            assert victim.poll() is None, victim.communicate()[1]
            time.sleep(0.05)
        for _ in range(presses):
            victim.send_signal(signal.SIGINT)
            time.sleep(0.2)
        out, err = victim.communicate(timeout=60)
    assert victim.returncode == 130, err
    assert "Traceback" not in err and "(None)" not in err and "crawl failed" not in err
    assert "crawl interrupted" in err and ("stopped at once" in err) == (presses == 2)
    run = runs_json(db)[0]
    assert run["status"] == "killed" and run["ended"]
