"""Check one site profile against the live site (or a mirror): one listing, one release."""

from __future__ import annotations

import urllib.error
import urllib.request
from dataclasses import dataclass, field
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

import scrapy
from scrapy.http import Headers
from scrapy.responsetypes import responsetypes
from scrapy.utils.test import get_crawler

from scraper.failures import FAILURES_STAT
from scraper.normalise import normalise_html
from scraper.profiles import Profile
from scraper.settings import user_agent
from scraper.spiders import spider_for


class CheckError(Exception):
    """The check could not fetch what it needed."""


@dataclass
class CheckReport:
    """What one listing page and its first release gave, field by field."""

    listing_url: str
    release_links: int = 0
    next_page: str | None = None
    release_url: str | None = None
    listing_card: dict = field(default_factory=dict)
    fields: dict = field(default_factory=dict)
    provenance: dict = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _fetch(url: str, agent: str) -> scrapy.http.Response:
    robots = RobotFileParser(f"{urlsplit(url).scheme}://{urlsplit(url).netloc}/robots.txt")
    try:
        robots.read()
    except (OSError, urllib.error.URLError) as exc:
        raise CheckError(f"cannot read robots.txt for {url}: {exc}") from None
    if not robots.can_fetch(agent, url):
        raise CheckError(f"robots.txt forbids {url}")
    request = urllib.request.Request(url, headers={"User-Agent": agent})
    try:
        with urllib.request.urlopen(request, timeout=30) as reply:
            body, headers, status = reply.read(), dict(reply.headers), reply.status
    except urllib.error.HTTPError as exc:
        raise CheckError(f"{url}: HTTP {exc.code}") from None
    except (OSError, urllib.error.URLError) as exc:
        raise CheckError(f"{url}: {getattr(exc, 'reason', exc)}") from None
    cls = responsetypes.from_args(headers=Headers(headers), url=url, body=body)
    return cls(url=url, body=body, headers=headers, status=status)


def check_site(profile: Profile, base_url=None, contact=None, sites_dir=None) -> CheckReport:
    """Fetch the first listing page and the first release it links to; report per field."""
    agent = user_agent(contact)
    crawler = get_crawler(spider_for(profile.family))
    spider = crawler.spidercls.from_crawler(
        crawler, site=profile.id, base_url=base_url, sites_dir=sites_dir
    )
    listing_url = profile.absolute_start_urls(base_url)[0]
    report = CheckReport(listing_url=listing_url)
    listing = _fetch(listing_url, agent)
    requests = [r for r in spider.parse(listing) if isinstance(r, scrapy.Request)]
    releases = [r for r in requests if r.callback == spider.parse_release]
    report.release_links = len(releases)
    report.next_page = next((r.url for r in requests if r.callback == spider.parse), None)
    for failure in crawler.stats.get_value(FAILURES_STAT) or []:
        report.problems.append(failure["reason"])
    if not releases:
        report.problems.append("the listing page links to no release")
        return report
    first = releases[0]
    report.release_url = first.url
    report.listing_card = first.cb_kwargs.get("listing", {})
    page = _fetch(first.url, agent)
    record = normalise_html(page.body, url=spider._real_url(first.url), profile=profile,
                            listing=report.listing_card)  # fmt: skip
    report.fields = record.fields()
    report.provenance = {"profile": record.profile, "sources": record.sources,
                         "flags": record.flags}  # fmt: skip
    for name in ("title", "published", "body"):
        if not report.fields.get(name):
            report.problems.append(f"release page gave no {name}")
    if record.profile != profile.id:
        report.problems.append("release selectors did not match; the generic fallback read it")
    return report


def describe(value) -> str:
    """A short, one-line view of a field value for the check report."""
    if value in (None, "", []):
        return "-- (empty)"
    if isinstance(value, dict):
        value = "; ".join(f"{key}={source}" for key, source in value.items())
    elif isinstance(value, list) and all(isinstance(p, dict) for p in value):
        value = "; ".join(f"{p.get('name')} ({p.get('role')})" for p in value)
    elif isinstance(value, list):
        value = ", ".join(map(str, value))
    text = " ".join(str(value).split())
    return text if len(text) <= 90 else text[:87] + "..."
