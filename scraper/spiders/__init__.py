"""One spider per CMS family; the sites themselves are data (see scraper/sites/)."""

from scraper.spiders.base import ProfileSpider
from scraper.spiders.hessen import HessenSpider

SPIDERS = {spider.family: spider for spider in (HessenSpider,)}


def spider_for(family: str) -> type[ProfileSpider]:
    """The spider class that crawls sites of this CMS family."""
    try:
        return SPIDERS[family]
    except KeyError:
        raise ValueError(f"no spider for CMS family {family!r}") from None
