"""Canonicalise the release URL and drop a page this crawl has already passed on."""

from __future__ import annotations

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem

from storage.urls import canonical_url

DUPLICATES_STAT = "pressarchiv/duplicates"


class DedupePipeline:
    def __init__(self, crawler):
        self.crawler = crawler
        self.seen_urls: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_item(self, item):
        adapter = ItemAdapter(item)
        url = canonical_url(adapter["url"])
        adapter["url"] = url
        if url in self.seen_urls:
            self.crawler.stats.inc_value(DUPLICATES_STAT)
            raise DropItem(f"{url}: already stored in this crawl", log_level="DEBUG")
        self.seen_urls.add(url)
        return item
