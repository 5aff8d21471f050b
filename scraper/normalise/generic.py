"""The fallback for pages of unknown sites: main text, title and date found without a profile."""

from __future__ import annotations

import re

from lxml import etree

from .header import is_ministry
from .select import css, first

DROP = (
    "nav", "header", "footer", "aside", "form", "[role=navigation]", "[role=banner]",
    "[role=contentinfo]", "[class*=cookie]", "[id*=cookie]", "[class*=breadcrumb]",
    "[class*=share]", "[class*=social]", "[class*=related]", "[class*=teaser]", "[class*=sidebar]",
    "[class*=skip]", "[class*=pagination]", "[class*=pager]",
)  # fmt: skip
_SUFFIX = re.compile(r"\s+[|–—-]\s+[^|–—-]+$")
_TITLE_PARTS = re.compile(r"\s+[|–—-]\s+|:\s+")
_OWN_TEXT = etree.XPath("./p//text()|./text()")
_HEAD_TITLE = etree.XPath("head/title")


def _text_length(element) -> int:
    return sum(len(t.strip()) for t in _OWN_TEXT(element))


MAX_LEAD = 300
"""The longest paragraph (characters) taken as the lead between title and body."""


def _lead(title, body):
    """The paragraph right after the title, when the body follows it: the lead (subtitle).

    Sites style it as a teaser, an intro or a lead; it must be short and link to nothing.
    """
    following = next((el for el in title.itersiblings() if isinstance(el.tag, str)), None)
    if following is None or following.tag != "p" or following is body:
        return None
    if not any(el is body or body in el.iterdescendants() for el in following.itersiblings()):
        return None
    text = " ".join("".join(following.itertext()).split())
    if not text or len(text) > MAX_LEAD or next(following.iter("a"), None) is not None:
        return None
    return following


def locate(root, role_attr: str):
    """Mark the title, lead and body elements of a page (attribute ``role_attr``); the region
    to read.

    The body is the element with the most paragraph text of its own; the title is the first
    ``h1`` (inside the main element when there is one); the lead is a short paragraph between
    them. The region is the common ancestor of title and body.
    """
    scope = first(root, "article, main, [role=main]")
    if scope is None:
        scope = first(root, "body")
    if scope is None:
        scope = root
    best = max((el for el in scope.iter() if isinstance(el.tag, str)), key=_text_length)
    title = first(scope, "h1")
    title = title if title is not None else first(root, "h1")
    if _text_length(best) > 0:
        best.set(role_attr, "body")
    if title is None:
        return scope
    title.set(role_attr, "title")
    lead = _lead(title, best)
    if lead is not None:
        lead.set(role_attr, "subtitle")
    ancestors = {best, *best.iterancestors()}
    node = title
    while node is not None and node not in ancestors:
        node = node.getparent()
    return node if node is not None else scope


_DESCRIPTIONS = etree.XPath(
    "/html/head/meta[@property='og:description']/@content"
    " | /html/head/meta[@name='description']/@content"
)
_VISIBLE_WITH = etree.XPath(
    "//body//text()[contains(., $snippet)]"
    "[not(ancestor::script or ancestor::style or ancestor::noscript or ancestor::template"
    " or ancestor::nav or ancestor::aside or ancestor::footer or ancestor::form"
    " or ancestor::*[contains(@class, 'teaser') or contains(@class, 'related')])]"
)
MIN_LEAD = 60


def shown_lead(root, known: str) -> str | None:
    """The page's description (``og:description``, ``description``) where the page also
    shows it as a short text of its own (an intro or teaser under the heading) that is not
    in ``known`` (the text found so far): that text, as shown; else None."""
    for content in _DESCRIPTIONS(root):
        described = " ".join(str(content).split())
        snippet = described[:40]
        if snippet in known:
            return None
        if len(described) < MIN_LEAD or "'" in snippet or '"' in snippet:
            continue
        node = next(iter(_VISIBLE_WITH(root, snippet=snippet)), None)
        element = node.getparent() if node is not None else None
        text = " ".join("".join(element.itertext()).split()) if element is not None else ""
        if text.startswith(snippet) and len(text) <= MAX_LEAD:
            return text
    return None


def site_name(root) -> str | None:
    """The issuer a page's ``<title>`` names after its separator, when it is a ministry."""
    found = _HEAD_TITLE(root)
    title = found[0].text if found else None
    parts = _TITLE_PARTS.split(" ".join(title.split())) if title else []
    if len(parts) > 1 and is_ministry(parts[-1]):
        return parts[-1]
    return None


def page_title(root) -> str | None:
    """og:title, else ``<title>`` without the site suffix (`` | Site``, `` - Site``)."""
    title = next(iter(css(root, "meta[property='og:title']::attr(content)")), None)
    if not title:
        title = next(iter(css(root, "title::text")), None)
        # whitespace runs folded first: ``\s+`` before a separator is quadratic on a long run
        title = _SUFFIX.sub("", " ".join(title.split())) if title else None
    return " ".join(title.split()) if title else None
