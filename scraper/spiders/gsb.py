"""Federal ministries on the Government Site Builder (bmas.de style): search-form listings
with a "next" pager link."""

from scraper.spiders.base import ProfileSpider


class GovernmentSiteBuilderSpider(ProfileSpider):
    name = "gsb"
    family = "gsb"
