"""Polite by default: robots.txt, an identifying user agent, Retry-After honoured."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from crawl_helpers import crawl, entries, summary_of

from scraper.crawl import crawl_settings
from scraper.middlewares.retry_after import retry_after
from scraper.replica import ReplicaServer

SITE = "hessen-innen"


@pytest.fixture
def db(db_url, tmp_path, monkeypatch):
    """An archive on the backend under test; the crawls run in ``tmp_path``, where the WARC
    files of a PostgreSQL archive go (``./warc``)."""
    monkeypatch.chdir(tmp_path)
    return db_url


def test_real_sites_get_one_request_per_second_per_host():
    settings = crawl_settings("sqlite://", base_url=None, contact="ops@example.org")
    assert settings.getbool("ROBOTSTXT_OBEY")
    assert settings.getbool("AUTOTHROTTLE_ENABLED")
    assert settings.getfloat("DOWNLOAD_DELAY") >= 1.0
    assert settings.getfloat("DOWNLOAD_DELAY_JITTER") == 0
    assert settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN") == 1
    assert "ops@example.org" in settings["USER_AGENT"]


def test_user_agent_names_the_operator_and_robots_txt_is_obeyed(db):
    with ReplicaServer() as replica:
        result = crawl(db, replica, SITE, extra=("--contact", "presse-archiv@example.org"))
    assert result.returncode == 0, result.stderr
    assert replica.hits[0].path == "/robots.txt"
    assert {hit.user_agent for hit in replica.hits} == {
        hit.user_agent for hit in replica.hits if "presse-archiv@example.org" in hit.user_agent
    }
    assert all(hit.user_agent.startswith("pressarchiv/") for hit in replica.hits)
    assert not [hit.path for hit in replica.hits if "/suche" in hit.path], "robots.txt disallows"


def test_retry_after_is_waited_out_before_the_retry(db):
    path = entries(SITE)[0]["paths"][0]
    with ReplicaServer(throttle=[path], retry_after=2) as replica:
        result = crawl(db, replica, SITE)
    assert result.returncode == 0, result.stderr
    assert summary_of(result)["new"] == len(entries(SITE))
    assert summary_of(result)["failed"] == 0
    first, retry = [hit for hit in replica.hits if hit.path == path]
    assert (first.status, retry.status) == (429, 200)
    assert retry.at - first.at >= 1.9, "the retry came before Retry-After allowed"


def test_retry_after_is_capped(db):
    path = max(entries(SITE), key=lambda e: e["published"])["paths"][0]
    with ReplicaServer(throttle=[path], retry_after=86400) as replica:
        result = crawl(db, replica, SITE, extra=("--max-releases", "3", "--max-wait", "1"))
    assert result.returncode == 0, result.stderr
    first, retry = [hit for hit in replica.hits if hit.path == path]
    assert (first.status, retry.status) == (429, 200)
    assert retry.at - first.at >= 0.9


@pytest.mark.parametrize(
    ("value", "seconds"),
    [("120", 120.0), ("Wed, 25 Nov 2026 00:01:00 GMT", 60.0), ("soon", None), (None, None)],
)
def test_retry_after_values(value, seconds):
    assert retry_after(value, now=datetime(2026, 11, 25, 0, 0, tzinfo=UTC)) == seconds


def test_the_host_gets_no_other_request_while_retry_after_runs(db):
    path = "/innen.hessen.de/presse?page=1"  # fetched early, while many releases wait
    with ReplicaServer(throttle=[path], retry_after=2) as replica:
        result = crawl(db, replica, SITE, extra=("--delay", "0.05"))
    assert result.returncode == 0, result.stderr
    assert summary_of(result)["new"] == len(entries(SITE))
    first, retry = [hit for hit in replica.hits if hit.path == path]
    assert (first.status, retry.status) == (429, 200)
    meanwhile = [hit for hit in replica.hits if first.at < hit.at < first.at + 1.9]
    assert len(meanwhile) <= 1, "at most the request already on its way"
