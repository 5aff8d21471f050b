"""The item a spider yields for one fetched release page; pipelines fill in the fields."""

from __future__ import annotations

import scrapy

RECORD_FIELDS = (
    "kind",
    "number",
    "place",
    "published",
    "kicker",
    "title",
    "subtitle",
    "dateline",
    "body",
    "contact",
    "persons",
    "ministry",
)
PROVENANCE_FIELDS = ("profile", "date_source", "flags")


class ReleaseItem(scrapy.Item):
    """A release page as fetched (set by the spider) and as normalised (set by pipelines)."""

    site = scrapy.Field()
    url = scrapy.Field()  # the real-site URL, canonicalised by the dedupe pipeline
    fetched_url = scrapy.Field()  # where the bytes came from (the site or a mirror)
    fetched_at = scrapy.Field()
    status = scrapy.Field()
    html = scrapy.Field()  # raw bytes of the page
    encoding = scrapy.Field()
    listing = scrapy.Field()  # what the listing card said: date, publisher, title
    locals().update({name: scrapy.Field() for name in RECORD_FIELDS + PROVENANCE_FIELDS})
