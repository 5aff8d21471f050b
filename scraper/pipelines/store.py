"""Write releases to the archive in batches, one transaction per batch.

The same transaction keeps the crawl log (``storage.runs``): the site's counters, the
failures recorded since the last batch, HTTP validators, ``304`` touches and withdrawals.
A killed crawl therefore loses at most the open batch, and its log shows what it stored.
A plain ``scrapy crawl`` (no ``PRESSARCHIV_RUN_ID``) is a run of its own and takes the
archive lock itself.
"""

from __future__ import annotations

import logging

from itemadapter import ItemAdapter
from scrapy import signals
from scrapy.exceptions import CloseSpider
from sqlalchemy.orm import Session

from scraper.failures import FAILURES_STAT, record_failure
from scraper.items import PROVENANCE_FIELDS, RECORD_FIELDS, CheckItem
from scraper.spiders.base import RUN_STAT
from storage import Archive, ArchiveError, crawlstate, runs
from storage.lock import ArchiveLock, LockBusy

logger = logging.getLogger(__name__)

STORED_FIELDS = (
    "site", "url", "fetched_url", "fetched_at", *RECORD_FIELDS, *PROVENANCE_FIELDS,
    "warc", "attachments", "etag", "last_modified",
)  # fmt: skip
SITE_STATUS = {"finished": "finished", "shutdown": "killed"}  # other reasons: failed


class StorePipeline:
    def __init__(self, crawler, db_url: str, batch_size: int):
        self.crawler = crawler
        self.db_url = db_url
        self.batch_size = batch_size
        self.batch: list[dict] = []
        self.checks: list[dict] = []  # CheckItems: 304 touches and 404/410 withdrawals
        self.failures_saved = 0
        self.archive = None
        self.run_id: int | None = None
        self.lock: ArchiveLock | None = None  # held only by a standalone ``scrapy crawl``

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        pipe = cls(crawler, settings["PRESSARCHIV_DB"], settings.getint("PRESSARCHIV_BATCH_SIZE"))
        crawler.signals.connect(pipe.spider_closed, signal=signals.spider_closed)
        return pipe

    @property
    def site(self) -> str:
        return self.crawler.spider.profile.id

    def open_spider(self):
        self.archive = Archive(self.db_url)
        run_id = self.crawler.settings.getint("PRESSARCHIV_RUN_ID") or None
        if run_id is None:
            try:
                self.lock = ArchiveLock(self.db_url).__enter__()
            except LockBusy as exc:
                logger.error("crawl not started: %s", exc)
                raise CloseSpider("archive_locked") from None
            run_id = self._write(runs.begin_run, [self.site], self.crawler.spider.mode)
        self.run_id = run_id
        self.crawler.stats.set_value(RUN_STAT, run_id)
        self._write(runs.open_site, run_id, self.site)

    def process_item(self, item):
        adapter = ItemAdapter(item)
        if isinstance(item, CheckItem):
            self.checks.append(adapter.asdict())
        else:
            self.batch.append({name: adapter.get(name) for name in STORED_FIELDS})
        if len(self.batch) + len(self.checks) >= self.batch_size:
            self._flush()
        return item

    def close_spider(self):
        if self.run_id is not None:
            self._flush()

    def spider_closed(self, spider, reason):
        """After the last batch: the site's (and a standalone run's) final status."""
        if self.run_id is not None:
            status = SITE_STATUS.get(reason, "failed")
            complete = reason == "finished" and spider.swept
            self._write(runs.close_site, self.run_id, self.site, status, complete)
            if self.lock is not None:
                self._write(runs.end_run, self.run_id, status, [])
        if self.lock is not None:
            self.lock.__exit__()
        self.archive.close()

    def _write(self, function, *args):
        with Session(self.archive.engine) as session, session.begin():
            return function(session, *args)

    def _flush(self):
        batch, checks = self.batch, self.checks
        self.batch, self.checks = [], []
        saved = self.failures_saved
        try:
            self._store(batch, checks, self._unsaved_failures())
        except ArchiveError:  # keep every good item, report the bad ones
            self.failures_saved = saved
            for item in batch:
                try:
                    self._store([item], [], [])
                except ArchiveError as exc:
                    record_failure(self.crawler, item["fetched_url"], f"not stored: {exc}")
            self._store([], checks, self._unsaved_failures())

    def _unsaved_failures(self) -> list[dict]:
        """Failures recorded since the last stored batch."""
        failures = self.crawler.stats.get_value(FAILURES_STAT) or []
        start, self.failures_saved = self.failures_saved, len(failures)
        return failures[start:]

    def _store(self, items: list[dict], checks: list[dict], failures: list[dict]) -> None:
        """One transaction: the items, the checks and the crawl log's counters."""
        done: dict[str, int] = {}

        def log(session, counts):
            crawlstate.save_validators(session, items)
            done.update(counts._asdict(), withdrawn=0)
            for check in checks:
                url, seen = check["url"], check["fetched_at"]
                if check["status"] == 304:
                    crawlstate.touch(session, url, seen)
                newly = check["status"] != 304 and crawlstate.withdraw(session, url, seen)
                done["withdrawn" if newly else "unchanged"] += 1
            pages = self.crawler.stats.get_value("response_received_count", 0)
            runs.count(session, self.run_id, self.site, pages, failures, **done)

        self.archive.store(items, then=log)
        for name, value in done.items():
            self.crawler.stats.inc_value(f"pressarchiv/{name}", value)
