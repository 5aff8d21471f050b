"""A spider that is generic over site profiles; each CMS family subclasses it."""

from __future__ import annotations

from datetime import UTC, datetime

import scrapy
from scrapy.exceptions import IgnoreRequest
from scrapy.spidermiddlewares.httperror import HttpError

from scraper.failures import record_failure
from scraper.items import ReleaseItem
from scraper.profiles import from_mirror, get_profile
from storage.urls import canonical_url

BROKEN_PROFILE_STAT = "pressarchiv/broken_listing_pages"
SKIPPED_STAT = "pressarchiv/skipped"


class ProfileSpider(scrapy.Spider):
    """Walks a site's listing pages and yields every release page it links to.

    ``parse`` reads a listing page, ``parse_release`` assembles the item; each listing
    field has its own ``_parse_<field>`` so that a family can override just one of them.
    """

    family: str = ""

    def __init__(self, site=None, base_url=None, max_releases=None, sites_dir=None, **kwargs):
        super().__init__(**kwargs)
        if not site:
            raise ValueError(f"spider {self.name} needs a site: -a site=<id>")
        self.profile = get_profile(site, sites_dir)
        if self.family and self.profile.family != self.family:
            raise ValueError(f"site {site} is of family {self.profile.family}, not {self.family}")
        self.base_url = base_url or None
        self.max_releases = int(max_releases) if max_releases else None
        self.releases_requested = 0

    @property
    def listing_rules(self) -> dict:
        return self.profile.listing

    async def start(self):
        for url in self.profile.absolute_start_urls(self.base_url):
            yield scrapy.Request(url, callback=self.parse, errback=self.on_error)

    def parse(self, response):
        """A listing page: one request per release card, then the next page."""
        cards = self._parse_cards(response)
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
            if self._limit_reached():
                return
            link = self._parse_link(card, response)
            if not link:
                continue
            self.releases_requested += 1
            yield scrapy.Request(
                link,
                callback=self.parse_release,
                errback=self.on_error,
                cb_kwargs={"listing": self._parse_card(card)},
            )
        next_page = self._parse_next(response)
        if next_page and not self._limit_reached():
            yield scrapy.Request(next_page, callback=self.parse, errback=self.on_error)

    def parse_release(self, response, listing):
        """A release page, kept as fetched; the pipelines normalise it."""
        return ReleaseItem(
            site=self.profile.id,
            url=self._real_url(response.url),
            fetched_url=response.url,
            fetched_at=datetime.now(UTC),
            status=response.status,
            html=response.body,
            encoding=getattr(response, "encoding", None),
            listing=listing,
        )

    def on_error(self, failure):
        request = failure.request
        if failure.check(IgnoreRequest) and not failure.check(HttpError):
            self.crawler.stats.inc_value(SKIPPED_STAT)
            self.logger.info("skipped %s: %s", request.url, failure.getErrorMessage())
            return
        if failure.check(HttpError):
            reason = f"HTTP {failure.value.response.status}"
        else:
            reason = f"{failure.type.__name__}: {failure.getErrorMessage()}"
        record_failure(self.crawler, request.url, reason)

    def _limit_reached(self) -> bool:
        return self.max_releases is not None and self.releases_requested >= self.max_releases

    def _real_url(self, url: str) -> str:
        return from_mirror(url, self.base_url) if self.base_url else url

    def _parse_cards(self, response):
        """The release cards of a listing page (a family may read them from JSON)."""
        return response.css(self.listing_rules["card"])

    def _parse_link(self, card, response) -> str | None:
        href = card.css(self.listing_rules["link"]).get()
        return canonical_url(response.urljoin(href.strip())) if href else None

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
