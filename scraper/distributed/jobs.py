"""Jobs of a distributed crawl: one host group each, crawled in a fresh process.

A crawl is split by host (``host_groups``): all sites on one host form one job, so Scrapy's
per-host politeness stays exact inside the one process that crawls them, and ``HostLock``
keeps a second job for the same host from running anywhere at the same time. A job is a
JSON ``spec``; ``run_job`` crawls it in a fresh Python process (Twisted's reactor cannot be
restarted, and a killed or stuck crawl must not take its worker with it) and returns the
job's summary as a dict. ``python -m scraper.distributed.jobs`` is that process: the spec on
stdin, the summary as the last line of stdout.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import asdict, fields
from datetime import date

from scraper.profiles import get_profile

SUMMARY_FIELDS = ("new", "changed", "unchanged", "failed", "skipped", "withdrawn",
                  "duplicates", "pages", "problems", "signals")  # fmt: skip
HOST_BUSY_EXIT = 75  # the job process could not get its host group: try again later


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
    args = [sys.executable, "-m", "scraper.distributed.jobs"]
    data = json.dumps({"spec": spec, "db_url": db_url, "warc_dir": warc_dir})
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    try:
        done = subprocess.run(args, input=data, capture_output=True, text=True,
                              timeout=time_limit, env=env)  # fmt: skip
    except subprocess.TimeoutExpired:
        raise JobFailed(f"job for {', '.join(spec['sites'])} over its {time_limit:.0f} s") from None
    last = done.stdout.strip().splitlines()[-1:] or [""]
    if done.returncode == HOST_BUSY_EXIT:
        raise JobFailed(last[0] or "host group busy")
    try:
        summary = json.loads(last[0])
    except json.JSONDecodeError:
        error = (done.stderr.strip().splitlines() or [f"exit status {done.returncode}"])[-1]
        raise JobFailed(f"job for {', '.join(spec['sites'])} crashed: {error}") from None
    if "error" in summary:
        raise JobFailed(summary["error"], retry=False)
    return summary


def give_up(spec: dict, db_url: str, reason: str) -> None:
    """The job will not run again: close its sites as failed (ending the run if last)."""
    from scraper.crawl import _log
    from storage import runs

    problem = f"{', '.join(spec['sites'])}: job failed: {reason}"
    _log(db_url, runs.finish_job, spec["run_id"], spec["sites"], "failed", [problem])


def _main() -> int:
    from scraper.crawl import WalkOptions, run_crawl
    from scraper.profiles import ProfileError
    from storage import ArchiveError
    from storage.lock import LockBusy

    job = json.load(sys.stdin)
    spec = job["spec"]
    known = {f.name for f in fields(WalkOptions)}
    walk = {k: v for k, v in spec["walk"].items() if k in known}
    for name in ("since", "until"):
        if walk.get(name):
            walk[name] = date.fromisoformat(walk[name])
    try:
        summary = run_crawl(spec["sites"], job["db_url"], base_url=spec["base_url"],
                            max_releases=spec["max_releases"], sites_dir=spec["sites_dir"],
                            contact=spec["contact"], warc_dir=job["warc_dir"],
                            walk=WalkOptions(**walk), max_listing_pages=spec["max_listing_pages"],
                            run_id=spec["run_id"])  # fmt: skip
    except LockBusy as exc:
        print(str(exc))
        return HOST_BUSY_EXIT
    except (ProfileError, ArchiveError) as exc:
        print(json.dumps({"error": str(exc)}))
        return 1
    print(json.dumps({name: getattr(summary, name) for name in SUMMARY_FIELDS}))
    return 0


if __name__ == "__main__":
    sys.exit(_main())
