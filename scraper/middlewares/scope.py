"""Refuse every request outside the crawled site (``scraper.scope``), with its reason.

It also ends a redirect loop (a redirect back to a URL of its own chain; the scheduler lets
redirects pass its duplicate filter, see ``RedirectsPassFilter``) as a failure.
It sits before the robots.txt middleware, so a refused host is not even asked for its
``robots.txt``; and every redirect and meta refresh comes back through it as a new
request. A refusal is an ``OutOfScope`` (an ``IgnoreRequest``) whose message is the
reason; the spider's errback records it as a skip in the crawl log.
"""

from __future__ import annotations

from scrapy.dupefilters import RFPDupeFilter
from scrapy.exceptions import IgnoreRequest

from scraper.scope import Scope

REFUSED_STAT = "pressarchiv/out_of_scope"


class OutOfScope(IgnoreRequest):
    """A request the crawl refused to send: another host, scheme or mirror folder."""


class RedirectLoop(IgnoreRequest):
    """A redirect or meta refresh back to a URL of its own chain (a failure)."""


class ScopeMiddleware:
    def __init__(self, crawler):
        self.crawler = crawler
        self._scopes: dict[int, Scope] = {}

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def scope(self) -> Scope | None:
        spider = self.crawler.spider
        profile = getattr(spider, "profile", None)
        if profile is None:
            return None
        key = id(spider)
        if key not in self._scopes:
            self._scopes[key] = Scope.of(profile, getattr(spider, "base_url", None))
        return self._scopes[key]

    def process_request(self, request):
        chain = request.meta.get("redirect_urls") or []
        if request.url in chain:
            hops = [*chain, request.url]
            raise RedirectLoop(f"redirect loop ({len(chain)} redirects: {' -> '.join(hops)})")
        scope = self.scope()
        reason = scope.refusal(request.url) if scope else None
        if reason:
            self.crawler.stats.inc_value(REFUSED_STAT)
            raise OutOfScope(_with_origin(request, reason))
        return None


def _with_origin(request, reason: str) -> str:
    """The reason, saying where a redirect or refresh came from."""
    chain = request.meta.get("redirect_urls")
    return f"{reason} (redirected from {chain[-1]})" if chain else reason


class RedirectsPassFilter(RFPDupeFilter):
    """Scrapy's duplicate filter, except for redirects: a redirect to a URL seen before
    would vanish without a word; let it through, so that a loop is seen and recorded."""

    def request_seen(self, request) -> bool:
        if request.meta.get("redirect_urls"):
            return False
        return super().request_seen(request)
