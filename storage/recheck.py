"""Re-verification policy: which known releases an incremental run re-checks.

An incremental crawl stops its listing walk at the first known releases, so an edit to an
older release would only be noticed by a ``--full`` run. Each incremental run therefore
also asks (conditionally: a ``304`` costs the site almost nothing) for

- every release published in the last ``recent_days`` days (edits come early), and
- a rolling share of the older ones, those checked longest ago (``last_seen``) first:
  ``ceil(older × elapsed / period_days)``, ``elapsed`` being the days since the site's
  previous run (at least one, at most the period). Run at least daily, every release is
  re-checked within ``period_days`` days.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.models import Release, Run, RunSite


@dataclass(frozen=True)
class Policy:
    recent_days: int = 14
    period_days: int = 30  # 0: no re-checks

    @property
    def active(self) -> bool:
        return self.period_days > 0 or self.recent_days > 0


def elapsed_days(session: Session, site: str, before_run: int | None, now: datetime) -> float:
    """Days since the site's previous run started (1 when there is none)."""
    stmt = select(func.max(Run.started_at)).join(RunSite, RunSite.run_id == Run.id)
    stmt = stmt.where(RunSite.site == site)
    if before_run is not None:
        stmt = stmt.where(Run.id < before_run)
    previous = session.scalar(stmt)
    if previous is None:
        return 1.0
    if previous.tzinfo is None:
        previous = previous.replace(tzinfo=now.tzinfo)
    return (now - previous).total_seconds() / 86400


def due(session: Session, site: str, policy: Policy, now: datetime,
        before_run: int | None = None) -> list[tuple[int, str]]:  # fmt: skip
    """``(release pk, main URL)`` of the releases this run re-checks, recent ones first."""
    if not policy.active:
        return []
    rows = session.execute(
        select(Release.pk, Release.url, Release.published, Release.last_seen)
        .where(Release.site == site, Release.withdrawn.is_(None))
        .order_by(Release.last_seen, Release.pk)
    ).all()
    newest = (now - timedelta(days=policy.recent_days)).date()
    recent = [r for r in rows if policy.recent_days and r.published and r.published >= newest]
    older = [r for r in rows if not (policy.recent_days and r.published and r.published >= newest)]
    share = 0
    if policy.period_days and older:
        elapsed = min(max(elapsed_days(session, site, before_run, now), 1.0), policy.period_days)
        share = math.ceil(len(older) * elapsed / policy.period_days)
    return [(r.pk, r.url) for r in recent + older[:share]]
