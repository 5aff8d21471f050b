"""Incremental crawls of the replica over loopback: the known-limit stop, conditional
requests, backfills with --since/--until, --full re-checks and withdrawn releases."""

from __future__ import annotations

import pytest
from crawl_helpers import archived, crawl, entries, runs_json, summary_of

from scraper.replica import ReplicaServer
from storage import Archive

SITE = "hessen-innen"  # 16 releases on two listing pages (the first also has a search card)
PAGE_1 = "/innen.hessen.de/presse?page=1"


@pytest.fixture(autouse=True)
def walk_only(monkeypatch):
    """These tests count what the listing walk fetches; the re-checks an incremental run
    adds when the walk is done are tested in tests/test_recheck.py."""
    monkeypatch.setenv("PRESSARCHIV_RECHECK_RECENT_DAYS", "0")
    monkeypatch.setenv("PRESSARCHIV_RECHECK_PERIOD_DAYS", "0")


@pytest.fixture
def replica():
    with ReplicaServer() as server:
        yield server


@pytest.fixture
def db(db_url):
    return db_url


def first_crawl(db, replica, *extra):
    result = crawl(db, replica, SITE, extra=extra)
    assert result.returncode == 0, result.stderr
    replica.hits.clear()
    return summary_of(result)


def requested(replica) -> list[str]:
    return [hit.path for hit in replica.hits]


def releases_of(db) -> dict[int, list]:
    """Release pk -> its URLs and withdrawal."""
    found: dict[int, list] = {}
    for url, release in archived(db).items():
        found.setdefault(release["pk"], []).append((url, release["withdrawn"]))
    return found


def release_hits(replica) -> list:
    paths = {path for e in entries(SITE) for path in e["paths"]}
    return [hit for hit in replica.hits if hit.path in paths]


def test_second_run_stops_after_known_limit_known_releases(db, replica):
    assert first_crawl(db, replica)["new"] == len(entries(SITE))
    result = crawl(db, replica, SITE, extra=("--known-limit", "3"))
    assert result.returncode == 0, result.stderr
    assert summary_of(result) == dict(new=0, changed=0, unchanged=3, failed=0)
    assert PAGE_1 not in requested(replica)
    assert [hit.status for hit in release_hits(replica)] == [304, 304, 304]


def test_304_moves_last_seen_only(db, replica):
    first_crawl(db, replica)
    before = archived(db)
    crawl(db, replica, SITE, extra=("--full",))
    after = archived(db)
    assert after.keys() == before.keys()
    for url, release in after.items():
        assert release["last_seen"] > before[url]["last_seen"]
        assert release["revisions"] == before[url]["revisions"] == 1


def test_run_after_an_incomplete_one_walks_everything(db, replica):
    stored = first_crawl(db, replica, "--max-releases", "5")["new"]
    assert 0 < stored <= 5
    result = crawl(db, replica, SITE, extra=("--known-limit", "3"))
    assert summary_of(result)["new"] == len(entries(SITE)) - stored
    assert PAGE_1 in requested(replica)
    replica.hits.clear()
    again = crawl(db, replica, SITE, extra=("--known-limit", "3"))
    assert summary_of(again)["unchanged"] == 3
    assert [run["mode"] for run in runs_json(db)] == ["incremental"] * 2 + ["incremental max 5"]


def test_edited_release_is_fetched_again_and_changed(db, replica):
    first_crawl(db, replica)
    replica.edited = True
    edited = [e for e in entries(SITE, edited=True) if e["edited"]]
    result = crawl(db, replica, SITE, extra=("--full",))
    counts = summary_of(result)
    assert counts["changed"] == len(edited) == 1
    assert counts["unchanged"] == len([hit for hit in replica.hits if hit.status == 304])
    assert counts["unchanged"] >= len(entries(SITE)) - 1
    assert archived(db)[edited[0]["url"]]["revisions"] == 2


def test_since_until_bound_a_backfill(db, replica):
    result = crawl(db, replica, SITE, extra=("--since", "2022-01-01", "--until", "2025-12-31"))
    assert result.returncode == 0, result.stderr
    wanted = {e["url"] for e in entries(SITE) if "2022-01-01" <= e["published"] <= "2025-12-31"}
    assert set(archived(db)) == wanted
    assert summary_of(result)["new"] == len(wanted) == 6
    assert PAGE_1 not in requested(replica), "a newest-first listing is left once past --since"


def test_full_run_marks_vanished_releases_withdrawn_and_keeps_them(db, replica):
    first_crawl(db, replica)
    replica.withdrawn = True
    result = crawl(db, replica, SITE, extra=("--full",))
    assert result.returncode == 0, result.stderr
    assert "withdrawn=2" in result.stderr
    releases = releases_of(db)
    gone = {urls[0][0] for urls in releases.values() if urls[0][1]}
    assert len(releases) == len(entries(SITE)), "never deleted"
    assert {url.rsplit("/", 1)[1][:19] for url in gone} == {
        "feuerwehren-erhalte",
        "innenminister-kallw",
    }
    assert runs_json(db)[0]["withdrawn"] == 2
    again = crawl(db, replica, SITE, extra=("--full",))
    assert "withdrawn=0" in again.stderr, "noticed once"
    assert {urls[0][0] for urls in releases_of(db).values() if urls[0][1]} == gone
    with Archive(db) as archive:
        exported = {row["url"]: row["withdrawn"] for row in archive.releases(site=SITE)}
    assert {url for url, when in exported.items() if when} == gone, "exports say withdrawn"


def test_a_release_lost_to_a_server_error_makes_the_next_run_walk_to_it(db):
    with ReplicaServer(faults=True) as replica:  # one card of hessen-soziales answers 500
        first = crawl(db, replica, "hessen-soziales")
        assert "HTTP 500" in first.stderr
        replica.hits.clear()
        crawl(db, replica, "hessen-soziales", extra=("--known-limit", "3"))
        assert "/soziales.hessen.de/presse?page=1" in requested(replica)
    assert runs_json(db, "1")["per_site"][0]["complete"] is False
