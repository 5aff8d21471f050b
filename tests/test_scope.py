"""What a crawl may request (``scraper.scope``), and the cap on listing pages per run."""

from __future__ import annotations

import pytest
from crawl_helpers import crawl, runs_json

from scraper.middlewares.retry_after import retry_after
from scraper.profiles import get_profile
from scraper.replica import ReplicaServer
from scraper.scope import MAX_URL_LENGTH, Scope

MIRROR = "http://127.0.0.1:8000"
PROFILE = get_profile("hessen-soziales")  # https://soziales.hessen.de


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("https://soziales.hessen.de/presse/x", None),
        ("http://www.soziales.hessen.de/presse/x", None),
        ("https://innen.hessen.de/presse/x", "off-site"),
        ("https://soziales.hessen.de.evil.example/x", "off-site"),
        ("https://soziales.hessen.de:8443/x", "off-site"),
        ("file:///etc/passwd", "not an http(s) link (file:)"),
        ("data:text/html,hallo", "not an http(s) link (data:)"),
        ("javascript:alert(1)", "not an http(s) link (javascript:)"),
        ("ftp://soziales.hessen.de/x", "not an http(s) link (ftp:)"),
        ("http://[::1/x", "invalid link"),
        ("http://soziales.hessen.de:99999/x", "invalid link"),
        ("https://soziales.hessen.de/?q=" + "x" * MAX_URL_LENGTH, "longer than 2,048"),
    ],
)
def test_a_real_site_crawl_requests_only_its_own_hosts(url, why):
    refusal = Scope.of(PROFILE).refusal(url)
    assert (refusal is None) if why is None else (why in refusal), refusal


@pytest.mark.parametrize(
    ("url", "why"),
    [
        (f"{MIRROR}/soziales.hessen.de/presse?page=0", None),
        (f"{MIRROR}/robots.txt", None),
        (f"{MIRROR}/other.hessen.de/presse/x", "other.hessen.de is not a host of this site"),
        (f"{MIRROR}/soziales.hessen.de/%2e%2e/other.hessen.de/x", "dot segment"),
        (f"{MIRROR}/soziales.hessen.de/%2E%2E/other.hessen.de/x", "dot segment"),
        (f"{MIRROR}/", "the mirror root is not a host"),
        ("http://127.0.0.1:8001/soziales.hessen.de/presse", "not the mirror"),
        ("http://localhost:8000/soziales.hessen.de/presse", "not the mirror"),
        ("https://soziales.hessen.de/presse", "not the mirror"),
    ],
)
def test_a_mirror_crawl_stays_in_its_hosts_folders(url, why):
    refusal = Scope.of(PROFILE, MIRROR).refusal(url)
    assert (refusal is None) if why is None else (why in refusal), refusal


def test_a_profile_may_name_more_hosts():
    from dataclasses import replace

    profile = replace(PROFILE, hosts=("cdn.hessen.de",))
    assert Scope.of(profile).refusal("https://cdn.hessen.de/files/a.pdf") is None
    assert Scope.of(PROFILE).refusal("https://cdn.hessen.de/files/a.pdf")


@pytest.mark.parametrize(
    ("value", "seconds"),
    [("Wed, 25 Nov 2026 00:01:00 -0000", 60.0), ("Wed, 25 Nov 2026 00:01:00 +0100", 0.0),
     ("Wed, 99 Nov 2026 00:01:00 GMT", None)],
)  # fmt: skip
def test_retry_after_dates_in_any_zone(value, seconds):
    from datetime import UTC, datetime

    assert retry_after(value, now=datetime(2026, 11, 25, tzinfo=UTC)) == seconds


def test_the_listing_page_cap_stops_the_walk_and_says_so(db_url, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the WARC files of a PostgreSQL archive go to ./warc
    db = db_url
    with ReplicaServer() as replica:
        result = crawl(db, replica, "hessen-innen", extra=("--max-listing-pages", "1"))
        listing_hits = [h.path for h in replica.hits if "/presse?page=" in h.path]
    assert result.returncode == 0, result.stderr
    assert listing_hits == ["/innen.hessen.de/presse?page=0"]
    run = runs_json(db, "1")
    (skip,) = [s for s in run["skips"] if "listing page cap" in s["reason"]]
    assert skip["url"].endswith("/innen.hessen.de/presse?page=1")
    assert run["per_site"][0]["complete"] is False  # the next run walks on


def test_an_incremental_run_has_a_listing_page_cap_by_default():
    from scrapy.utils.project import get_project_settings

    assert get_project_settings().getint("PRESSARCHIV_MAX_LISTING_PAGES") == 50
