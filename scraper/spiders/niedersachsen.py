"""Niedersachsen's ministry portals (<ressort>.niedersachsen.de)."""

from scraper.spiders.base import ProfileSpider


class NiedersachsenSpider(ProfileSpider):
    name = "niedersachsen"
    family = "niedersachsen"
