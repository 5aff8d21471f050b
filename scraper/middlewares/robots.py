"""robots.txt as RFC 9309 says: a 4xx means no rules (allow), a 5xx or an unreachable
file means complete disallow. Scrapy's middleware reads a 5xx answer's body as rules
(usually: allow everything) and logs a traceback when the file cannot be fetched.

A refused request raises ``IgnoreRequest`` with a message that says why (the spider
records it as a skip), e.g. ``forbidden by robots.txt (robots.txt answered HTTP 500:
complete disallow, RFC 9309)``.
"""

from __future__ import annotations

import logging

from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request
from scrapy.http.request import NO_CALLBACK
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.defer import Deferred

logger = logging.getLogger(__name__)


class _Verdict:
    """A robots parser that answers the same for every URL."""

    def __init__(self, allow: bool):
        self.allow = allow

    def allowed(self, url, user_agent) -> bool:
        return self.allow


class RobotsForbidden(IgnoreRequest):
    """A request robots.txt does not allow (a skip, not a failure)."""


class RobotsUnavailable(IgnoreRequest):
    """A request refused because robots.txt answered 5xx or could not be fetched: the site
    is failing, so this is a failure of the page, not a skip."""


class RobotsMiddleware(RobotsTxtMiddleware):
    def __init__(self, crawler):
        super().__init__(crawler)
        self._why: dict[str, str] = {}  # netloc -> why everything is disallowed

    async def robot_parser(self, request):
        netloc = urlparse_cached(request).netloc
        if netloc not in self._parsers:
            self._parsers[netloc] = Deferred()
            url = urlparse_cached(request)
            robots = Request(f"{url.scheme}://{netloc}/robots.txt", priority=self.DOWNLOAD_PRIORITY,
                             meta={"dont_obey_robotstxt": True}, callback=NO_CALLBACK)  # fmt: skip
            try:
                response = await self.crawler.engine.download_async(robots)
            except Exception as exc:  # noqa: BLE001 (any failure to fetch it means disallow)
                self._disallow(netloc, f"robots.txt unreachable ({_one_line(exc)})")
            else:
                if response.status >= 500:
                    self._disallow(netloc, f"robots.txt answered HTTP {response.status}")
                else:
                    if response.status >= 400:  # no robots.txt: no rules
                        response = response.replace(body=b"")
                    await self._parse_robots(response, netloc, request)
            self._stats.inc_value("robotstxt/request_count")
        parser = self._parsers[netloc]
        if isinstance(parser, Deferred):
            return await maybe_deferred_to_future(parser)
        return parser

    def _disallow(self, netloc: str, why: str) -> None:
        why += ": complete disallow (RFC 9309)"
        logger.warning("%s for %s", why, netloc)
        self._why[netloc] = why
        deferred = self._parsers[netloc]
        self._parsers[netloc] = _Verdict(False)
        deferred.callback(self._parsers[netloc])

    def process_request_2(self, rp, request) -> None:
        try:
            super().process_request_2(rp, request)
        except IgnoreRequest:
            why = self._why.get(urlparse_cached(request).netloc)
            if why:
                raise RobotsUnavailable(f"not fetched: {why}") from None
            raise RobotsForbidden("forbidden by robots.txt") from None


def _one_line(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__
