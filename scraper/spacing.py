"""A host's delay counted from its answer (a Scrapy extension, on in every crawl).

Scrapy spaces requests to one host by the moment it *chooses* the next one; the request is
written to the socket later, when the reactor gets to it. A long synchronous step in between
(a batch stored in a busy database) let a site see two requests a few milliseconds apart
although the delay was a second (measured on the large replica with PostgreSQL under load).
``DelayAfterAnswer`` moves the slot's clock to the moment each answer arrives, so the next
request to that host starts at least ``DOWNLOAD_DELAY`` after the site finished answering.
"""

from __future__ import annotations

from time import monotonic

from scrapy import signals


class DelayAfterAnswer:
    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        extension = cls(crawler)
        crawler.signals.connect(extension.downloaded, signal=signals.response_downloaded)
        return extension

    def downloaded(self, response, request, spider) -> None:
        """Runs before the downloader chooses the host's next request."""
        downloader = self.crawler.engine.downloader
        slot = downloader.slots.get(request.meta.get(downloader.DOWNLOAD_SLOT, ""))
        if slot is not None and slot.download_delay():
            slot.lastseen = max(slot.lastseen, monotonic())
