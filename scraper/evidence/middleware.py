"""``WarcMiddleware``: write every downloaded response to the WARC files.

It sits at priority 950, on the downloader side of every built-in downloader middleware
(``HttpCompressionMiddleware`` is 590, ``RedirectMiddleware`` 600, ``HttpCacheMiddleware``
900). Responses pass through ``process_response`` from the downloader outwards, so this
middleware sees each response first: the body still content-encoded (gzip, br) exactly as
the server sent it, every redirect and every retried attempt as its own exchange; and it
sees each request last, with the final headers (user agent, ``Accept-Encoding``) that went
on the wire. Only the transfer encoding (chunking) is already undone by the HTTP client,
so ``Transfer-Encoding`` is kept as ``X-Archive-Orig-Transfer-Encoding``.

The response's pointer (``{"file", "offset", "digest"}``) goes into
``response.meta["warc"]``; a request whose ``cb_kwargs`` carry a ``listing`` gets a
``metadata`` record with it, so that a reparse sees what the listing card said.
"""

from __future__ import annotations

from datetime import UTC, datetime
from http import HTTPStatus
from importlib.metadata import version
from urllib.parse import urlsplit

import scrapy
from scrapy import signals
from scrapy.exceptions import NotConfigured
from warcio.statusandheaders import StatusAndHeaders

from scraper import __version__
from scraper.evidence.paths import warc_dir_for
from scraper.evidence.writer import Exchange, WarcRecorder

RECORDS_STAT = "pressarchiv/warc_records"


def _headers(headers) -> list[tuple[str, str]]:
    pairs = []
    for name, values in headers.items():
        key = name.decode("latin-1")
        if key.lower() == "transfer-encoding":
            key = "X-Archive-Orig-Transfer-Encoding"
        pairs.extend((key, value.decode("latin-1")) for value in values)
    return pairs


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def exchange_of(request, response, fetched_at: datetime) -> Exchange:
    """The exchange of a Scrapy request and its (undecoded) response."""
    parts = urlsplit(request.url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    request_headers = _headers(request.headers)
    if not any(name.lower() == "host" for name, _ in request_headers):
        request_headers.insert(0, ("Host", parts.netloc))
    protocol = response.protocol or "HTTP/1.1"
    return Exchange(
        url=request.url,
        request_head=StatusAndHeaders(
            f"{request.method} {target} HTTP/1.1", request_headers, is_http_request=True
        ),
        request_body=request.body or b"",
        response_head=StatusAndHeaders(
            f"{response.status} {_reason(response.status)}".strip(),
            _headers(response.headers),
            protocol=protocol,
        ),
        response_body=response.body,
        fetched_at=fetched_at,
        ip_address=str(response.ip_address) if response.ip_address else None,
    )


def warcinfo(settings) -> dict:
    """The ``warcinfo`` fields: software, operator, robots policy, user agent."""
    return {
        "software": f"pressarchiv/{__version__} (Scrapy {scrapy.__version__}, "
        f"warcio {version('warcio')})",
        "format": "WARC File Format 1.0",
        "operator": settings.get("PRESSARCHIV_CONTACT") or "operator contact not set",
        "robots": "obey" if settings.getbool("ROBOTSTXT_OBEY") else "ignore",
        "http-header-user-agent": settings.get("USER_AGENT"),
        "description": "press releases and their attachments, fetched by pressarchiv",
    }


class WarcMiddleware:
    """Writes each response (with its request) to the crawl's WARC files."""

    def __init__(self, crawler):
        settings = crawler.settings
        folder = warc_dir_for(settings["PRESSARCHIV_DB"], settings.get("PRESSARCHIV_WARC_DIR"))
        if folder is None:
            raise NotConfigured("no WARC folder for an in-memory archive")
        self.crawler = crawler
        self.known = None
        if settings.getbool("PRESSARCHIV_WARC_REVISITS", True):
            from scraper.evidence.revisits import KnownPayloads
            from storage.engine import make_engine

            self.known = KnownPayloads(make_engine(settings["PRESSARCHIV_DB"]), folder)
        self.recorder = WarcRecorder(
            folder, warcinfo(settings), settings.getint("PRESSARCHIV_WARC_MAX_SIZE"), self.known
        )
        crawler.signals.connect(self.close, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def close(self) -> None:
        self.recorder.close()
        if self.known is not None:
            self.known.close()

    def process_response(self, request, response):
        exchange = exchange_of(request, response, datetime.now(UTC))
        listing = request.cb_kwargs.get("listing")
        pointer = self.recorder.write(exchange, {"listing": listing} if listing else None)
        request.meta["warc"] = pointer.to_dict()
        self.crawler.stats.inc_value(RECORDS_STAT)
        return response
