"""Pages -> ordered text blocks of the release region, with roles from the profile's selectors."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property, lru_cache

from lxml import etree

from scraper.profiles import Profile, load_profiles, profile_for_url

from . import generic
from . import text as textmod
from .dates import parse_date
from .layout import Block, build
from .record import Record
from .select import Matcher, css, first, matcher, parse

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


def _spaced(text: str) -> str:
    """Source line breaks are spaces in HTML (tabs and runs are folded later)."""
    if "\n" in text or "\r" in text:
        return text.replace("\r", " ").replace("\n", " ")
    return text


# XPath strings are compiled once: ``element.xpath(string)`` compiles them on every call.
_DATE_META = etree.XPath(
    "/html/head/meta[@property='article:published_time' or @name='date'"
    " or @name='dcterms.date' or @name='DC.date']/@content"
)
_TIME_DATETIME = etree.XPath(".//time/@datetime")
_PAGE_URLS = etree.XPath("//link[@rel='canonical']/@href | //meta[@property='og:url']/@content")
_MARKED = etree.XPath(f"descendant::*/@{ROLE_ATTR}/..")  # (attribute axis: faster)


@lru_cache(maxsize=1)
def _profiles() -> dict[str, Profile]:
    return load_profiles()


def choose_profile(
    url: str | None, root=None, profiles: dict[str, Profile] | None = None
) -> Profile | None:
    """The one place a page's profile is chosen: by its URL's host (also on a mirror), by
    the page's canonical URL, else by the CMS signature (``[release] signature``, default the
    body selector) found under ``root``."""
    profiles = profiles if profiles is not None else _profiles()
    if not profiles:
        return None
    found = profile_for_url(url, profiles) if url else None
    if found or root is None:
        return found
    for candidate in _PAGE_URLS(root):
        found = profile_for_url(str(candidate), profiles)
        if found:
            return found
    for profile in profiles.values():
        signature = profile.release.get("signature") or profile.release.get("body")
        if signature and css(root, signature):
            return profile
    return None


class _Collector:
    """Walks an element tree and cuts it into blocks at block-level elements."""

    def __init__(self, drop: Matcher, dropped: set, protected: set) -> None:
        self.blocks: list[Block] = []
        self.buffer: list[str] = []
        self.role: str | None = None
        self.drop, self.dropped, self.protected = drop, dropped, protected

    def flush(self) -> None:
        if self.buffer:
            text = "".join(self.buffer)
            self.buffer = []
            if not text.isspace():
                self.blocks.append(Block(text, self.role))

    def walk(self, element, role: str | None = None, pre: bool = False) -> None:
        tag = element.tag
        attrs = dict(element.items()) if tag.__class__ is str else None
        if attrs is not None and (
            element in self.protected
            or not ((self.dropped and element in self.dropped) or self.drop.matches(tag, attrs))
        ):  # not chrome (chrome is skipped, but the text that follows it is kept)
            own_role = attrs.get(ROLE_ATTR) or role
            is_block = tag in BLOCK_TAGS or own_role != role
            pre = pre or tag == "pre"
            if is_block:
                self.flush()
            previous, self.role = self.role, own_role
            if tag == "br":
                self.buffer.append("\n")
            text = element.text  # each read of .text / .tail builds a new string
            if text:
                self.buffer.append(text if pre else _spaced(text))
            for child in element:
                self.walk(child, own_role, pre)
            if is_block:
                self.flush()
            self.role = previous
        tail = element.tail
        if tail:
            self.buffer.append(tail if pre else _spaced(tail))


def selector_report(html: str, profile: Profile) -> dict[str, int]:
    """How many elements each ``[release]`` selector of ``profile`` matches on a page."""
    root = parse(html)
    return {
        key: len(css(root, value)) if root is not None else 0
        for key, value in profile.release.items()
        if isinstance(value, str)
    }


def _attribute_date(root, region, rules: dict, locale: str) -> date | None:
    """The first date in the profile's date selector, a ``time[datetime]`` of the region, or
    the page's publication meta tags."""
    for values in (
        lambda: css(root, rules.get("date")),
        lambda: _TIME_DATETIME(region),
        lambda: _DATE_META(root),
    ):
        for value in values():
            found = parse_date(str(value).strip(), locale)
            if found:
                return found
    return None


def _locale(root, profile: Profile | None) -> str:
    lang = (
        root.get("lang") or root.get("{http://www.w3.org/XML/1998/namespace}lang") or ""
    ).strip()
    if lang:
        return lang.lower()
    return profile.locale if profile else "de"


@dataclass
class Page:
    """A page read for the layout rules: its release blocks, locale and attribute date."""

    blocks: list[Block]
    locale: str
    attribute_date: date | None
    root: etree._Element = field(repr=False)
    profile: Profile | None = None

    @cached_property
    def site_name(self) -> str | None:
        """The issuer the page's ``<title>`` names; read when asked (most releases name
        their ministry themselves, and then the title is not needed)."""
        return generic.site_name(self.root)


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _decode(html: str | bytes, rec: Record) -> str | None:
    if isinstance(html, bytes):
        if textmod.is_binary(html):
            rec.flag("binary", "not-a-release")
            return None
        html, flags = textmod.decode_bytes(html)
        rec.flag(*flags)
    elif textmod.is_binary(html):
        rec.flag("binary", "not-a-release")
        return None
    if not html or html.isspace():
        rec.flag("empty", "not-a-release")
        return None
    html, repaired = textmod.repair_mojibake(html)
    if repaired:
        rec.flag("mojibake-repaired")
    return html


