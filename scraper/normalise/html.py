"""Pages -> ordered text blocks of the release region, with roles from the profile's selectors."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from urllib.parse import urlsplit

from lxml import etree
from parsel import Selector

from scraper.profiles import Profile, load_profiles, profile_for_url

from . import generic
from . import text as textmod
from .dates import parse_date
from .layout import Block, build
from .record import Record

BLOCK_TAGS = frozenset({
    "p", "div", "section", "article", "main", "header", "footer", "aside", "nav", "h1", "h2",
    "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "blockquote", "figure",
    "figcaption", "table", "tr", "td", "th", "thead", "tbody", "tfoot", "caption", "pre",
    "address", "hr", "details", "summary", "form", "fieldset", "center",
})  # fmt: skip
ALWAYS_DROP = (
    "script, style, noscript, template, svg, iframe, object, button, select, input, textarea,"
    " figure, figcaption, img, picture, video, audio, [hidden], [aria-hidden=true]"
)
ROLE_ATTR = "data-pressarchiv-role"
_WS = re.compile(r"[ \t\r\n\f]+")
_DATE_ATTRIBUTES = (
    "meta[property='article:published_time']::attr(content)",
    "meta[name='date']::attr(content)",
    "meta[name='dcterms.date']::attr(content)",
    "meta[name='DC.date']::attr(content)",
)


@lru_cache(maxsize=1)
def _profiles() -> dict[str, Profile]:
    return load_profiles()


def find_profile(
    url: str | None, sel: Selector | None = None, profiles: dict[str, Profile] | None = None
) -> Profile | None:
    """The profile for a page: by its URL's host (also on a one-folder-per-host mirror), by
    the page's canonical URL, else by the CMS signature (``[release] signature``, default the
    body selector)."""
    profiles = profiles if profiles is not None else _profiles()
    urls = [url] if url else []
    if sel is not None:
        urls += sel.css("link[rel=canonical]::attr(href), meta[property='og:url']::attr(content)")
        urls = [u if isinstance(u, str) else u.get() for u in urls]
    for candidate in urls:
        found = profile_for_url(candidate, profiles)
        first = urlsplit(candidate).path.lstrip("/").split("/", 1)[0]
        if not found and "." in first:
            found = profile_for_url(f"https://{first}/", profiles)
        if found:
            return found
    if sel is None:
        return None
    for profile in profiles.values():
        signature = profile.release.get("signature") or profile.release.get("body")
        if signature and sel.css(signature):
            return profile
    return None


def _drop(element) -> None:
    """Remove an element but keep its tail text."""
    parent = element.getparent()
    if parent is None:
        return
    if element.tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


class _Collector:
    """Walks an element tree and cuts it into blocks at block-level elements."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.buffer: list[str] = []
        self.role: str | None = None

    def flush(self) -> None:
        text = "".join(self.buffer)
        self.buffer = []
        if text.strip():
            self.blocks.append(Block(text, self.role))

    def walk(self, element, role: str | None = None, pre: bool = False) -> None:
        tag = element.tag if isinstance(element.tag, str) else None
        if tag is not None:
            own_role = element.get(ROLE_ATTR) or role
            tag = tag.lower()
            is_block = tag in BLOCK_TAGS or own_role != role
            pre = pre or tag == "pre"
            if is_block:
                self.flush()
            previous, self.role = self.role, own_role
            if tag == "br":
                self.buffer.append("\n")
            if element.text:
                self.buffer.append(element.text if pre else _WS.sub(" ", element.text))
            for child in element:
                self.walk(child, own_role, pre)
            if is_block:
                self.flush()
            self.role = previous
        if element.tail:
            self.buffer.append(element.tail if pre else _WS.sub(" ", element.tail))


def _first(sel: Selector, query: str | None):
    if not query:
        return None
    found = sel.css(query)
    return found[0] if found else None


def selector_report(html: str, profile: Profile) -> dict[str, int]:
    """How many elements each ``[release]`` selector of ``profile`` matches on a page."""
    sel = Selector(text=html)
    return {
        key: len(sel.css(value))
        for key, value in profile.release.items()
        if isinstance(value, str) and key != "signature_text"
    }


def _attribute_date(sel: Selector, region: Selector, rules: dict, locale: str):
    queries = [rules["date"]] if rules.get("date") else []
    for query in queries:
        for value in sel.css(query).getall():
            found = parse_date(value.strip(), locale)
            if found:
                return found
    for value in region.css("time::attr(datetime)").getall():
        found = parse_date(value.strip(), locale)
        if found:
            return found
    for query in _DATE_ATTRIBUTES:
        found = parse_date((sel.css(query).get() or "").strip(), locale)
        if found:
            return found
    return None


