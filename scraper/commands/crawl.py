"""``scrapy crawl`` with pressarchiv's exit statuses (see ``scraper.exits``): 75 when the
archive is locked by another crawl, 3 when some pages failed, 1 when the crawl itself
failed, 130/143 when interrupted. Scrapy's own command exits 0 in all of these."""

from __future__ import annotations

from scrapy.commands.crawl import Command as ScrapyCrawl
from scrapy.exceptions import UsageError

from scraper import exits
from scraper.failures import FAILED_STAT

SIGNALS = {"shutdown": exits.INTERRUPTED}


def exit_code(stats: dict) -> int:
    """The exit status of a finished ``scrapy crawl`` from its crawler's stats."""
    reason = stats.get("finish_reason")
    if reason == "archive_locked":
        return exits.BUSY
    if reason in SIGNALS:
        return SIGNALS[reason]
    if reason != "finished" or not stats.get("item_scraped_count", 0) + stats.get(
        "item_dropped_count", 0
    ):
        return exits.FAILED
    return exits.PARTIAL if stats.get(FAILED_STAT) else exits.OK


class Command(ScrapyCrawl):
    def run(self, args, opts) -> None:
        if len(args) != 1:
            raise UsageError("give one spider: scrapy crawl <spider> -a site=<id>")
        crawler = self._create_crawler(args[0])
        self.crawler_process.crawl(crawler, **opts.spargs)
        self.crawler_process.start()
        if self.crawler_process.bootstrap_failed:
            self.exitcode = exits.FAILED
        else:
            self.exitcode = exit_code(crawler.stats.get_stats())
