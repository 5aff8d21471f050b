"""Write releases to the archive in batches, one transaction per batch."""

from __future__ import annotations

from itemadapter import ItemAdapter

from scraper.failures import record_failure
from scraper.items import PROVENANCE_FIELDS, RECORD_FIELDS
from storage import Archive, ArchiveError, StoreCounts

STORED_FIELDS = ("site", "url", "fetched_url", "fetched_at", *RECORD_FIELDS, *PROVENANCE_FIELDS)


class StorePipeline:
    def __init__(self, crawler, db_url: str, batch_size: int):
        self.crawler = crawler
        self.db_url = db_url
        self.batch_size = batch_size
        self.batch: list[dict] = []
        self.archive = None

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        return cls(crawler, settings["PRESSARCHIV_DB"], settings.getint("PRESSARCHIV_BATCH_SIZE"))

    def open_spider(self):
        self.archive = Archive(self.db_url)

    def process_item(self, item):
        adapter = ItemAdapter(item)
        self.batch.append({name: adapter.get(name) for name in STORED_FIELDS})
        if len(self.batch) >= self.batch_size:
            self._flush()
        return item

    def close_spider(self):
        self._flush()
        self.archive.close()

    def _flush(self):
        if not self.batch:
            return
        batch, self.batch = self.batch, []
        try:
            counts = self.archive.store(batch)
        except ArchiveError:
            counts = self._store_one_by_one(batch)
        stats = self.crawler.stats
        for name in ("new", "changed", "unchanged"):
            stats.inc_value(f"pressarchiv/{name}", getattr(counts, name))

    def _store_one_by_one(self, batch: list[dict]) -> StoreCounts:
        """A batch the archive refused: keep every good item, report the bad ones."""
        total = StoreCounts(0, 0, 0)
        for item in batch:
            try:
                counts = self.archive.store([item])
            except ArchiveError as exc:
                record_failure(self.crawler, item["fetched_url"], f"not stored: {exc}")
                continue
            total = StoreCounts(*(a + b for a, b in zip(total, counts, strict=True)))
        return total
