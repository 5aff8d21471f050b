"""Crawls on Celery workers: real worker processes, the large replica, PostgreSQL and Redis.

Mirrors the deployment of the README: one broker (Redis), one PostgreSQL archive, N workers
(separate OS processes here) sharing one WARC folder, and ``crawl --broker --wait``.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time

import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from crawl_helpers import CLI, pressarchiv, runs_json, summary_of
from distributed_helpers import Workers
from test_storage_helpers import PG_URL, drop_pg_schema, pg_url

from scraper.cli.bench import bench
from scraper.replica.scale import ScaleReplica, politeness_problems, site_id

redis = pytest.importorskip("redis", reason="the workers extra (celery[redis]) is not installed")

# a Redis database of its own: the tests empty it (another suite run on it would collide)
BROKER = os.environ.get("PRESSARCHIV_TEST_BROKER", "redis://127.0.0.1:6379/13")
DELAY = 0.2  # seconds between two requests to one host
# The replica's clock is its own: a request it is slow to pick up (a busy machine) shortens
# the gap it sees to the next one, so gaps are checked to within SLACK seconds of DELAY.
SLACK = 0.05
HOSTS = 16
RELEASES = 1_200  # 75 per host: past the batch size of 50, 8 listing pages each


@pytest.fixture
def broker():
    client = redis.Redis.from_url(BROKER, socket_connect_timeout=3)
    try:
        client.flushdb()
    except redis.ConnectionError as exc:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"Redis at {BROKER} unreachable: {exc}")
    yield BROKER
    client.flushdb()


@pytest.fixture
def pg():
    url = pg_url()
    yield url
    drop_pg_schema(url)


@pytest.fixture
def scale(tmp_path):
    with ScaleReplica(RELEASES, HOSTS, latency=0.02) as replica:
        replica.data.write_sites(tmp_path / "sites")
        yield replica


@pytest.fixture
def few_hosts(tmp_path):
    """4 of the hosts: the two jobs a killed worker held and two more."""
    with ScaleReplica(4 * RELEASES // HOSTS, 4, latency=0.02) as replica:
        replica.data.write_sites(tmp_path / "sites")
        yield replica


@pytest.fixture
def workers(tmp_path, broker, pg):
    pool = Workers(tmp_path, broker, pg)
    yield pool
    pool.stop()


def crawl_args(scale, tmp_path, broker, db, *extra) -> list[str]:
    ids = [site_id(h) for h in range(scale.data.hosts)]
    return ["crawl", *ids, "--broker", broker, "--db", db, "--base-url", scale.base_url,
            "--sites-dir", str(tmp_path / "sites"), "--delay", str(DELAY), *extra]  # fmt: skip


def archived(db: str) -> list[tuple[str, str]]:
    engine = sa.create_engine(db)
    with engine.connect() as conn:
        rows = conn.exec_driver_sql("SELECT url, site FROM releases").all()
    engine.dispose()
    return [tuple(row) for row in rows]


def stored_any(db: str) -> bool:
    try:
        return bool(archived(db))
    except sa.exc.ProgrammingError:  # no tables yet
        return False


def assert_complete_and_polite(scale, db, run) -> None:
    rows = archived(db)
    assert len(rows) == scale.data.releases, "every release archived exactly once"
    assert dict(rows) == scale.data.truth(), "each under the site that publishes it"
    assert politeness_problems(scale.visits, DELAY, SLACK) == []
    assert run["status"] == "finished" and run["ended"]
    assert sorted(s["site"] for s in run["per_site"]) == [
        site_id(h) for h in range(scale.data.hosts)
    ]
    assert {s["status"] for s in run["per_site"]} == {"finished"}
    assert all(s["complete"] for s in run["per_site"])
    assert run["new"] == scale.data.releases


def test_two_workers_crawl_every_host_once_politely_into_one_run(scale, workers, tmp_path):
    workers.start("w1", concurrency=4)
    workers.start("w2", concurrency=4)
    first = pressarchiv(*crawl_args(scale, tmp_path, workers.broker, workers.db, "--full",
                                    "--wait"), timeout=600)  # fmt: skip
    assert first.returncode == 0, first.stderr
    assert summary_of(first) == {"new": RELEASES, "changed": 0, "unchanged": 0, "failed": 0}
    assert f"{HOSTS} jobs queued" in first.stderr
    [run] = runs_json(workers.db)
    assert_complete_and_polite(scale, workers.db, runs_json(workers.db, str(run["id"])))
    assert "succeeded" in workers.log("w1") and "succeeded" in workers.log("w2")
    assert list((tmp_path / "warc").glob("*.warc.gz")), "WARC files in the shared folder"

    pages_before = len(scale.visits)
    again = pressarchiv(*crawl_args(scale, tmp_path, workers.broker, workers.db, "--wait"),
                        timeout=600)  # fmt: skip
    assert again.returncode == 0, again.stderr
    assert summary_of(again)["new"] == 0
    second = runs_json(workers.db)[0]
    assert second["status"] == "finished"
    # an incremental run stops after 10 known releases: 1-2 of the 8 listing pages per host
    listing = [v for v in scale.visits[pages_before:] if "Formular" in v.path]
    assert len(listing) <= 2 * HOSTS
    assert politeness_problems(scale.visits, DELAY, SLACK) == []


def test_a_job_of_a_killed_worker_runs_again_on_another(few_hosts, workers, tmp_path):
    scale = few_hosts
    workers.start("doomed", time_limit=60)  # Redis redelivers 60 + 15 (+ 10) s after delivery
    follow = subprocess.Popen(
        [*CLI, *crawl_args(scale, tmp_path, workers.broker, workers.db, "--full", "--wait")],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 120
        while not stored_any(workers.db):  # a first batch of 50 stored: the jobs are mid-way
            assert time.monotonic() < deadline, "the first worker never stored anything"
            time.sleep(0.2)
        workers.kill("doomed")  # kill -9 of the worker and its job processes
        killed_at = time.time()
        held = {v.host for v in scale.visits if "mitteilung" in v.path}
        workers.start("rescuer", time_limit=60)
        out, err = follow.communicate(timeout=600)
    finally:
        if follow.poll() is None:
            follow.kill()
    assert follow.returncode == 0, err
    assert summary_of(out)["failed"] == 0
    assert len(held) == 2, "the killed worker held two jobs"
    again = {v.host for v in scale.visits if v.start > killed_at and "mitteilung" in v.path}
    assert held <= again, "the killed worker's jobs ran again on the other"
    [run] = runs_json(workers.db)
    assert_complete_and_polite(scale, workers.db, runs_json(workers.db, str(run["id"])))


def test_wait_without_any_worker_stops_with_a_message(scale, broker, pg, tmp_path):
    started = time.monotonic()
    result = pressarchiv(*crawl_args(scale, tmp_path, broker, pg, "--wait"), timeout=120)
    assert result.returncode == 75, result.stderr
    assert "no worker answers on the broker" in result.stderr
    assert time.monotonic() - started < 60
    [run] = runs_json(pg)
    assert run["status"] == "running", "the jobs stay queued for a worker to come"


def test_beat_queues_the_scheduled_crawl_for_the_workers(scale, workers, tmp_path):
    schedule = tmp_path / "schedule.toml"
    schedule.write_text(
        f'[[crawl]]\nname = "often"\nevery = 5\nsites = ["{site_id(0)}", "{site_id(1)}"]\n'
        f'full = true\nbase_url = "{scale.base_url}"\nsites_dir = "{tmp_path / "sites"}"\n'
    )  # fmt: skip
    workers.start("w1")
    beat = subprocess.Popen([*CLI, "beat", "--broker", workers.broker, "--schedule",
                             str(schedule), "--state", str(tmp_path / "beat.db")],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            start_new_session=True)  # fmt: skip
    try:
        deadline = time.monotonic() + 240
        while not _finished_runs(workers.db):
            assert time.monotonic() < deadline, "no scheduled run finished"
            assert beat.poll() is None, beat.stdout.read()
            time.sleep(2)
    finally:
        os.killpg(beat.pid, signal.SIGTERM)
        beat.wait(timeout=30)
    finished = _finished_runs(workers.db)
    assert finished[-1]["sites"] == [site_id(0), site_id(1)]
    assert len(archived(workers.db)) == 2 * RELEASES // HOSTS


def test_beat_refuses_a_bad_schedule(tmp_path):
    schedule = tmp_path / "schedule.toml"
    schedule.write_text('[[crawl]]\ncron = "3 * *"\nsites = ["bund-bmas"]\n')
    result = pressarchiv("beat", "--broker", BROKER, "--schedule", str(schedule))
    assert result.returncode == 2
    assert "crawl 1: cron needs 5 fields" in result.stderr


def test_beat_refuses_an_unknown_site_when_it_starts(tmp_path):
    schedule = tmp_path / "schedule.toml"
    schedule.write_text('[[crawl]]\nname = "nightly"\nevery = 60\nsites = ["bund-bmas", "nix"]\n')
    result = pressarchiv("beat", "--broker", BROKER, "--schedule", str(schedule))
    assert result.returncode == 2
    [line] = result.stderr.strip().splitlines()
    assert "nightly: unknown site id 'nix'" in line


def test_bench_workers_prints_rates_and_scaling(broker, pg):
    args = ["workers", "--db", PG_URL, "--broker", broker, "--workers", "1,2", "--hosts", "4",
            "--releases", "12", "--delay", "0.05", "--latency", "5"]  # fmt: skip
    result = CliRunner().invoke(bench, args)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "12 releases on 4 hosts" in lines[0]
    assert [line.split()[:2] for line in lines[2:]] == [["1", "12"], ["2", "12"]]
    assert lines[2].split()[4] == "1.00x" and lines[2].endswith("none")


def _finished_runs(db: str) -> list[dict]:
    """The finished runs; none while the first scheduled crawl has not made the archive yet
    (read commands refuse a PostgreSQL schema without one, as they refuse a missing file)."""
    result = pressarchiv("runs", "--db", db, "--format", "json")
    if result.returncode != 0 and "no archive at" in result.stderr:
        return []
    assert result.returncode == 0, result.stderr
    return [run for run in json.loads(result.stdout) if run["status"] == "finished"]
