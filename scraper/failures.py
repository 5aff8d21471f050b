"""What a crawl did not store, and why: failures and skips, logged and kept for the log.

A **failure** is a page that should have become a release and did not (a server error, an
empty page, a redirect loop, a page too large, a page without a date): it makes the run
``finished with failures`` (exit status 3). A **skip** is a link the crawl refused to
follow on purpose (another host, a ``mailto:`` link, robots.txt): recorded with its
reason, but not an error. Both are written to the crawl log (``pressarchiv runs ID``).
"""

from __future__ import annotations

import logging
import re

from scrapy.exceptions import IgnoreRequest
from scrapy.spidermiddlewares.httperror import HttpError

from scraper.middlewares.robots import RobotsForbidden, RobotsUnavailable
from scraper.middlewares.scope import OutOfScope, RedirectLoop
from scraper.scope import one_line

logger = logging.getLogger("pressarchiv.failures")

FAILED_STAT = "pressarchiv/failed"
SKIPPED_STAT = "pressarchiv/skipped"
FAILURES_STAT = "pressarchiv/failures"  # failures and skips, in the order they happened


def _keep(crawler, url: str, reason: str, kind: str) -> None:
    failures = crawler.stats.get_value(FAILURES_STAT) or []
    failures.append({"url": url, "reason": reason, "kind": kind})
    crawler.stats.set_value(FAILURES_STAT, failures)


def record_failure(crawler, url: str, reason: str) -> None:
    """Log one failed page and keep it in the crawler's stats."""
    logger.warning("failed %s: %s", _short(url), reason)
    crawler.stats.inc_value(FAILED_STAT)
    _keep(crawler, url, reason, "failed")


def record_skip(crawler, url: str, reason: str) -> None:
    """Log one link the crawl refused to follow and keep it in the crawler's stats."""
    logger.info("skipped %s: %s", _short(url), reason)
    crawler.stats.inc_value(SKIPPED_STAT)
    _keep(crawler, url, reason, "skipped")


def _short(url: str, limit: int = 200) -> str:
    return url if len(url) <= limit else url[:limit] + "…"


_MAXSIZE = re.compile(r"max(?:imum)? ?size|DOWNLOAD_MAXSIZE", re.IGNORECASE)


def _megabytes(size) -> str:
    return f"{int(size) / 1_000_000:g} MB"


def _redirects(request, message: str) -> str:
    chain = [*request.meta.get("redirect_urls", []), request.url]
    if len(set(chain)) < len(chain):
        return f"redirect loop ({len(chain) - 1} redirects: {chain[0]} -> {chain[1]} -> ...)"
    return f"too many redirects ({len(chain) - 1}, {message})"


def _too_large(request, message: str, maxsize: int | None) -> str:
    limit = request.meta.get("download_maxsize", maxsize)
    limit = f" (limit {_megabytes(limit)})" if limit else ""
    if "decompressed" in message:
        return f"body larger than the size limit once decompressed{limit}: decompression bomb?"
    return f"response larger than the size limit{limit}"


def describe_failure(failure, maxsize: int | None = None) -> tuple[str, str, bool, int | None]:
    """``(url, reason, skipped, status)`` for a failed request: ``skipped`` when the crawl
    refused it on purpose (another host, robots.txt), ``status`` for an HTTP error.

    ``url`` is where the link pointed (the first URL of a redirect chain); ``maxsize`` the
    crawl's ``DOWNLOAD_MAXSIZE``, named in the reason when a response exceeded it.
    """
    request = failure.request
    url = (request.meta.get("redirect_urls") or [request.url])[0]
    message = failure.getErrorMessage()
    if failure.check(OutOfScope, RobotsForbidden):
        return url, message, True, None
    if failure.check(RedirectLoop, RobotsUnavailable):
        return url, message, False, None
    if failure.check(HttpError):
        status = failure.value.response.status
        return url, f"HTTP {status}", False, status
    if failure.check(IgnoreRequest):
        if "redirection" in message:
            return url, _redirects(request, message), False, None
        if _MAXSIZE.search(message):
            return url, _too_large(request, message, maxsize), False, None
        return url, f"refused: {message}", False, None
    if _MAXSIZE.search(message):
        return url, _too_large(request, message, maxsize), False, None
    if "DataLoss" in type(failure.value).__name__:
        return url, "body cut short: the connection ended before the promised length", False, None
    return url, one_line(failure.value), False, None
