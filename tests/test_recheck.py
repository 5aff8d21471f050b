"""Re-verification policy: incremental runs re-check recent releases and a rolling share of
older ones, so that an edit to an old release is noticed within the period without a
``--full`` crawl."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from crawl_helpers import CLI, archived, summary_of
from sqlalchemy.orm import Session
from test_storage_helpers import new_archive_url

from scraper.replica import ReplicaServer
from storage import Archive
from storage.models import Release
from storage.recheck import Policy, due

OLD_EDIT = "https://innen.hessen.de/pressearchiv/pressemitteilung/neue-polizeistation-in-bad-hersfeld-eroeffnet"  # noqa: E501 (edited by the replica, 2018)


def crawl(db, server, *extra, period=None, recent=None):
    import subprocess

    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    for name, value in (("PERIOD", period), ("RECENT", recent)):
        if value is not None:
            env[f"PRESSARCHIV_RECHECK_{name}_DAYS"] = str(value)
    args = [*CLI, "crawl", "hessen-innen", "--db", db, "--base-url", server.base_url,
            "--known-limit", "2", *extra]  # fmt: skip
    result = subprocess.run(args, capture_output=True, text=True, env=env, timeout=180)
    assert result.returncode == 0, result.stderr
    return summary_of(result)


@pytest.fixture
def edited_later(request, tmp_path, monkeypatch):
    """hessen-innen crawled into an archive on the backend under test, then the replica
    edits a release of 2018 (deep in the listing). The crawls run in ``tmp_path``, where
    the WARC files of a PostgreSQL archive go (``./warc``)."""
    monkeypatch.chdir(tmp_path)
    db = new_archive_url(request, tmp_path)
    with ReplicaServer() as server:
        first = crawl(db, server)
        server.edited = True
        yield db, server, first["new"]


def checked_longest_ago(db: str, not_pk: int) -> int:
    """Make the first-published release (deep in the listing, so no run walks it) the one
    checked longest ago, whatever order the first crawl fetched the pages in; its pk."""
    with Archive(db) as archive, archive.engine.begin() as conn:
        pk = conn.scalar(
            sa.select(Release.pk)
            .where(Release.published.is_not(None), Release.pk != not_pk)
            .order_by(Release.published, Release.pk)
            .limit(1)
        )
        first = conn.scalar(sa.select(sa.func.min(Release.last_seen)))
        conn.execute(
            sa.update(Release).where(Release.pk == pk).values(last_seen=first - timedelta(days=1))
        )
    return pk


@pytest.mark.backends
def test_without_rechecks_an_incremental_run_misses_an_old_edit(edited_later):
    db, server, _ = edited_later
    counts = crawl(db, server, period=0, recent=0)
    assert counts["changed"] == 0 and counts["unchanged"] == 2  # the two cards it walked


@pytest.mark.backends
def test_each_run_rechecks_a_rolling_share_oldest_first(edited_later):
    db, server, releases = edited_later
    oldest = checked_longest_ago(db, not_pk=archived(db)[OLD_EDIT]["pk"])
    before = archived(db)
    counts = crawl(db, server, period=30, recent=0)
    assert counts["unchanged"] == 2 + 1  # two cards, and ceil(older / 30) = 1 re-check
    after = archived(db)
    moved = {r["pk"] for url, r in after.items() if r["last_seen"] > before[url]["last_seen"]}
    assert oldest in moved


@pytest.mark.backends
def test_every_release_is_rechecked_within_the_period(edited_later):
    """Period 4 days: four runs (each counts as at least a day) re-check every release,
    and the one the ministry edited in 2018 gets its new revision."""
    db, server, releases = edited_later
    start = max(r["last_seen"] for r in archived(db).values())
    changed = sum(crawl(db, server, period=4, recent=0)["changed"] for _ in range(4))
    assert changed == 1
    after = archived(db)
    assert all(r["last_seen"] > start for r in after.values())
    assert after[OLD_EDIT]["revisions"] == 2


def test_recent_releases_are_always_rechecked(db_url):
    now = datetime(2026, 6, 30, tzinfo=UTC)
    items = [
        {"site": "s", "ministry": "M", "url": f"https://s.example.de/{n}", "fetched_url": None,
         "fetched_at": now - timedelta(days=40), "kind": "Pressemitteilung",
         "published": (now - timedelta(days=n)).date().isoformat(), "title": f"Meldung {n}",
         "body": "Text.", "persons": [], "flags": []}
        for n in range(0, 300, 3)
    ]  # fmt: skip
    with Archive(db_url) as archive:
        archive.store(items)
        with Session(archive.engine) as session:
            chosen = due(session, "s", Policy(recent_days=14, period_days=30), now)
            off = due(session, "s", Policy(recent_days=0, period_days=0), now)
    urls = [url for _, url in chosen]
    recent = [f"https://s.example.de/{n}" for n in range(0, 15, 3)]
    assert urls[: len(recent)] == recent  # published in the last 14 days
    assert len(urls) == len(recent) + -(-(len(items) - len(recent)) // 30)  # + ceil(95/30)
    assert off == []
