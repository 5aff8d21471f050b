"""A spider that is generic over site profiles; each CMS family subclasses it."""

from __future__ import annotations

from datetime import UTC, datetime

import scrapy
from scrapy.http import HtmlResponse, TextResponse

from scraper import attachments
from scraper.evidence import warc_pointer
from scraper.failures import describe_failure, record_failure, record_skip
from scraper.items import CheckItem, ReleaseItem
from scraper.normalise.source import decode, is_binary
from scraper.profiles import from_mirror, get_profile, to_mirror
from scraper.scope import Scope, one_line
from scraper.spiders.recheck import Rechecks
from scraper.spiders.walk import GONE, Walk, as_day, as_flag
from storage.crawlstate import SiteState, load_site_state
from storage.urls import canonical_url

BROKEN_PROFILE_STAT = "pressarchiv/broken_listing_pages"
RUN_STAT = "pressarchiv/run_id"
LISTING_CAP_STAT = "pressarchiv/listing_cap_reached"


def describe_mode(full=False, since=None, until=None, max_releases=None) -> str:
    """A run's mode as the crawl log shows it, e.g. ``incremental`` or ``full since 2024-01-01``."""
    parts = ["full" if full else "incremental"]
    parts += [f"{name} {value}" for name, value in
              (("since", since), ("until", until), ("max", max_releases)) if value]  # fmt: skip
    return " ".join(parts)


