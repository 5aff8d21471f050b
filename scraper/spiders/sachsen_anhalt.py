"""Sachsen-Anhalt's ministry press pages."""

from scraper.spiders.base import ProfileSpider


class SachsenAnhaltSpider(ProfileSpider):
    name = "sachsen-anhalt"
    family = "sachsen-anhalt"