def _locale(sel: Selector, profile: Profile | None) -> str:
    lang = (sel.xpath("/html/@lang").get() or sel.xpath("/html/@xml:lang").get() or "").strip()
    if lang:
        return lang.lower()
    return profile.locale if profile else "de"


@dataclass
class Page:
    """A page read for the layout rules: its release blocks, locale and attribute date."""

    blocks: list[Block]
    locale: str
    attribute_date: date | None


def read_page(
    html: str | bytes, rec: Record, url: str | None = None, profile: Profile | None = None
) -> Page | None:
    """Decode and parse a page, choose its profile, cut its release region into blocks.

    Content problems go into ``rec.flags``; None when there is nothing to read.
    """
    if isinstance(html, bytes):
        if textmod.is_binary(html):
            rec.flag("binary", "not-a-release")
            return None
        html, flags = textmod.decode_bytes(html)
        rec.flag(*flags)
    elif textmod.is_binary(html):
        rec.flag("binary", "not-a-release")
        return None
    if not html or not html.strip():
        rec.flag("empty", "not-a-release")
        return None
    html, repaired = textmod.repair_mojibake(html)
    if repaired:
        rec.flag("mojibake-repaired")
    try:
        sel = Selector(text=html)
    except (ValueError, etree.ParserError):
        sel = None
    if sel is None or sel.root is None or not isinstance(sel.root.tag, str):
        rec.flag("unparseable", "not-a-release")
        return None
    profile = profile or find_profile(url, sel)
    locale = _locale(sel, profile)
    rules = dict(profile.release) if profile else {}
    region = _first(sel, rules.get("main")) or _first(sel, "body") or sel
    matched = bool(profile) and _mark_roles(sel, region, rules)
    if matched:
        rec.profile = profile.id
    else:
        if profile:
            rec.flag("profile-mismatch")
        rules = {}
        region = generic.locate(sel, ROLE_ATTR)
    attribute_date = _attribute_date(sel, region, rules, locale)
    for query in (ALWAYS_DROP, *(rules.get("drop", ()) if matched else generic.DROP)):
        for found in region.css(query):
            if not found.root.xpath(f"boolean(descendant-or-self::*[@{ROLE_ATTR}])"):
                _drop(found.root)
    blocks = _blocks(region)
    if any("\ufffd" in block.text for block in blocks):
        rec.flag("replacement-char")
    if not matched and not region.css(f"[{ROLE_ATTR}=title]"):
        title = generic.page_title(sel)
        if title:
            blocks = _with_title(blocks, title)
    return Page(blocks, locale, attribute_date)


def _mark_roles(sel: Selector, region: Selector, rules: dict) -> bool:
    """Mark the elements the profile's selectors find; False when title or body is missing."""
    title = _first(region, rules.get("title")) or _first(sel, rules.get("title"))
    bodies = region.css(rules["body"]) if rules.get("body") else []
    if title is None or not bodies:
        return False
    title.root.set(ROLE_ATTR, "title")
    for body in bodies:
        body.root.set(ROLE_ATTR, "body")
    for role in ("subtitle", "kicker"):
        found = _first(region, rules.get(role))
        if found is not None:
            found.root.set(ROLE_ATTR, role)
    return True


def normalise_page(
    html: str | bytes,
    url: str | None = None,
    profile: Profile | None = None,
    listing: dict | None = None,
) -> Record:
    """A release page -> Record; ``profile`` chosen by URL or CMS signature when not given."""
    rec = Record()
    page = read_page(html, rec, url, profile)
    if page is None:
        return rec
    return build(page.blocks, rec, page.locale, page.attribute_date, listing)


def page_text(html: str | bytes, url: str | None = None, profile: Profile | None = None) -> str:
    """The release region of a page as plain text, one blank line between blocks."""
    page = read_page(html, Record(), url, profile)
    return "\n\n".join(block.text for block in page.blocks) if page else ""


def _blocks(region: Selector) -> list[Block]:
    collector = _Collector()
    collector.walk(region.root)
    collector.flush()
    blocks = []
    for block in collector.blocks:
        cleaned = textmod.clean_text(block.text)
        if cleaned:
            blocks.append(Block(cleaned, block.role))
    return blocks


def _with_title(blocks: list[Block], title: str) -> list[Block]:
    """Mark the block that repeats the page title, or put the title first."""
    for block in blocks:
        if block.text == title:
            block.role = "title"
            return blocks
    return [Block(title, "title"), *blocks]
