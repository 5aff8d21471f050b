"""The crawl log: every run, what it did per site, and every failure.

``runs`` has one row per crawl process (``status``: running, finished, failed, killed,
interrupted), ``run_sites`` one row per site of a run with its counters (written in the
same transaction as each stored batch, so a killed run still shows what it stored) and
``complete`` (the site's listing was walked to its end or to the known-limit stop),
``failures`` every failed URL with its reason, and every skipped one (``kind="skipped"``:
a link the crawl refused on purpose, e.g. to another host).

A distributed run (``begin_distributed_run``) has one row for all its jobs (``pid`` 0,
``host`` ``workers``): each job claims its sites (``open_site``, again after a killed
attempt) and closes them, and the job that closes the last site ends the run
(``finish_job``, serialised on the run's row).
"""

from __future__ import annotations

import os
import socket
from datetime import UTC, datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from storage.models import Failure, Run, RunSite

COUNTERS = ("pages", "new", "changed", "unchanged", "withdrawn", "failed", "skipped")
DISTRIBUTED_PID = 0  # a run whose jobs run on workers: ended by its last job, not a process


def now() -> datetime:
    return datetime.now(UTC)


def begin_run(session: Session, sites: list[str], mode: str) -> int:
    """Record a new run; call it holding the archive lock (older ``running`` rows are dead,
    except distributed runs, whose jobs may still be queued)."""
    running = (Run.status == "running") & (Run.pid != DISTRIBUTED_PID)
    session.execute(update(Run).where(running).values(status="interrupted"))
    run = Run(started_at=now(), status="running", mode=mode, sites=sites, host=socket.gethostname(),
              pid=os.getpid(), problems=[])  # fmt: skip
    session.add(run)
    session.flush()
    return run.id


def begin_distributed_run(session: Session, sites: list[str], mode: str) -> int:
    """Record a run whose sites are crawled by jobs on workers."""
    run = Run(started_at=now(), status="running", mode=mode, sites=sites, host="workers",
              pid=DISTRIBUTED_PID, problems=[])  # fmt: skip
    session.add(run)
    session.flush()
    return run.id


def finish_job(session: Session, run_id: int, sites: list[str], status: str,
               problems: list[str]) -> str | None:  # fmt: skip
    """A job of a distributed run ended: close its sites still open with ``status``, keep its
    problems, and end the run when no site is left (returns the run's status then)."""
    run = session.scalar(select(Run).where(Run.id == run_id).with_for_update())
    for row in session.scalars(select(RunSite).where(RunSite.run_id == run_id)):
        if row.site in sites and row.status == "running":
            row.status = status
    for site in set(sites) - set(
        session.scalars(select(RunSite.site).where(RunSite.run_id == run_id))
    ):
        open_site(session, run_id, site)
        close_site(session, run_id, site, status, False)
    run.problems = [*run.problems, *problems]
    closed = session.scalars(
        select(RunSite).where(RunSite.run_id == run_id, RunSite.status != "running")
    )
    statuses = {row.site: row.status for row in closed}
    if run.status != "running" or set(run.sites) - set(statuses):
        return None
    values = set(statuses.values())
    run.status = (
        "failed"
        if run.problems or "failed" in values
        else "killed"
        if "killed" in values
        else "finished"
    )
    run.ended_at = now()
    return run.status


def end_run(session: Session, run_id: int, status: str, problems: list[str]) -> None:
    run = session.get(Run, run_id)
    run.status, run.ended_at, run.problems = status, now(), problems


def open_site(session: Session, run_id: int, site: str) -> None:
    """Claim a site for a run (a distributed job rerun after a killed attempt claims it again,
    keeping what the attempt stored)."""
    row = session.scalar(select(RunSite).where(RunSite.run_id == run_id, RunSite.site == site))
    if row is not None:
        row.status, row.complete = "running", False
        return
    session.add(RunSite(run_id=run_id, site=site, status="running", complete=False,
                        **dict.fromkeys(COUNTERS, 0)))  # fmt: skip


def count(session: Session, run_id: int, site: str, pages: int, failures: list[dict],
          **deltas: int) -> None:  # fmt: skip
    """Add one batch's outcome to the site's counters and keep its failures and skips."""
    row = session.scalar(select(RunSite).where(RunSite.run_id == run_id, RunSite.site == site))
    row.pages = pages
    for name, delta in deltas.items():
        setattr(row, name, getattr(row, name) + delta)
    kinds = [f.get("kind", "failed") for f in failures]
    row.failed += kinds.count("failed")
    row.skipped += kinds.count("skipped")
    session.add_all(
        Failure(run_id=run_id, site=site, url=f["url"][:2048], reason=f["reason"], kind=kind)
        for f, kind in zip(failures, kinds, strict=True)
    )


def close_site(session: Session, run_id: int, site: str, status: str, complete: bool) -> None:
    row = session.scalar(select(RunSite).where(RunSite.run_id == run_id, RunSite.site == site))
    row.status, row.complete = status, complete


def last_complete(session: Session, site: str, before_run: int | None) -> bool:
    """Whether the site's latest earlier run walked its listing completely."""
    stmt = select(RunSite.complete).where(RunSite.site == site)
    if before_run is not None:
        stmt = stmt.where(RunSite.run_id < before_run)
    return bool(session.scalar(stmt.order_by(RunSite.run_id.desc()).limit(1)))


def _alive(run: Run) -> bool:
    if run.pid == DISTRIBUTED_PID:
        return True  # ended by its last job
    if run.host != socket.gethostname():
        return True  # cannot tell from here; a later run marks it interrupted
    try:
        os.kill(run.pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _summary(run: Run, sites: list[RunSite]) -> dict:
    status = run.status
    if status == "running" and not _alive(run):
        status = "interrupted"
    data = {
        "id": run.id,
        "started": run.started_at.isoformat(timespec="seconds"),
        "ended": run.ended_at.isoformat(timespec="seconds") if run.ended_at else None,
        "status": status,
        "mode": run.mode,
        "sites": run.sites,
    }
    data.update({name: sum(getattr(s, name) for s in sites) for name in COUNTERS})
    data["problems"] = run.problems
    return data


def list_runs(session: Session, limit: int | None = None) -> list[dict]:
    """The newest runs first, with their counters summed over sites."""
    runs = session.scalars(select(Run).order_by(Run.id.desc()).limit(limit)).all()
    by_run: dict[int, list[RunSite]] = {run.id: [] for run in runs}
    stmt = select(RunSite).where(RunSite.run_id.in_(by_run)).order_by(RunSite.pk)
    for row in session.scalars(stmt):
        by_run[row.run_id].append(row)
    return [_summary(run, by_run[run.id]) for run in runs]


def get_run(session: Session, run_id: int) -> dict | None:
    """One run with its per-site counters, every failure and every skip."""
    run = session.get(Run, run_id)
    if run is None:
        return None
    sites = session.scalars(select(RunSite).where(RunSite.run_id == run_id).order_by(RunSite.pk))
    sites = sites.all()
    data = _summary(run, sites)
    data["per_site"] = [
        {"site": s.site, "status": s.status, "complete": s.complete}
        | {name: getattr(s, name) for name in COUNTERS}
        for s in sites
    ]
    failures = select(Failure).where(Failure.run_id == run_id).order_by(Failure.pk)
    rows = session.scalars(failures).all()
    data["failures"], data["skips"] = (
        [{"site": f.site, "url": f.url, "reason": f.reason} for f in rows if f.kind == kind]
        for kind in ("failed", "skipped")
    )
    return data
