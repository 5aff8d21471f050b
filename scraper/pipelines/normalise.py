"""Turn a fetched release page into the normalised fields."""

from __future__ import annotations

from itemadapter import ItemAdapter

from scraper.items import CheckItem
from scraper.normalise import normalise_html
from scraper.profiles import load_profiles


class NormalisePipeline:
    def __init__(self, sites_dir=None):
        self.profiles = load_profiles(sites_dir)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.settings.get("PRESSARCHIV_SITES_DIR"))

    def process_item(self, item):
        if isinstance(item, CheckItem):  # a 304/404/410: nothing to read
            return item
        adapter = ItemAdapter(item)
        profile = self.profiles[adapter["site"]]
        fetched = adapter.get("fetched_at")
        record = normalise_html(
            adapter["html"], url=adapter["url"], profile=profile, listing=adapter.get("listing"),
            content_type=adapter.get("content_type"), fetched=fetched.date() if fetched else None,
        )  # fmt: skip
        for key, value in record.to_dict().items():
            adapter[key] = value
        return item
