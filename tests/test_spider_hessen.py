"""The Hessen spider on a saved listing page: one small test per listing field."""

from __future__ import annotations

import pytest
import scrapy
from conftest import file_response
from scrapy.utils.test import get_crawler

from scraper.spiders import HessenSpider

MIRROR = "http://127.0.0.1:8000"
LISTING_URL = f"{MIRROR}/soziales.hessen.de/presse?page=0"


@pytest.fixture(scope="module")
def spider():
    crawler = get_crawler(HessenSpider)
    return HessenSpider.from_crawler(crawler, site="hessen-soziales", base_url=MIRROR)


@pytest.fixture(scope="module")
def requests(spider):
    response = file_response("hessen/hessen-soziales-listing-page-0.html", url=LISTING_URL)
    return list(spider.parse(response))


@pytest.fixture(scope="module")
def release_requests(spider, requests):
    return [r for r in requests if r.callback == spider.parse_release]


def test_every_card_becomes_a_release_request(release_requests):
    assert len(release_requests) == 10


def test_links_are_absolute_and_stay_on_the_mirror(release_requests):
    for request in release_requests:
        assert request.url.startswith(f"{MIRROR}/soziales.hessen.de/")


def test_tracking_parameters_are_dropped_before_fetching(release_requests):
    assert not [r.url for r in release_requests if "utm_" in r.url]


def test_every_request_names_its_site(requests):
    assert {r.meta["site"] for r in requests} == {"hessen-soziales"}


def test_listing_date(release_requests):
    dates = [r.cb_kwargs["listing"]["date"] for r in release_requests]
    assert all(len(d) == 10 and d[2] == d[5] == "." for d in dates)


def test_listing_publisher(release_requests):
    assert {r.cb_kwargs["listing"]["publisher"] for r in release_requests} == {"HMSI"}


def test_listing_title(release_requests):
    assert all(r.cb_kwargs["listing"]["title"] for r in release_requests)


def test_next_page_follows_the_drupal_pager(spider, requests):
    pages = [r for r in requests if r.callback == spider.parse]
    assert [r.url for r in pages] == [f"{MIRROR}/soziales.hessen.de/presse?page=1"]


def test_release_item_keeps_the_real_site_url(spider):
    response = file_response(
        "hessen/integrationskonferenz-in-wetzlar.html",
        url=f"{MIRROR}/soziales.hessen.de/presse/pressearchiv/integrationskonferenz-in-wetzlar",
    )
    item = spider.parse_release(response, listing={"date": "25.09.2018"})
    assert (
        item["url"]
        == "https://soziales.hessen.de/presse/pressearchiv/integrationskonferenz-in-wetzlar"
    )
    assert item["fetched_url"] == response.url
    assert item["html"] == response.body


def test_a_relaunched_listing_is_reported_not_ignored(spider):
    response = scrapy.http.HtmlResponse(
        url=LISTING_URL, body=b"<html><body><div class='teaser'>neu</div></body></html>"
    )
    assert list(spider.parse(response)) == []
    assert spider.crawler.stats.get_value("pressarchiv/failed") == 1
