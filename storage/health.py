"""Health of the archive, per site: is anything missing or going wrong?

Five checks, each giving one problem per finding:

- **stale**: the site's last successful run (``run_sites.status = finished``) is older than
  ``max_age`` days, or it never had one; **run**: its latest run failed or was killed.
- **failures**: the pages its latest run lost, by kind (``HTTP 500``, ``no date``, ...).
- **numbers**: gaps in the release numbers of a year (``95/2025``, ``97/2025``: 96 is
  missing), for years whose numbers look sequential (at least half of the range archived).
- **silence**: a stretch without releases far longer than the site's own rhythm (more than
  ``rhythm_factor`` times its median interval and at least ``min_gap`` days), in the last
  ``window`` days, including the time since its newest release.
- **fill**: a field filled in far fewer of the releases stored by the site's latest runs
  (the latest that stored any, back until ``min_sample`` releases) than in those stored
  before: a profile that stopped matching.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Failure, Release, Revision, Run, RunSite

FIELDS = ("kind", "number", "place", "published", "kicker", "title", "subtitle", "dateline",
          "body", "contact", "persons", "ministry")  # fmt: skip
_WITH_YEAR = re.compile(r"(\d{1,5})\s*/\s*(\d{4}|\d{2})\b")
_PLAIN = re.compile(r"^\D*?(\d{1,5})\s*$")


@dataclass(frozen=True)
class Thresholds:
    max_age: int = 2  # days since the last successful run
    rhythm_factor: float = 4.0  # a silence this many median intervals long is a gap
    min_gap: int = 28  # ... and at least this many days
    window: int = 365  # days looked back for silences
    min_releases: int = 12  # releases needed to know a site's rhythm
    drop: float = 0.3  # a fill rate this much lower than before (0.3 = 30 points)
    min_rate: float = 0.5  # only for fields filled in at least half the releases before
    min_sample: int = 3  # releases needed on each side of a fill-rate comparison
    history: int = 2000  # releases before the latest run compared against


@dataclass(frozen=True)
class Problem:
    site: str
    kind: str  # stale, run, failures, numbers, silence, fill
    message: str

    def line(self) -> str:
        return f"{self.site}: {self.message}"


@dataclass
class SiteHealth:
    site: str
    last_success: str | None = None
    releases: int = 0
    problems: list[Problem] = field(default_factory=list)


def parse_number(number: str | None, published: date | None) -> tuple[int, int] | None:
    """``(year, n)`` of a release number (``96/2025``, ``Nr.: 584/02``, ``305``)."""
    if not number:
        return None
    found = _WITH_YEAR.search(number)
    if found:
        n, year = int(found[1]), int(found[2])
        if year < 100:
            year += 2000 if year <= (published or date.today()).year % 100 else 1900
        return year, n
    found = _PLAIN.match(number)
    if found and published:
        return published.year, int(found[1])
    return None


def _ranges(numbers: list[int]) -> str:
    parts, start = [], None
    for n, following in zip(numbers, [*numbers[1:], None], strict=True):
        start = n if start is None else start
        if following != n + 1:
            parts.append(str(start) if start == n else f"{start}-{n}")
            start = None
    shown = ", ".join(parts[:10])
    return shown + (f", … ({len(parts) - 10} more)" if len(parts) > 10 else "")


def number_gaps(site: str, rows: list[tuple[str | None, date | None]]) -> list[Problem]:
    by_year: dict[int, set[int]] = defaultdict(set)
    for number, published in rows:
        parsed = parse_number(number, published)
        if parsed:
            by_year[parsed[0]].add(parsed[1])
    problems = []
    for year, numbers in sorted(by_year.items()):
        low, high = min(numbers), max(numbers)
        if len(numbers) < 3 or len(numbers) < (high - low + 1) / 2:
            continue  # too few to say, or not a sequence this archive holds
        missing = sorted(set(range(low, high + 1)) - numbers)
        if missing:
            problems.append(Problem(site, "numbers", (
                f"{len(missing)} release number{'s' if len(missing) > 1 else ''} missing in "
                f"{year} (between {low} and {high}): {_ranges(missing)}"
            )))  # fmt: skip
    return problems


def silences(site: str, days: list[date], today: date, limits: Thresholds) -> list[Problem]:
    """Stretches without releases far longer than the site's own rhythm."""
    days = sorted(set(days))
    if len(days) < limits.min_releases:
        return []
    intervals = [(b - a).days for a, b in zip(days, days[1:], strict=False)]
    typical = statistics.median(intervals)
    longest = max(limits.min_gap, limits.rhythm_factor * typical)
    since = today - timedelta(days=limits.window)
    problems = []
    for before, after in zip(days, [*days[1:], today], strict=True):
        gap = (after - before).days
        if gap > longest and after >= since:
            until = "today" if after == today else after.isoformat()
            problems.append(Problem(site, "silence", (
                f"no release for {gap} days, {before.isoformat()} to {until} "
                f"(usually one every {typical:g} days)"
            )))  # fmt: skip
    return problems


def _filled(value) -> bool:
    return value not in (None, "", [], {})


