"""Nordrhein-Westfalen's land.nrw Drupal portal: one listing for every ministry."""

from scraper.spiders.base import ProfileSpider


class NrwSpider(ProfileSpider):
    name = "nrw-drupal"
    family = "nrw-drupal"
