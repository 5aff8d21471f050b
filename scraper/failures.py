"""Failures of a crawl: logged with URL and reason, counted, kept for the summary."""

from __future__ import annotations

import logging

logger = logging.getLogger("pressarchiv.failures")

FAILED_STAT = "pressarchiv/failed"
FAILURES_STAT = "pressarchiv/failures"


def record_failure(crawler, url: str, reason: str) -> None:
    """Log one failed page and keep it in the crawler's stats."""
    logger.warning("failed %s: %s", url, reason)
    stats = crawler.stats
    stats.inc_value(FAILED_STAT)
    failures = stats.get_value(FAILURES_STAT) or []
    failures.append({"url": url, "reason": reason})
    stats.set_value(FAILURES_STAT, failures)
