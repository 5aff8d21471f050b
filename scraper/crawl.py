"""Run crawls from Python: the library behind ``pressarchiv crawl`` and ``demo``."""

from __future__ import annotations

import gc
import ipaddress
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlsplit

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from scraper import archive_writer, exits, workers
from scraper.failures import FAILED_STAT, FAILURES_STAT, SKIPPED_STAT
from scraper.profiles import get_profile
from scraper.scope import one_line
from scraper.settings import user_agent
from scraper.spiders import spider_for
from scraper.spiders.base import BROKEN_PROFILE_STAT, describe_mode
from storage import Archive, ArchiveError, runs
from storage.lock import ArchiveLock, HostLock

# The crawl process's cyclic garbage collector: at Python's defaults (700, 10, 10) it took
# about a fifth of the process's CPU on the large replica (Scrapy and Twisted allocate a
# few hundred containers per page, and each full collection scanned every module object).
GC_THRESHOLDS = (10_000, 20, 20)
JOB_LOCK_WAIT = 600.0  # seconds a job waits for its host group (another job on it) to be free


@dataclass
class CrawlSummary:
    """What one crawl did, over all its sites."""

    new: int = 0
    changed: int = 0
    unchanged: int = 0
    failed: int = 0
    skipped: int = 0
    withdrawn: int = 0
    duplicates: int = 0
    pages: int = 0
    failures: list[dict] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    run_id: int | None = None
    signals: list[int] = field(default_factory=list)  # SIGINT/SIGTERM received, in order

    @property
    def killed(self) -> bool:
        """Stopped by SIGTERM/SIGINT (after storing what it had, unless signalled twice)."""
        return bool(self.signals)

    @property
    def status(self) -> str:
        """The run's status in the crawl log: finished, failed or killed."""
        return "killed" if self.killed else "finished" if self.ok else "failed"

    @property
    def ok(self) -> bool:
        """False when the crawl itself failed (as opposed to single pages failing)."""
        return not self.problems

    @property
    def exit_code(self) -> int:
        """0 all well, 3 some pages failed, 1 the crawl failed, 130/143 interrupted."""
        if self.signals:
            return exits.for_signal(self.signals[0])
        if not self.ok:
            return exits.FAILED
        return exits.PARTIAL if self.failed else exits.OK

    def line(self) -> str:
        return (
            f"new={self.new} changed={self.changed} unchanged={self.unchanged} failed={self.failed}"
        )


@dataclass(frozen=True)
class WalkOptions:
    """How a crawl walks and paces itself (``pressarchiv crawl`` options)."""

    full: bool = False
    since: date | None = None
    until: date | None = None
    known_limit: int | None = None
    delay: float | None = None  # seconds between requests to one host, even on loopback
    batch_size: int | None = None
    max_wait: float | None = None  # the longest Retry-After honoured, in seconds
    wait: bool = False  # wait for the archive lock instead of giving up

    def apply(self, settings: Settings) -> None:
        for name, value in (("PRESSARCHIV_KNOWN_LIMIT", self.known_limit),
                            ("PRESSARCHIV_BATCH_SIZE", self.batch_size),
                            ("DOWNLOAD_DELAY", self.delay),
                            ("PRESSARCHIV_RETRY_AFTER_MAX", self.max_wait)):  # fmt: skip
            if value is not None:
                settings.set(name, value, priority="cmdline")
        if self.delay:  # a delay asked for is kept also on loopback: one request at a time
            settings.set("CONCURRENT_REQUESTS_PER_DOMAIN", 1, priority="cmdline")


def is_loopback(url: str | None) -> bool:
    host = urlsplit(url or "").hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def crawl_settings(
    db_url: str,
    base_url: str | None = None,
    sites_dir: str | None = None,
    contact: str | None = None,
    log_level: str = "WARNING",
    warc_dir: str | None = None,
) -> Settings:
    """Project settings for one crawl; a loopback mirror (the replica) gets no delay."""
    settings = Settings()
    settings.setmodule("scraper.settings", priority="project")
    settings.set("PRESSARCHIV_DB", db_url, priority="cmdline")
    settings.set("PRESSARCHIV_BASE_URL", base_url, priority="cmdline")
    settings.set("PRESSARCHIV_SITES_DIR", sites_dir, priority="cmdline")
    settings.set("USER_AGENT", user_agent(contact), priority="cmdline")
    settings.set("LOG_LEVEL", log_level, priority="cmdline")
    settings.set("PRESSARCHIV_WARC_DIR", warc_dir, priority="cmdline")
    if contact:
        settings.set("PRESSARCHIV_CONTACT", contact, priority="cmdline")
    if is_loopback(base_url):
        settings.set("DOWNLOAD_DELAY", 0, priority="cmdline")
        settings.set("AUTOTHROTTLE_ENABLED", False, priority="cmdline")
        settings.set("CONCURRENT_REQUESTS_PER_DOMAIN", 8, priority="cmdline")
    return settings


