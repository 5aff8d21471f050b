"""Turn a fetched release page into the normalised fields, in a worker process.

The normaliser runs off the crawler's thread (``scraper.workers``) with a time budget per
page (``PRESSARCHIV_PARSE_TIMEOUT``), so one hostile page costs only itself: a page over
its budget is recorded as failed and dropped, and every other page and site goes on.
The raw bytes are let go once read (the WARC files keep them).
"""

from __future__ import annotations

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem

from scraper import jobs, workers
from scraper.failures import record_failure
from scraper.items import CheckItem
from scraper.profiles import load_profiles


class NormalisePipeline:
    def __init__(self, crawler, sites_dir=None):
        self.crawler = crawler
        self.profiles = load_profiles(sites_dir)
        self.timeout = workers.setting("PRESSARCHIV_PARSE_TIMEOUT", crawler.settings)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler, crawler.settings.get("PRESSARCHIV_SITES_DIR"))

    async def process_item(self, item):
        if isinstance(item, CheckItem):  # a 304/404/410: nothing to read
            return item
        adapter = ItemAdapter(item)
        profile = self.profiles[adapter["site"]]
        html, adapter["html"] = adapter["html"], None
        fetched = adapter.get("fetched_at")
        try:
            fields = await workers.run(
                jobs.normalise_page, html, adapter["url"], profile, adapter.get("listing"),
                adapter.get("content_type"), fetched.date() if fetched else None,
                timeout=self.timeout, settings=self.crawler.settings,
            )  # fmt: skip
        except workers.OverBudget as exc:
            reason = f"page not read: the normaliser {exc}"
            record_failure(self.crawler, adapter["fetched_url"], reason)
            raise DropItem(reason, log_level="DEBUG") from None
        for key, value in fields.items():
            adapter[key] = value
        return item
