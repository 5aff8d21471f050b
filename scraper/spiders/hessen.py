"""The hessen.de Drupal platform: every Hessian ministry."""

from scraper.spiders.base import ProfileSpider


class HessenSpider(ProfileSpider):
    name = "hessen-drupal"
    family = "hessen-drupal"
