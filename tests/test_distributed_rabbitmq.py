"""A crawl on a worker through the RabbitMQ broker, end to end (PostgreSQL, real processes).

The Redis broker is covered in depth by ``test_distributed.py``; this shows the other
supported broker carries the jobs and their results (``rpc://``) just as well.
"""

from __future__ import annotations

import os

import pytest
import sqlalchemy as sa
from crawl_helpers import pressarchiv, runs_json, summary_of
from distributed_helpers import Workers
from test_storage_helpers import drop_pg_schema, pg_url

from scraper.replica.scale import ScaleReplica, politeness_problems, site_id

kombu = pytest.importorskip("kombu", reason="the workers extra (celery) is not installed")

AMQP = "amqp://guest:guest@127.0.0.1:5672//"
HOSTS = 3
RELEASES = 36  # 12 per host: two listing pages each
DELAY = 0.1


@pytest.fixture
def rabbitmq():
    from scraper.distributed.app import make_app

    try:
        with kombu.Connection(AMQP, connect_timeout=3) as connection:
            connection.ensure_connection(max_retries=1)
    except (OSError, kombu.exceptions.OperationalError) as exc:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"RabbitMQ at {AMQP} unreachable: {exc}")
    make_app(AMQP).control.purge()  # no job of an earlier, aborted run is left queued
    return AMQP


@pytest.fixture
def pg():
    url = pg_url()
    yield url
    drop_pg_schema(url)


def test_a_crawl_through_rabbitmq_archives_every_release_once(rabbitmq, pg, tmp_path):
    ids = [site_id(h) for h in range(HOSTS)]
    with ScaleReplica(RELEASES, HOSTS, latency=0.01) as scale:
        scale.data.write_sites(tmp_path / "sites")
        workers = Workers(tmp_path, rabbitmq, pg)
        try:
            workers.start("rabbit")
            result = pressarchiv(
                "crawl", *ids, "--broker", rabbitmq, "--db", pg, "--base-url", scale.base_url,
                "--sites-dir", str(tmp_path / "sites"), "--delay", str(DELAY), "--full",
                "--wait", timeout=300,
            )  # fmt: skip
        finally:
            workers.stop()
    assert result.returncode == 0, result.stderr
    assert summary_of(result) == {"new": RELEASES, "changed": 0, "unchanged": 0, "failed": 0}
    assert f"{HOSTS} jobs queued" in result.stderr
    assert "succeeded" in workers.log("rabbit")
    engine = sa.create_engine(pg)
    with engine.connect() as conn:
        rows = conn.exec_driver_sql("SELECT url, site FROM releases").all()
    engine.dispose()
    assert len(rows) == RELEASES
    assert dict(rows) == scale.data.truth(), "each release once, under the site publishing it"
    assert politeness_problems(scale.visits, DELAY, 0.05) == []
    [run] = runs_json(pg)
    assert run["status"] == "finished"
