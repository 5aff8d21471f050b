"""bundesregierung.de (CoreMedia): the listing is a JSON search endpoint with teaser HTML."""

from __future__ import annotations

import json
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from parsel import Selector

from scraper.spiders.base import ProfileSpider


class BundesregierungSpider(ProfileSpider):
    name = "bund-coremedia"
    family = "bund-coremedia"

    def _search_result(self, response) -> dict:
        try:
            data = json.loads(response.text)
        except ValueError:
            return {}
        return data if isinstance(data, dict) else {}

    def _parse_cards(self, response):
        teasers = Selector(text=self._search_result(response).get("html") or "<ul></ul>")
        return teasers.css(self.listing_rules["card"])

    def _parse_next(self, response) -> str | None:
        result = self._search_result(response)
        page, count = result.get("page"), result.get("pageCount")
        if not isinstance(page, int) or not isinstance(count, int) or page >= count:
            return None
        parts = urlsplit(response.url)
        query = dict(parse_qsl(parts.query))
        query["page"] = str(page + 1)
        return urlunsplit(parts._replace(query=urlencode(query)))