class _Process(CrawlerProcess):
    """Scrapy's process, noting the signals that stop it (first: graceful, second: at once)."""

    def __init__(self, settings):
        super().__init__(settings)
        self.signals: list[int] = []

    def _signal_shutdown(self, signum, frame) -> None:
        self.signals.append(signum)
        super()._signal_shutdown(signum, frame)

    def _signal_kill(self, signum, frame) -> None:
        self.signals.append(signum)
        super()._signal_kill(signum, frame)


def run_crawl(
    site_ids: list[str],
    db_url: str,
    base_url: str | None = None,
    max_releases: int | None = None,
    sites_dir: str | None = None,
    contact: str | None = None,
    log_level: str = "WARNING",
    warc_dir: str | None = None,
    walk: WalkOptions | None = None,
    max_listing_pages: int | None = None,
    run_id: int | None = None,
) -> CrawlSummary:
    """Crawl the given sites into the archive at ``db_url`` and summarise the run.

    Raises ProfileError for an unknown site, ArchiveError for an unusable archive and
    LockBusy when another crawl holds the archive (unless ``walk.wait``), before anything
    is fetched. The run is recorded in the crawl log (``storage.runs``). Runs Twisted's
    reactor, so call it once per process.

    With ``run_id`` this is one job of that distributed run (``scraper.distributed``): the
    sites are one host group, held with ``HostLock`` instead of the whole archive, and the
    job closes its sites and, if they were the last, the run.
    """
    walk = walk or WalkOptions()
    profiles = [get_profile(site_id, sites_dir) for site_id in site_ids]
    for profile in profiles:
        spider_for(profile.family)  # ProfileError for a family no spider crawls
    Archive(db_url).close()  # fail early, and migrate once, before the spiders start
    job = run_id is not None
    group = ",".join(sorted({p.host for p in profiles}))
    lock = HostLock(db_url, group, JOB_LOCK_WAIT) if job else ArchiveLock(db_url, walk.wait)
    with lock:
        mode = describe_mode(walk.full, walk.since, walk.until, max_releases)
        if not job:
            run_id = _log(db_url, runs.begin_run, [p.id for p in profiles], mode)
        settings = crawl_settings(db_url, base_url, sites_dir, contact, log_level, warc_dir)
        walk.apply(settings)
        settings.set("PRESSARCHIV_RUN_ID", run_id, priority="cmdline")
        process = _Process(settings)
        crawlers = []
        for profile in profiles:
            crawler = process.create_crawler(spider_for(profile.family))
            process.crawl(
                crawler,
                site=profile.id,
                base_url=base_url,
                max_releases=max_releases,
                sites_dir=sites_dir,
                full=walk.full,
                since=walk.since,
                until=walk.until,
                max_listing_pages=max_listing_pages,
            )
            crawlers.append((profile, crawler))
        try:
            with _collector_tuned():
                process.start()
        finally:
            workers.shutdown()
            archive_writer.shutdown()
        summary = _summarise(crawlers, process.signals)
        summary.run_id = run_id
        if job:
            sites = [p.id for p in profiles]
            _log(db_url, runs.finish_job, run_id, sites, summary.status, summary.problems)
        else:
            _log(db_url, runs.end_run, run_id, summary.status, summary.problems)
    return summary


@contextmanager
def _collector_tuned():
    """While the crawl runs: what start-up built is frozen (never scanned again) and
    collections come after ``GC_THRESHOLDS[0]`` allocations instead of 700."""
    before = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*before)
        gc.unfreeze()


def _log(db_url: str, function, *args):
    """Write to the crawl log in a transaction of its own (``ArchiveError`` if it cannot)."""
    with Archive(db_url) as archive:
        try:
            with Session(archive.engine) as session, session.begin():
                return function(session, *args)
        except SQLAlchemyError as exc:
            raise ArchiveError(f"cannot write to the archive: {one_line(exc)}") from None


def _summarise(crawlers, received: list[int]) -> CrawlSummary:
    summary = CrawlSummary(signals=list(received))
    for profile, crawler in crawlers:
        stats = crawler.stats.get_stats()
        summary.new += stats.get("pressarchiv/new", 0)
        summary.changed += stats.get("pressarchiv/changed", 0)
        summary.unchanged += stats.get("pressarchiv/unchanged", 0)
        summary.failed += stats.get(FAILED_STAT, 0)
        summary.skipped += stats.get(SKIPPED_STAT, 0)
        summary.withdrawn += stats.get("pressarchiv/withdrawn", 0)
        summary.duplicates += stats.get("pressarchiv/duplicates", 0)
        summary.pages += stats.get("response_received_count", 0)
        summary.failures += stats.get(FAILURES_STAT, [])
        reason = stats.get("finish_reason")
        if received:
            continue  # interrupted: not a failure of the site
        if reason != "finished":
            summary.problems.append(f"{profile.id}: crawl ended early ({reason})")
        if stats.get(BROKEN_PROFILE_STAT):
            summary.problems.append(
                f"{profile.id}: profile broken, listing selectors match nothing"
            )
        elif not stats.get("item_scraped_count", 0) and not stats.get("item_dropped_count", 0):
            summary.problems.append(f"{profile.id}: no release found")
        if any(key.startswith("spider_exceptions/") for key in stats):
            summary.problems.append(f"{profile.id}: the spider raised errors (see log)")
    return summary