def read_page(
    html: str | bytes,
    rec: Record,
    url: str | None = None,
    profile: Profile | None = None,
    profiles: dict[str, Profile] | None = None,
) -> Page | None:
    """Decode and parse a page, choose its profile, cut its release region into blocks.

    ``profiles`` are the candidates for ``profile`` (default: every known one; ``{}`` reads
    the page as one of a site without a profile). Content problems go into ``rec.flags``;
    None when there is nothing to read.
    """
    raw = html if isinstance(html, bytes) and not html.startswith(b"\xef\xbb\xbf") else None
    html = _decode(html, rec)
    if html is not None and "\x00" in html:
        html, raw = html.replace("\x00", ""), None  # the parser stops at a NUL
    # Clean UTF-8 bytes go to the parser as they are (no re-encoding of the decoded text);
    # bytes in any other encoding go as the text decode_bytes made of them.
    clean = raw is not None and not rec.flags and _is_utf8(raw)
    root = parse(raw if clean else html) if html is not None else None
    if root is None:
        if html is not None:
            rec.flag("unparseable", "not-a-release")
        return None
    profile = profile or choose_profile(url, root, profiles)
    locale = _locale(root, profile)
    rules = dict(profile.release) if profile else {}
    region = first(root, rules.get("main"))
    region = region if region is not None else first(root, "body")
    region = region if region is not None else root
    matched = bool(profile) and _mark_roles(root, region, rules)
    if matched:
        rec.profile = profile.id
    else:
        if profile:
            rec.flag("profile-mismatch")
        rules = {}
        region = generic.locate(root, ROLE_ATTR)
    attribute_date = _attribute_date(root, region, rules, locale)
    protected = set()
    for marked in _MARKED(region):
        protected.add(marked)
        protected.update(marked.iterancestors())
    drop = matcher((ALWAYS_DROP, *(rules.get("drop", ()) if matched else generic.DROP)))
    blocks = _blocks(region, _Collector(drop, drop.found_by_paths(region), protected))
    if any("\ufffd" in block.text for block in blocks):
        rec.flag("replacement-char")
    if not matched and not any(block.role == "title" for block in blocks):
        title = generic.page_title(root)
        if title:
            blocks = _with_title(blocks, title)
    return Page(blocks, locale, attribute_date, root, profile)


def _mark_roles(root, region, rules: dict) -> bool:
    """Mark the elements the profile's selectors find; False when title or body is missing."""
    title = first(region, rules.get("title"))
    title = title if title is not None else first(root, rules.get("title"))
    bodies = css(region, rules.get("body"))
    if title is None or not bodies:
        return False
    title.set(ROLE_ATTR, "title")
    for body in bodies:
        body.set(ROLE_ATTR, "body")
    for role in ("subtitle", "kicker"):
        found = first(region, rules.get(role))
        if found is not None:
            found.set(ROLE_ATTR, role)
    return True


def normalise_page(
    html: str | bytes,
    url: str | None = None,
    profile: Profile | None = None,
    listing: dict | None = None,
    profiles: dict[str, Profile] | None = None,
) -> Record:
    """A release page -> Record; ``profile`` chosen among ``profiles`` by URL or CMS
    signature when not given."""
    rec = Record()
    page = read_page(html, rec, url, profile, profiles)
    if page is None:
        return rec

    def site_name() -> str | None:  # read only when the release names no ministry
        return page.site_name

    build(page.blocks, rec, page.locale, page.attribute_date, listing, site_name)
    if not rec.ministry and page.profile is not None:
        rec.ministry = page.profile.ministry
        rec.sources["ministry"] = "profile"
    return rec


def page_text(html: str | bytes, url: str | None = None, profile: Profile | None = None) -> str:
    """The release as plain text, one blank line between blocks, headed by the issuer the
    page names (like a letterhead) when the release region does not name it."""
    page = read_page(html, Record(), url, profile)
    if page is None:
        return ""
    texts = [block.text for block in page.blocks]
    if page.site_name and page.site_name not in texts:
        used = build(list(page.blocks), Record(), page.locale, ministry=page.site_name).ministry
        if used == page.site_name:
            texts.insert(0, page.site_name)
    return "\n\n".join(texts)


def _blocks(region, collector: _Collector) -> list[Block]:
    collector.walk(region)
    collector.flush()
    blocks = []
    for block in collector.blocks:
        block.text = textmod.clean_text(block.text)
        if block.text:
            blocks.append(block)
    return blocks


def _with_title(blocks: list[Block], title: str) -> list[Block]:
    """Mark the block that repeats the page title, or put the title first."""
    for block in blocks:
        if block.text == title:
            block.role = "title"
            return blocks
    return [Block(title, "title"), *blocks]
