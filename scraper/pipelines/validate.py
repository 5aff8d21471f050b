"""Refuse releases that lack what makes them citable, and report field fill rates."""

from __future__ import annotations

import logging
from collections import Counter

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem

from scraper.failures import record_failure
from scraper.items import RECORD_FIELDS, CheckItem

logger = logging.getLogger(__name__)

REQUIRED = {"title": "no title", "published": "no date", "body": "no body text"}


class ValidatePipeline:
    def __init__(self, crawler):
        self.crawler = crawler
        self.filled = Counter()
        self.seen = 0

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_item(self, item):
        if isinstance(item, CheckItem):  # a 304/404/410: nothing to validate
            return item
        adapter = ItemAdapter(item)
        self.seen += 1
        self.filled.update(name for name in RECORD_FIELDS if adapter.get(name))
        missing = [reason for name, reason in REQUIRED.items() if not adapter.get(name)]
        if missing:
            flags = ", ".join(adapter.get("flags") or [])
            reason = "; ".join(missing) + (f" (flags: {flags})" if flags else "")
            record_failure(self.crawler, adapter["fetched_url"], reason)
            raise DropItem(f"{adapter['fetched_url']}: {reason}", log_level="DEBUG")
        return item

    def close_spider(self):
        if not self.seen:
            return
        stats = self.crawler.stats
        rates = []
        for name in RECORD_FIELDS:
            rate = self.filled[name] / self.seen
            stats.set_value(f"pressarchiv/fill/{name}", round(rate, 3))
            rates.append(f"{name}={rate:.0%}")
        logger.info("field fill rates over %d releases: %s", self.seen, " ".join(rates))