def fill_drops(site, recent: list[dict], before: list[dict], limits: Thresholds, runs: str):
    if len(recent) < limits.min_sample or len(before) < limits.min_sample:
        return []
    problems = []
    for name in FIELDS:
        then = sum(_filled(f.get(name)) for f in before) / len(before)
        now = sum(_filled(f.get(name)) for f in recent) / len(recent)
        if then >= limits.min_rate and then - now >= limits.drop:
            problems.append(Problem(site, "fill", (
                f"field {name} filled in {now:.0%} of the {len(recent)} releases of "
                f"{runs}, against {then:.0%} of the {len(before)} before (broken profile?)"
            )))  # fmt: skip
    return problems


def _category(reason: str) -> str:
    """The kind of a failure: its reason up to the first colon or parenthesis."""
    return re.split(r"[:(]", reason, maxsplit=1)[0].strip()[:60] or "unknown"


def _run_problems(session: Session, site: str, now: datetime, limits: Thresholds,
                  health: SiteHealth) -> list[int]:  # fmt: skip
    """Stale / failed run / failures; returns the latest runs that stored new releases."""
    rows = session.execute(
        select(RunSite.run_id, RunSite.status, RunSite.new, Run.started_at, Run.ended_at)
        .join(Run, Run.id == RunSite.run_id)
        .where(RunSite.site == site)
        .order_by(RunSite.run_id.desc())
    ).all()
    if not rows:
        health.problems.append(Problem(site, "stale", "never crawled (no run in the crawl log)"))
        return []
    latest = rows[0]
    success = next((r for r in rows if r.status == "finished"), None)
    if success is None:
        health.problems.append(Problem(site, "stale", "no successful run in the crawl log"))
    else:
        moment = success.ended_at or success.started_at
        health.last_success = moment.isoformat(timespec="seconds")
        age = now - moment
        if age > timedelta(days=limits.max_age):
            ago = f"{age.days} days" if age.days else f"{age.seconds // 3600} hours"
            health.problems.append(Problem(site, "stale", (
                f"last successful run {ago} ago (run {success.run_id}, "
                f"{moment.date().isoformat()})"
            )))  # fmt: skip
    if latest.status in ("failed", "killed"):
        health.problems.append(Problem(site, "run", f"latest run {latest.run_id} {latest.status}"))
    reasons = session.scalars(
        select(Failure.reason).where(
            Failure.run_id == latest.run_id, Failure.site == site, Failure.kind == "failed"
        )
    ).all()
    if reasons:
        kinds = Counter(_category(reason) for reason in reasons)
        listed = ", ".join(f"{count} {kind}" for kind, count in kinds.most_common())
        health.problems.append(Problem(site, "failures", (
            f"latest run {latest.run_id} lost {len(reasons)} page"
            f"{'s' if len(reasons) > 1 else ''}: {listed}"
        )))  # fmt: skip
    return _latest_storing(rows, limits.min_sample)


def _latest_storing(rows, enough: int) -> list[int]:
    """The latest runs that stored new releases, newest first, until they stored
    ``enough`` (a site that adds one release a night is judged on its last few runs)."""
    runs, stored = [], 0
    for row in rows:
        if row.new and stored < enough:
            runs.append(row.run_id)
            stored += row.new
    return runs


def _fill_problems(session, site, runs: list[int], limits: Thresholds) -> list[Problem]:
    started = session.scalar(select(Run.started_at).where(Run.id == runs[-1]))
    first = (
        select(Revision.fields)
        .join(Release, Release.pk == Revision.release_pk)
        .where(Release.site == site, Revision.number == 1)
    )
    recent = session.scalars(first.where(Revision.fetched_at >= started)).all()
    before = session.scalars(
        first.where(Revision.fetched_at < started)
        .order_by(Revision.fetched_at.desc())
        .limit(limits.history)
    ).all()
    which = f"run {runs[0]}" if len(runs) == 1 else f"runs {runs[-1]}-{runs[0]}"
    return fill_drops(site, list(recent), list(before), limits, which)


def site_ids(session: Session) -> list[str]:
    sites = set(session.scalars(select(Release.site).distinct()))
    return sorted(sites | set(session.scalars(select(RunSite.site).distinct())))


def check_site(session: Session, site: str, now: datetime, limits: Thresholds) -> SiteHealth:
    health = SiteHealth(site)
    stored_by = _run_problems(session, site, now, limits, health)
    rows = session.execute(
        select(Release.number, Release.published).where(Release.site == site)
    ).all()
    health.releases = len(rows)
    health.problems += number_gaps(site, rows)
    dates = [published for _, published in rows if published]
    health.problems += silences(site, dates, now.date(), limits)
    if stored_by:
        health.problems += _fill_problems(session, site, stored_by, limits)
    return health


def check(engine, site: str | None = None, now: datetime | None = None,
          limits: Thresholds | None = None) -> list[SiteHealth]:  # fmt: skip
    """The health of every site of the archive (or of ``site``)."""
    now = now or datetime.now(UTC)
    limits = limits or Thresholds()
    with Session(engine) as session:
        sites = [site] if site else site_ids(session)
        return [check_site(session, name, now, limits) for name in sites]


def to_dict(health: SiteHealth) -> dict:
    return asdict(health)
