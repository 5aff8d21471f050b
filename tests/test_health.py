"""``pressarchiv health``: one line per problem (stale runs, lost pages by kind, missing
release numbers, silences against a site's rhythm, fields a broken profile stopped
filling); exit status 0 when healthy, 5 with problems."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from crawl_helpers import pressarchiv
from sqlalchemy.orm import Session
from test_storage_helpers import BACKEND, new_archive_url

from scraper import exits
from scraper.replica import ReplicaServer
from storage import Archive
from storage import runs as crawl_log
from storage.health import Thresholds, check, parse_number

BROKEN_PROFILE = Path(__file__).parent / "files" / "profiles" / "hessen-innen-relaunched.toml"


def problems(db: str, *args: str) -> tuple[int, list[str]]:
    result = pressarchiv("health", "--db", db, *args)
    lines = result.stdout.strip().splitlines()
    assert lines[-1].startswith("sites="), result.stdout + result.stderr
    return result.returncode, lines[:-1]


def crawl(db, base_url, folder, *args):
    """hessen-innen crawled into ``db``, its WARC files in ``folder``."""
    warc_dir = str(folder / "archive.warc")
    result = pressarchiv(
        "crawl", "hessen-innen", "--db", db, "--base-url", base_url, "--warc-dir", warc_dir, *args
    )
    assert result.returncode in (0, 3), result.stderr
    return result


@pytest.fixture(scope="module")
def relaunched(request, tmp_path_factory):
    """hessen-innen crawled up to 2021 with its profile, then (after a 'relaunch') with a
    profile whose body selector only matches the lead paragraph."""
    folder = tmp_path_factory.mktemp("health")
    db = new_archive_url(request, folder)
    with ReplicaServer() as server:
        crawl(db, server.base_url, folder, "--until", "2021-12-31")
        healthy = problems(db)
        sites = folder / "sites"
        sites.mkdir()
        shutil.copy(BROKEN_PROFILE, sites)
        crawl(db, server.base_url, folder, "--sites-dir", str(sites))
    return db, healthy


@pytest.mark.backends
def test_a_fresh_archive_is_healthy(relaunched):
    _, (status, lines) = relaunched
    assert (status, lines) == (exits.OK, [])


@pytest.mark.backends
def test_a_profile_that_breaks_between_two_runs_shows_as_a_drop(relaunched):
    db, _ = relaunched
    status, lines = problems(db)
    assert status == exits.WARNINGS
    drops = [line for line in lines if "field persons filled in " in line]
    assert len(drops) == 1 and drops[0].startswith("hessen-innen: ")
    assert "releases of run 2, against 100% of the 8 before (broken profile?)" in drops[0]
    assert int(drops[0].split("filled in ")[1].split("%")[0]) <= 50
    assert not any("field title" in line or "field published" in line for line in lines)
    report = json.loads(pressarchiv("health", "--db", db, "--format", "json").stdout)
    assert report["healthy"] is False
    assert {p["kind"] for s in report["sites"] for p in s["problems"]} == {"fill"}


def copy_of(request, db: str, folder: Path) -> str:
    """An archive to change: a copy of the SQLite file, or on PostgreSQL a crawl of its own."""
    if BACKEND == "sqlite":
        shutil.copy(db.removeprefix("sqlite:///"), folder / "copy.sqlite")
        return f"sqlite:///{folder / 'copy.sqlite'}"
    copy = new_archive_url(request, folder)
    with ReplicaServer() as server:
        crawl(copy, server.base_url, folder, "--until", "2021-12-31")
    return copy


@pytest.mark.backends
def test_a_stale_site_and_a_failed_run(request, relaunched, tmp_path):
    db, _ = relaunched
    later = datetime.now(UTC) + timedelta(days=9)
    with Archive(db) as archive:
        [site] = check(archive.engine, now=later)
    assert any(p.kind == "stale" and "last successful run 9 days ago" in p.message
               for p in site.problems)  # fmt: skip
    copy = copy_of(request, db, tmp_path)
    with Archive(copy) as archive, Session(archive.engine) as session:
        run = crawl_log.begin_run(session, ["hessen-innen"], "incremental")
        crawl_log.open_site(session, run, "hessen-innen")
        lost = [{"url": f"https://innen.hessen.de/presse/{n}", "reason": "HTTP 500"}
                for n in range(3)]  # fmt: skip
        lost.append({"url": "https://innen.hessen.de/presse/x", "reason": "no date: none"})
        crawl_log.count(session, run, "hessen-innen", 3, lost)
        crawl_log.close_site(session, run, "hessen-innen", "failed", False)
        crawl_log.end_run(session, run, "failed", [])
        session.commit()
    status, lines = problems(copy)
    assert status == exits.WARNINGS
    assert f"hessen-innen: latest run {run} failed" in lines
    assert f"hessen-innen: latest run {run} lost 4 pages: 3 HTTP 500, 1 no date" in lines


def test_lost_pages_of_the_replica_by_kind(db_url, tmp_path):
    with ReplicaServer(faults=True) as server:
        result = pressarchiv(
            "crawl", "hessen-soziales", "--db", db_url, "--base-url", server.base_url,
            "--warc-dir", str(tmp_path / "archive.warc"),
        )  # fmt: skip
    assert result.returncode == exits.PARTIAL
    status, lines = problems(db_url)
    assert status == exits.WARNINGS
    [lost] = [line for line in lines if "lost" in line]
    assert lost.startswith("hessen-soziales: latest run 1 lost ") and "HTTP 500" in lost


def item(site: str, n: int, published: date, number: str | None) -> dict:
    return {
        "site": site, "ministry": "Ministerium", "url": f"https://{site}.example.de/presse/{n}",
        "fetched_url": None, "fetched_at": datetime(2026, 1, 2, tzinfo=UTC),
        "kind": "Pressemitteilung", "number": number, "published": published.isoformat(),
        "title": f"Meldung {n} von {site}", "body": f"Text der Meldung {n}.", "persons": [],
        "flags": [],
    }  # fmt: skip


def test_number_gaps_and_silences_at_archive_size(db_url):
    """Three years of three weekly numbered sites (about 1,400 releases): one site lacks
    number 96/2025, another fell silent for two months; the third is fine."""
    db = db_url
    items = []
    for site in ("gap", "quiet", "fine"):
        for year in (2023, 2024, 2025):
            for n in range(1, 157):  # three a week
                day = date(year, 1, 2) + timedelta(days=(n - 1) * 7 // 3)
                if site == "gap" and (year, n) == (2025, 96):
                    continue
                if site == "quiet" and year == 2025 and date(2025, 6, 1) <= day < date(2025, 8, 1):
                    continue
                items.append(item(site, year * 1000 + n, day, f"{n}/{year}"))
    with Archive(db) as archive:
        for start in range(0, len(items), 200):
            archive.store(items[start : start + 200])
        sites = {h.site: h for h in check(archive.engine, now=datetime(2026, 1, 2, tzinfo=UTC),
                                          limits=Thresholds(max_age=10_000))}  # fmt: skip
    assert len(items) > 1300
    found = {name: [p for p in h.problems if p.kind != "stale"] for name, h in sites.items()}
    assert all(p.message.startswith("never crawled") for h in sites.values()
               for p in h.problems if p.kind == "stale")  # stored without a crawl log  # fmt: skip
    assert [p.message for p in found["gap"]] == [
        "1 release number missing in 2025 (between 1 and 156): 96"
    ]
    numbers, quiet = found["quiet"]  # two silent months lack their numbers too
    assert numbers.message == "26 release numbers missing in 2025 (between 1 and 156): 66-91"
    assert quiet.message == (
        "no release for 63 days, 2025-05-31 to 2025-08-02 (usually one every 2 days)"
    )
    assert found["fine"] == []


def test_release_numbers_are_read_in_their_printed_forms():
    assert parse_number("Nr. 96/2025", None) == (2025, 96)
    assert parse_number("Nr.: 584/02", date(2002, 9, 18)) == (2002, 584)
    assert parse_number("K 31/2013", None) == (2013, 31)
    assert parse_number("305", date(2019, 10, 2)) == (2019, 305)
    assert parse_number("Pressemitteilung", date(2019, 10, 2)) is None


def test_a_site_adding_one_release_a_night_is_judged_on_its_last_runs(db_url):
    db = db_url
    person = [{"name": "Kai Klose", "role": "Minister"}]
    with Archive(db) as archive:
        archive.store([
            item("s", n, date(2025, 1, 1) + timedelta(days=n), None) | {"persons": person}
            for n in range(12)
        ])  # fmt: skip
        runs = []
        for n in range(12, 15):  # three nights, one release each, read by a broken profile
            with Session(archive.engine) as session:
                run = crawl_log.begin_run(session, ["s"], "incremental")
                crawl_log.open_site(session, run, "s")
                session.commit()
            fresh = item("s", n, date(2025, 1, 1) + timedelta(days=n), None)
            archive.store([fresh | {"fetched_at": datetime.now(UTC)}])
            with Session(archive.engine) as session:
                crawl_log.count(session, run, "s", 1, [], new=1)
                crawl_log.close_site(session, run, "s", "finished", True)
                crawl_log.end_run(session, run, "finished", [])
                session.commit()
            runs.append(run)
        [site] = check(archive.engine)
    [drop] = [p.message for p in site.problems if p.kind == "fill"]
    assert drop == (
        f"field persons filled in 0% of the 3 releases of runs {runs[0]}-{runs[-1]}, "
        "against 100% of the 12 before (broken profile?)"
    )
