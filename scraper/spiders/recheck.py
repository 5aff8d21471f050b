"""The re-verification policy in a crawl (``storage.recheck``): once an incremental walk
has nothing left to do, the known releases due for a re-check are asked for conditionally.

Settings (or environment variables): ``PRESSARCHIV_RECHECK_RECENT_DAYS`` (default 14),
``PRESSARCHIV_RECHECK_PERIOD_DAYS`` (default 30; 0 and 0 turn re-checks off).
"""

from __future__ import annotations

import logging
import os
from datetime import UTC, datetime

from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from sqlalchemy.orm import Session

from storage.recheck import Policy, due

RECHECKED_STAT = "pressarchiv/rechecked"
DEFAULTS = {"PRESSARCHIV_RECHECK_RECENT_DAYS": 14, "PRESSARCHIV_RECHECK_PERIOD_DAYS": 30}
logger = logging.getLogger("pressarchiv.recheck")


def policy(settings) -> Policy:
    def value(name: str) -> int:
        found = settings.get(name)
        found = os.environ.get(name) if found is None else found
        return int(found) if found not in (None, "") else DEFAULTS[name]

    return Policy(value("PRESSARCHIV_RECHECK_RECENT_DAYS"),
                  value("PRESSARCHIV_RECHECK_PERIOD_DAYS"))  # fmt: skip


class Rechecks:
    """Loaded at spider start; scheduled once when the spider first runs idle."""

    def __init__(self, spider, before_run: int | None):
        from storage.archive import Archive

        self.spider = spider
        crawler = spider.crawler
        db = crawler.settings["PRESSARCHIV_DB"]
        with Archive(db) as archive, Session(archive.engine) as session:
            self.pending = due(session, spider.profile.id, policy(crawler.settings),
                               datetime.now(UTC), before_run)  # fmt: skip
        crawler.signals.connect(self.idle, signal=signals.spider_idle)

    def idle(self, spider) -> None:
        if spider is not self.spider or not self.pending:
            return
        pending, self.pending = self.pending, []
        walked = spider.walk.listed  # already asked for from their listing card
        requests = [spider.recheck_request(url) for pk, url in pending if pk not in walked]
        spider.crawler.stats.set_value(RECHECKED_STAT, len(requests))
        logger.info("re-checking %d known releases of %s", len(requests), spider.profile.id)
        for request in requests:
            spider.crawler.engine.crawl(request)
        if requests:
            raise DontCloseSpider
