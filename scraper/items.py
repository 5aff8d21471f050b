"""The item a spider yields for one fetched release page; pipelines fill in the fields."""

from __future__ import annotations

import scrapy

from scraper.normalise.record import FIELDS as RECORD_FIELDS

PROVENANCE_FIELDS = ("profile", "sources", "flags")


class ReleaseItem(scrapy.Item):
    """A release page as fetched (set by the spider) and as normalised (set by pipelines)."""

    site = scrapy.Field()
    url = scrapy.Field()  # the real-site URL, canonicalised by the dedupe pipeline
    fetched_url = scrapy.Field()  # where the bytes came from (the site or a mirror)
    fetched_at = scrapy.Field()
    status = scrapy.Field()
    html = scrapy.Field()  # raw bytes of the page
    encoding = scrapy.Field()
    content_type = scrapy.Field()  # the Content-Type header: its charset decides the decoding
    listing = scrapy.Field()  # what the listing card said: date, publisher, title
    etag = scrapy.Field()  # the response's validators, sent back by the next crawl
    last_modified = scrapy.Field()
    warc = scrapy.Field()  # the page's WARC response record: {"file", "offset", "digest"}
    attachments = scrapy.Field()  # PDFs linked from the page (scraper.attachments)
    locals().update({name: scrapy.Field() for name in RECORD_FIELDS + PROVENANCE_FIELDS})


class CheckItem(scrapy.Item):
    """A known release re-fetched without a new text: ``304`` (unchanged), ``404``/``410``
    (withdrawn). Only the store pipeline acts on it."""

    site = scrapy.Field()
    url = scrapy.Field()
    fetched_url = scrapy.Field()
    fetched_at = scrapy.Field()
    status = scrapy.Field()
