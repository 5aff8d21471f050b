"""One spider per CMS family; the sites themselves are data (see scraper/sites/)."""

from scraper.profiles import ProfileError
from scraper.spiders.base import ProfileSpider
from scraper.spiders.bund import BundesregierungSpider
from scraper.spiders.gsb import GovernmentSiteBuilderSpider
from scraper.spiders.hessen import HessenSpider
from scraper.spiders.niedersachsen import NiedersachsenSpider
from scraper.spiders.nrw import NrwSpider
from scraper.spiders.sachsen_anhalt import SachsenAnhaltSpider

SPIDERS = {
    spider.family: spider
    for spider in (
        BundesregierungSpider,
        GovernmentSiteBuilderSpider,
        HessenSpider,
        NiedersachsenSpider,
        NrwSpider,
        SachsenAnhaltSpider,
    )
}


def spider_for(family: str) -> type[ProfileSpider]:
    """The spider class that crawls sites of this CMS family."""
    try:
        return SPIDERS[family]
    except KeyError:
        known = ", ".join(sorted(SPIDERS))
        raise ProfileError(f"no spider for CMS family {family!r} (known: {known})") from None
