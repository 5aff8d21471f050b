"""Jobs of a distributed crawl: one host group each, crawled in a fresh process.

A crawl is split by host (``host_groups``): all sites on one host form one job, so Scrapy's
per-host politeness stays exact inside the one process that crawls them, and ``HostLock``
keeps a second job for the same host from running anywhere at the same time. A job is a
JSON ``spec``; ``run_job`` crawls it in a fresh process (Twisted's reactor cannot be
restarted, and a killed or stuck crawl must not take its worker with it) and returns the
job's summary as a dict. Job processes are forked by a multiprocessing fork server that has
imported the crawl code once (``preload``), so a job does not pay Python's and Scrapy's
imports again.
"""

from __future__ import annotations

import multiprocessing
import warnings
from dataclasses import asdict, fields
from datetime import date
from functools import cache
from multiprocessing.connection import wait

from scraper.profiles import get_profile

SUMMARY_FIELDS = ("new", "changed", "unchanged", "failed", "skipped", "withdrawn",
                  "duplicates", "pages", "problems", "signals")  # fmt: skip


class JobFailed(RuntimeError):
    """A job's process crashed, timed out or could not get its host group."""

    def __init__(self, message: str, retry: bool = True):
        super().__init__(message)
        self.retry = retry  # False: running it again cannot help (an unknown site, a bad archive)


def host_groups(site_ids: list[str], sites_dir: str | None = None) -> list[list[str]]:
    """The sites grouped by host, in the order given (a ``ProfileError`` for an unknown id)."""
    groups: dict[str, list[str]] = {}
    for site_id in dict.fromkeys(site_ids):
        groups.setdefault(get_profile(site_id, sites_dir).host, []).append(site_id)
    return list(groups.values())


def make_spec(run_id: int, sites: list[str], *, base_url=None, sites_dir=None, contact=None,
              max_releases=None, max_listing_pages=None, walk=None) -> dict:  # fmt: skip
    """A job as JSON-ready data (``walk``: a ``WalkOptions``)."""
    walk_data = {k: (v.isoformat() if isinstance(v, date) else v)
                 for k, v in (asdict(walk) if walk else {}).items()}  # fmt: skip
    walk_data.pop("wait", None)
    return {"run_id": run_id, "sites": sites, "base_url": base_url, "sites_dir": sites_dir,
            "contact": contact, "max_releases": max_releases,
            "max_listing_pages": max_listing_pages, "walk": walk_data}  # fmt: skip


def run_job(spec: dict, db_url: str, warc_dir: str | None = None,
            time_limit: float | None = None) -> dict:  # fmt: skip
    """Crawl one job in a fresh process into ``db_url``; its summary, or ``JobFailed``."""
    sites = ", ".join(spec["sites"])
    context = _context()
    receive, send = context.Pipe(duplex=False)
    process = context.Process(target=_job_process, args=(spec, db_url, warc_dir, send),
                              name=f"pressarchiv job {sites}")  # fmt: skip
    process.start()
    send.close()
    try:
        if not wait([receive, process.sentinel], time_limit):
            process.kill()
            raise JobFailed(f"job for {sites} over its {time_limit:.0f} s")
        try:
            kind, value = receive.recv()
        except EOFError:
            process.join()
            raise JobFailed(f"job for {sites} crashed: exit status {process.exitcode}") from None
    finally:
        process.join()
        receive.close()
    if kind == "busy":
        raise JobFailed(value)
    if kind == "crashed":
        raise JobFailed(f"job for {sites} crashed: {value}")
    if kind == "error":
        raise JobFailed(value, retry=False)
    return value


@cache
def _context():
    """Job processes are forked by a server that has imported the crawl (``preload``)."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["scraper.distributed.preload"])
    return context


def give_up(spec: dict, db_url: str, reason: str) -> None:
    """The job will not run again: close its sites as failed (ending the run if last)."""
    from scraper.crawl import _log
    from storage import runs

    problem = f"{', '.join(spec['sites'])}: job failed: {reason}"
    _log(db_url, runs.finish_job, spec["run_id"], spec["sites"], "failed", [problem])


def _job_process(spec: dict, db_url: str, warc_dir: str | None, send) -> None:
    """In the job process: crawl, then send ``(kind, value)`` back to ``run_job``."""
    warnings.simplefilter("ignore")
    try:
        outcome = _crawl(spec, db_url, warc_dir)
    except Exception as exc:  # noqa: BLE001 (reported to the worker, which retries)
        outcome = ("crashed", f"{type(exc).__name__}: {exc}".splitlines()[0])
    send.send(outcome)


def _crawl(spec: dict, db_url: str, warc_dir: str | None) -> tuple[str, object]:
    from scraper.crawl import WalkOptions, run_crawl
    from scraper.profiles import ProfileError
    from storage import ArchiveError
    from storage.lock import LockBusy

    known = {f.name for f in fields(WalkOptions)}
    walk = {k: v for k, v in spec["walk"].items() if k in known}
    for name in ("since", "until"):
        if walk.get(name):
            walk[name] = date.fromisoformat(walk[name])
    try:
        summary = run_crawl(spec["sites"], db_url, base_url=spec["base_url"],
                            max_releases=spec["max_releases"], sites_dir=spec["sites_dir"],
                            contact=spec["contact"], warc_dir=warc_dir,
                            walk=WalkOptions(**walk), max_listing_pages=spec["max_listing_pages"],
                            run_id=spec["run_id"])  # fmt: skip
    except LockBusy as exc:
        return "busy", str(exc)
    except (ProfileError, ArchiveError) as exc:
        return "error", str(exc)
    return "done", {name: getattr(summary, name) for name in SUMMARY_FIELDS}
