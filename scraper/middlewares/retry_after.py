"""Honour ``Retry-After``: a 429 or 503 is retried only after the time the server asks,
and the host gets no other request meanwhile (when a download delay is in effect)."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from time import monotonic

from scrapy.utils.asyncio import sleep

logger = logging.getLogger(__name__)

CODES = (429, 503)
WAITS_STAT = "pressarchiv/retry_after_waits"


def retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds a ``Retry-After`` value asks for (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:  # "-0000": UTC, says RFC 5322, but Python leaves it naive
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class RetryAfterMiddleware:
    """Waits out a 429/503's ``Retry-After`` (capped by ``PRESSARCHIV_RETRY_AFTER_MAX``)
    before Scrapy's RetryMiddleware sees the response and schedules the retry."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.cap = crawler.settings.getfloat("PRESSARCHIV_RETRY_AFTER_MAX")
        self.retry_times = crawler.settings.getint("RETRY_TIMES")
        self.enabled = crawler.settings.getbool("RETRY_ENABLED")

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    async def process_response(self, request, response):
        if not self.enabled or response.status not in CODES or request.meta.get("dont_retry"):
            return response
        if request.meta.get("retry_times", 0) >= request.meta.get(
            "max_retry_times", self.retry_times
        ):
            return response  # no retry follows: nothing to wait for
        header = response.headers.get("Retry-After")
        wait = retry_after(header.decode("latin-1") if header else None)
        if wait:
            wait = min(wait, self.cap)
            logger.info("%s answered %d: retrying in %.0f s (Retry-After)",
                        request.url, response.status, wait)  # fmt: skip
            self.crawler.stats.inc_value(WAITS_STAT)
            self._pause_host(request, wait)
            await sleep(wait)
        return response

    def _pause_host(self, request, wait: float) -> None:
        """Hold the host's download slot: its next request waits ``wait`` seconds."""
        downloader = self.crawler.engine.downloader
        slot = downloader.slots.get(downloader.get_slot_key(request))
        if slot is not None:
            slot.lastseen = max(slot.lastseen, monotonic() + wait - slot.download_delay())
