"""Write releases to the archive in batches, one transaction per batch.

The same transaction keeps the crawl log (``storage.runs``): the site's counters, the
failures recorded since the last batch, HTTP validators, ``304`` touches and withdrawals.
A killed crawl therefore loses at most its open batches, and its log shows what it stored.
The batches are stored by the crawl's writer process (``scraper.archive_writer``), so that
the crawl process goes on fetching and parsing meanwhile. A plain ``scrapy crawl`` (no
``PRESSARCHIV_RUN_ID``) is a run of its own and takes the archive lock itself.
"""

from __future__ import annotations

import logging

from itemadapter import ItemAdapter
from scrapy import signals
from scrapy.exceptions import CloseSpider

from scraper import archive_writer
from scraper.failures import FAILURES_STAT, record_failure
from scraper.items import PROVENANCE_FIELDS, RECORD_FIELDS, CheckItem
from scraper.spiders.base import RUN_STAT
from storage import runs
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
        run_id = self.crawler.settings.getint("PRESSARCHIV_RUN_ID") or None
        if run_id is None:
            try:
                self.lock = ArchiveLock(self.db_url).__enter__()
            except LockBusy as exc:
                logger.error("crawl not started: %s", exc)
                raise CloseSpider("archive_locked") from None
            run_id = archive_writer.write(self.db_url, runs.begin_run, [self.site],
                                          self.crawler.spider.mode)  # fmt: skip
        self.run_id = run_id
        self.crawler.stats.set_value(RUN_STAT, run_id)
        archive_writer.write(self.db_url, runs.open_site, run_id, self.site)

    async def process_item(self, item):
        adapter = ItemAdapter(item)
        if isinstance(item, CheckItem):
            self.checks.append(adapter.asdict())
        else:
            self.batch.append({name: adapter.get(name) for name in STORED_FIELDS})
        if len(self.batch) + len(self.checks) >= self.batch_size:
            await self._flush()
        return item

    async def close_spider(self):
        if self.run_id is None:
            return
        await self._flush()
        if self._has_unsaved_failures():  # the reasons of items the last batch could not store
            await self._flush()

    async def spider_closed(self, spider, reason):
        """After the last batch: the site's (and a standalone run's) final status."""
        if self.run_id is not None:
            status = SITE_STATUS.get(reason, "failed")
            complete = reason == "finished" and spider.swept
            await self._write(runs.close_site, self.run_id, self.site, status, complete)
            if self.lock is not None:
                await self._write(runs.end_run, self.run_id, status, [])
        if self.lock is not None:
            archive_writer.shutdown()
            self.lock.__exit__()

    async def _write(self, function, *args):
        return await archive_writer.run(self.db_url, archive_writer.write, function, *args)

    async def _flush(self):
        """Store the open batch (in the writer process) and count what it did."""
        batch, checks = self.batch, self.checks
        self.batch, self.checks = [], []
        pages = self.crawler.stats.get_value("response_received_count", 0)
        counts, problems = await archive_writer.run(
            self.db_url, archive_writer.store_batch, self.run_id, self.site, pages,
            batch, checks, self._unsaved_failures(),
        )  # fmt: skip
        for url, reason in problems:
            record_failure(self.crawler, url, reason)
        for name, value in counts.items():
            self.crawler.stats.inc_value(f"pressarchiv/{name}", value)

    def _failures(self) -> list[dict]:
        return self.crawler.stats.get_value(FAILURES_STAT) or []

    def _has_unsaved_failures(self) -> bool:
        return len(self._failures()) > self.failures_saved

    def _unsaved_failures(self) -> list[dict]:
        """Failures recorded since the last batch handed to the writer."""
        failures = self._failures()
        start, self.failures_saved = self.failures_saved, len(failures)
        return failures[start:]