class ProfileSpider(scrapy.Spider):
    """Walks a site's listing pages and yields every release page it links to.

    ``parse`` reads a listing page, ``parse_release`` assembles the item; each listing
    field has its own ``_parse_<field>`` so that a family can override just one of them.
    Incremental by default (see ``scraper.spiders.walk``): known releases are fetched with
    conditional requests; ``full``, ``since``, ``until`` and ``known_limit`` change the walk.
    """

    family: str = ""

    def __init__(self, site=None, base_url=None, max_releases=None, sites_dir=None,
                 full=False, since=None, until=None, known_limit=None, max_listing_pages=None,
                 **kwargs):  # fmt: skip
        super().__init__(**kwargs)
        if not site:
            raise ValueError(f"spider {self.name} needs a site: -a site=<id>")
        self.profile = get_profile(site, sites_dir)
        if self.family and self.profile.family != self.family:
            raise ValueError(f"site {site} is of family {self.profile.family}, not {self.family}")
        self.base_url = base_url or None
        self.max_releases = int(max_releases) if max_releases else None
        self.releases_requested = 0
        self.full = as_flag(full)
        self.since, self.until = as_day(since, "since"), as_day(until, "until")
        self.known_limit = int(known_limit) if known_limit else None
        self.max_listing_pages = int(max_listing_pages) if max_listing_pages else None
        self.listing_pages = 0
        self.scope = Scope.of(self.profile, self.base_url)
        # nothing known until ``start`` reads the archive: walk everything
        self.walk = Walk(SiteState({}, {}, complete=False), self.full, self.since, self.until)

    @property
    def mode(self) -> str:
        return describe_mode(self.full, self.since, self.until, self.max_releases)

    @property
    def swept(self) -> bool:
        """The listing was walked completely, so the next run may stop early."""
        return self.walk.swept and not self._limit_reached()

    @property
    def listing_rules(self) -> dict:
        return self.profile.listing

    async def start(self):
        settings = self.crawler.settings
        state = load_site_state(
            settings["PRESSARCHIV_DB"], self.profile.id, self.crawler.stats.get_value(RUN_STAT)
        )
        limit = self.known_limit or settings.getint("PRESSARCHIV_KNOWN_LIMIT")
        self.walk = Walk(state, self.full, self.since, self.until, limit)
        if self.max_listing_pages is None and not (self.full or self.walk.bounded):
            self.max_listing_pages = settings.getint("PRESSARCHIV_MAX_LISTING_PAGES") or None
        if not (self.full or self.walk.bounded or self.max_releases):
            self.rechecks = Rechecks(self, self.crawler.stats.get_value(RUN_STAT))
        for url in self.profile.absolute_start_urls(self.base_url):
            yield self._listing_request(url)

    def _listing_request(self, url: str) -> scrapy.Request:
        self.listing_pages += 1
        return scrapy.Request(url, callback=self.parse, errback=self.on_error,
                              meta={"site": self.profile.id})  # fmt: skip

    def parse(self, response):
        """A listing page: one request per release card, then the next page.

        A card whose link cannot be followed (another host, ``mailto:``, a broken URL)
        is recorded as a skip and costs nothing but itself.
        """
        response = _as_text(response)
        if not isinstance(response, TextResponse):
            content_type = response.headers.get("Content-Type", b"").decode("latin-1")
            record_failure(
                self.crawler,
                response.url,
                f"listing page is not a text page ({content_type or 'no type'})",
            )
            return  # fmt: skip
        try:
            cards = self._parse_cards(response)
        except Exception as exc:  # noqa: BLE001 (a page no selector can read)
            record_failure(self.crawler, response.url, f"listing unreadable: {one_line(exc)}")
            return
        if not cards:
            self.crawler.stats.inc_value(BROKEN_PROFILE_STAT)
            record_failure(
                self.crawler,
                response.url,
                f"profile {self.profile.id}: listing selector {self.listing_rules['card']!r} "
                "matched no release cards",
            )
            return
        for card in cards:
            if self._limit_reached() or self.walk.stopped:
                return
            request = self._card_request(card, response)
            if request is not None:
                yield request
        next_page = self._follow(response, self._parse_next)
        if self._limit_reached():
            return
        if next_page:
            if self.walk.follow_next(self.listing_rules.get("order") != "unsorted"):
                if self._listing_cap_reached(next_page):
                    return
                yield self._listing_request(next_page)
            return
        self.walk.ended = True
        if self.full:  # known releases the listing no longer shows: still there?
            for url in self.walk.unlisted():
                yield self.recheck_request(url)

    def _card_request(self, card, response) -> scrapy.Request | None:
        """The request for one listing card's release, or None (recorded why)."""
        try:
            listing = self._parse_card(card)
        except Exception as exc:  # noqa: BLE001 (one odd card never costs the page)
            record_failure(self.crawler, response.url, f"listing card unreadable: {one_line(exc)}")
            return None
        raw = card.css(self.listing_rules["link"]).get() if "link" in self.listing_rules else None
        link = self._follow(response, lambda r: self._parse_link(card, r), raw)
        if not link:
            if link is None:
                what = listing.get("title") or "untitled card"
                record_skip(self.crawler, response.url, f"listing card without a link ({what})")
            return None
        if not self.walk.card(self._real_url(link), listing):
            return None
        self.releases_requested += 1
        return self._release_request(link, listing)

    def _follow(self, response, parse_link, raw: str | None = None) -> str | None:
        """A link of the page as a URL of this crawl, or None / "" (refused, recorded)."""
        try:
            link = parse_link(response)
        except ValueError as exc:  # e.g. broken IPv6 or a bad port
            where = (raw or "").strip()[:300] or response.url
            record_skip(self.crawler, where, f"invalid link: {one_line(exc)}")
            return ""
        if not link:
            return link
        if self.base_url and self.scope.mirror and self._on_real_site(link):
            link = to_mirror(link, self.base_url)
        reason = self.scope.refusal(link)
        if reason:
            record_skip(self.crawler, link, reason)
            return ""
        return link

    def _on_real_site(self, url: str) -> bool:
        """An absolute link to the real site while crawling its mirror."""
        return not Scope.of(self.profile).refusal(url)

    def _listing_cap_reached(self, next_page: str) -> bool:
        cap = self.max_listing_pages
        if cap is None or self.listing_pages < cap:
            return False
        self.crawler.stats.set_value(LISTING_CAP_STAT, cap)
        record_skip(
            self.crawler,
            next_page,
            f"listing page cap reached: {cap} listing pages walked this run "
            "(--max-listing-pages); the rest of the listing waits for a --full run",
        )
        return True  # fmt: skip

    def recheck_request(self, url: str) -> scrapy.Request:
        """A known release (its real-site URL) asked for again, conditionally."""
        return self._release_request(to_mirror(url, self.base_url) if self.base_url else url)

    def _release_request(self, url: str, listing: dict | None = None) -> scrapy.Request:
        """A release page; a known one conditionally, its 304/404/410 answers handled."""
        meta = {"site": self.profile.id}  # every request names its site, as every item does
        if self.walk.knows(self._real_url(url)):
            meta["handle_httpstatus_list"] = [304, *GONE]
        return scrapy.Request(
            url,
            callback=self.parse_release,
            errback=self.on_error,
            headers=self.walk.conditional(self._real_url(url)),
            meta=meta,
            cb_kwargs={"listing": listing},
        )

    def parse_release(self, response, listing):
        """A release page, kept as fetched; the pipelines normalise it.

        The item waits for the page's PDF attachments (``scraper.attachments``). A known
        release answering 304 (unchanged) or 404/410 (withdrawn) gives a ``CheckItem``.
        """
        if response.status == 304 or response.status in GONE:
            return CheckItem(site=self.profile.id, url=self._real_url(response.url),
                             fetched_url=response.url, fetched_at=datetime.now(UTC),
                             status=response.status)  # fmt: skip
        response = _as_text(response)
        problem = _unreadable(response)
        if problem:
            record_failure(self.crawler, response.url, problem)
            return None
        item = ReleaseItem(
            site=self.profile.id,
            url=self._real_url(response.url),
            fetched_url=response.url,
            fetched_at=datetime.now(UTC),
            status=response.status,
            html=response.body,
            encoding=getattr(response, "encoding", None),
            content_type=response.headers.get("Content-Type", b"").decode("latin-1") or None,
            listing=listing,
            etag=response.headers.get("ETag", b"").decode("latin-1") or None,
            last_modified=response.headers.get("Last-Modified", b"").decode("latin-1") or None,
            warc=warc_pointer(response),
        )
        return attachments.follow(response, item, self)

    async def parse_attachment(self, response):
        """A PDF linked from a release page (see ``scraper.attachments``)."""
        return await attachments.on_attachment(response, self._real_url(response.url), self)

    def attachment_failed(self, failure):
        return attachments.on_failure(failure, self)

    def on_error(self, failure):
        """A request that brought no page: recorded as a skip (refused on purpose: another
        host, robots.txt) or as a failure with its reason."""
        request = failure.request
        maxsize = self.settings.getint("DOWNLOAD_MAXSIZE")
        url, reason, skipped, status = describe_failure(failure, maxsize)
        if skipped:
            record_skip(self.crawler, url, reason)
            return
        if request.callback == self.parse_release and (status is None or status >= 500):
            self.walk.missed = True  # worth another try: the next run walks to it again
        record_failure(self.crawler, url, reason)

    def _limit_reached(self) -> bool:
        return self.max_releases is not None and self.releases_requested >= self.max_releases

    def _real_url(self, url: str) -> str:
        return from_mirror(url, self.base_url) if self.base_url else url

    def _parse_cards(self, response):
        """The release cards of a listing page (a family may read them from JSON)."""
        return response.css(self.listing_rules["card"])

    def _parse_link(self, card, response) -> str | None:
        href = card.css(self.listing_rules["link"]).get()
        return canonical_url(response.urljoin(href.strip())) if href and href.strip() else None

    def _parse_card(self, card) -> dict:
        return {
            "date": self._parse_listing_text(card, "date"),
            "publisher": self._parse_listing_text(card, "publisher"),
            "title": self._parse_listing_text(card, "title"),
        }

    def _parse_listing_text(self, card, key: str) -> str | None:
        selector = self.listing_rules.get(key)
        if not selector:
            return None
        text = " ".join(t.strip() for t in card.css(selector).getall() if t.strip())
        return text or None

    def _parse_next(self, response) -> str | None:
        selector = self.listing_rules.get("next")
        href = response.css(selector).get() if selector else None
        return response.urljoin(href) if href else None


def _as_text(response):
    """A page Scrapy took for binary because the server named no type (UTF-16 with its byte
    order mark, a NUL in its head) is read as HTML when its bytes decode to text."""
    if isinstance(response, TextResponse) or response.headers.get("Content-Type"):
        return response
    if is_binary(decode(response.body[:65536]).text):
        return response
    return response.replace(cls=HtmlResponse)


def _unreadable(response) -> str | None:
    """Why a release page's response cannot be a release at all, or None."""
    if not isinstance(response, TextResponse):
        content_type = response.headers.get("Content-Type", b"").decode("latin-1")
        return f"not a text page (Content-Type: {content_type or 'none'})"
    if not response.body.strip():
        return f"empty response (HTTP {response.status}, {len(response.body)} bytes)"
    return None
