"""pressarchiv on Celery: the worker's task, enqueueing a crawl and following its jobs.

Celery carries the jobs (``scraper.distributed.jobs``) through a Redis or RabbitMQ broker.
A job is acknowledged only when it has ended (``acks_late``), so a job whose worker dies is
delivered again: at once by RabbitMQ, by Redis once its visibility timeout (the job time
limit plus a margin) has passed. A job whose process crashed or found its host group busy
is retried with a growing delay; one that cannot succeed (an unknown site) is not, and its
sites are closed as failed in the run's log. Results go to Redis (a Redis broker) or back
over RabbitMQ (``rpc://``), for ``crawl --broker --wait``.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from celery import Celery

from scraper.crawl import CrawlSummary
from scraper.distributed import jobs

TASK = "pressarchiv.crawl_job"
SCHEDULED = "pressarchiv.scheduled_crawl"
QUEUE = "pressarchiv"
TIME_LIMIT = 6 * 3600.0  # seconds one job may take (a backfill of a large ministry)
VISIBILITY_MARGIN = 15.0  # Redis: a job unacknowledged this long past its limit is redelivered
MAX_RETRIES = 5
PING_EVERY = 15.0  # seconds between checks that some worker still listens (--wait)


def make_app(broker: str, db_url: str | None = None, warc_dir: str | None = None,
             time_limit: float = TIME_LIMIT) -> Celery:  # fmt: skip
    """The Celery app on ``broker``; a worker also gives the archive and WARC folder it writes."""
    backend = broker if broker.startswith(("redis://", "rediss://")) else "rpc://"
    app = Celery("pressarchiv", broker=broker, backend=backend, set_as_current=False)
    visibility = {"visibility_timeout": int(time_limit + VISIBILITY_MARGIN)}
    app.conf.update(
        task_acks_late=True,
        worker_prefetch_multiplier=1,
        task_default_queue=QUEUE,
        task_serializer="json",
        result_serializer="json",
        accept_content=["json"],
        result_expires=7 * 24 * 3600,
        # Redis: look for jobs past their visibility timeout every 10 s (kombu's default
        # looks only every tenth time, so a killed worker's job waited up to 100 s more)
        broker_transport_options={**visibility, "unacked_restore_throttle": 1},
        result_backend_transport_options=visibility,
        broker_connection_retry_on_startup=True,
        worker_hijack_root_logger=False,
        pressarchiv_db=db_url,
        pressarchiv_warc_dir=warc_dir,
        pressarchiv_time_limit=time_limit,
    )
    app.task(bind=True, name=TASK, max_retries=MAX_RETRIES)(crawl_job)
    app.task(bind=True, name=SCHEDULED)(scheduled_crawl)
    return app


def scheduled_crawl(task, entry: dict) -> int:
    """Celery task sent by ``pressarchiv beat``: queue the crawl of one schedule entry on the
    worker that takes it (into that worker's archive); returns the run id."""
    from scraper.crawl import WalkOptions

    walk = WalkOptions(full=bool(entry.get("full")), known_limit=entry.get("known_limit"),
                       delay=entry.get("delay"))  # fmt: skip
    run_id, _, _ = queue_crawl(task.app, task.app.conf.pressarchiv_db, entry["sites"], walk,
                               base_url=entry.get("base_url"), sites_dir=entry.get("sites_dir"),
                               contact=entry.get("contact"))  # fmt: skip
    return run_id


def backoff(retries: int) -> float:
    """Seconds before retry number ``retries + 1``: 10, 20, 40, ... at most 10 minutes."""
    return min(600.0, 10.0 * 2**retries)


def crawl_job(task, spec: dict) -> dict:
    """Celery task: crawl one host group of a run in a fresh process (see ``jobs.run_job``)."""
    conf = task.app.conf
    db_url = conf.pressarchiv_db
    try:
        summary = jobs.run_job(spec, db_url, conf.pressarchiv_warc_dir, conf.pressarchiv_time_limit)
    except jobs.JobFailed as exc:
        if exc.retry and task.request.retries < task.max_retries:
            raise task.retry(countdown=backoff(task.request.retries), exc=exc) from None
        jobs.give_up(spec, db_url, str(exc))
        raise
    return {**summary, "worker": task.request.hostname}


class BrokerDown(RuntimeError):
    """The broker did not take the jobs."""


def queue_crawl(app: Celery, db_url: str, site_ids: list[str], walk, *, base_url=None,
                sites_dir=None, contact=None, max_releases=None,
                max_listing_pages=None) -> tuple[int, list[dict], list]:  # fmt: skip
    """Record one distributed run and queue one job per host group: the run id, the job
    specs and their ``AsyncResult``s (``ProfileError``/``ArchiveError``/``BrokerDown``)."""
    from scraper.crawl import _log
    from scraper.spiders.base import describe_mode
    from storage import Archive, runs

    groups = jobs.host_groups(site_ids, sites_dir)
    Archive(db_url).close()
    mode = describe_mode(walk.full, walk.since, walk.until, max_releases)
    run_id = _log(db_url, runs.begin_distributed_run, [s for g in groups for s in g], mode)
    specs = [jobs.make_spec(run_id, group, base_url=base_url, sites_dir=sites_dir,
                            contact=contact, max_releases=max_releases,
                            max_listing_pages=max_listing_pages, walk=walk)
             for group in groups]  # fmt: skip
    try:
        results = [app.send_task(TASK, args=[spec], queue=QUEUE) for spec in specs]
    except Exception as exc:  # kombu's connection errors differ per transport
        _log(db_url, runs.end_run, run_id, "failed", [f"broker unreachable: {exc}"])
        raise BrokerDown(str(exc)) from None
    return run_id, specs, results


class NoWorker(RuntimeError):
    """Nobody consumes the queue, so waiting for the jobs would never end."""


def follow(app: Celery, results: list, specs: list[dict], timeout: float | None = None,
           echo: Callable[[str], None] = print) -> CrawlSummary:  # fmt: skip
    """Wait for every job and add their summaries up; ``NoWorker`` when no worker answers
    three checks in a row (about 20 s), ``TimeoutError`` after ``timeout`` seconds."""
    summary = CrawlSummary()
    pending = dict(zip((r.id for r in results), zip(results, specs, strict=True), strict=True))
    deadline = None if timeout is None else time.monotonic() + timeout
    silent, next_ping = 0, 0.0
    while pending:
        if time.monotonic() >= next_ping:
            silent = 0 if app.control.ping(timeout=3.0) else silent + 1
            if silent >= 3:
                raise NoWorker(f"no worker answers on the broker; {len(pending)} jobs stay queued")
            next_ping = time.monotonic() + (5.0 if silent else PING_EVERY)
        for task_id, (result, spec) in list(pending.items()):
            if not result.ready():
                continue
            del pending[task_id]
            sites = ", ".join(spec["sites"])
            if result.successful():
                _add(summary, result.get(), sites)
                echo(f"job {sites} done ({len(results) - len(pending)}/{len(results)})")
            else:
                summary.problems.append(f"{sites}: job failed: {result.result}")
                echo(f"job {sites} failed: {result.result}")
        if deadline is not None and time.monotonic() >= deadline:
            raise TimeoutError(f"{len(pending)} of {len(results)} jobs not done after {timeout} s")
        time.sleep(0.5 if pending else 0)
    return summary


def _add(summary: CrawlSummary, job: dict, sites: str) -> None:
    for name in ("new", "changed", "unchanged", "failed", "skipped", "withdrawn", "duplicates",
                 "pages"):  # fmt: skip
        setattr(summary, name, getattr(summary, name) + job.get(name, 0))
    summary.problems += job.get("problems", [])
    if job.get("signals"):
        summary.problems.append(f"{sites}: job interrupted on its worker")
