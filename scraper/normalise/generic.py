"""The fallback for pages of unknown sites: main text, title and date found without a profile."""

from __future__ import annotations

import re

from parsel import Selector

DROP = (
    "nav", "header", "footer", "aside", "form", "[role=navigation]", "[role=banner]",
    "[role=contentinfo]", "[class*=cookie]", "[id*=cookie]", "[class*=breadcrumb]",
    "[class*=share]", "[class*=social]", "[class*=related]", "[class*=teaser]", "[class*=sidebar]",
    "[class*=skip]", "[class*=pagination]", "[class*=pager]",
)  # fmt: skip
_SUFFIX = re.compile(r"\s+[|–—-]\s+[^|–—-]+$")


def _text_length(element) -> int:
    return sum(len(t.strip()) for t in element.xpath("./p//text()|./text()"))


def locate(sel: Selector, role_attr: str) -> Selector:
    """Mark the title and body elements of a page (attribute ``role_attr``); the region to read.

    The body is the element with the most paragraph text of its own; the title is the first
    ``h1`` (inside the main element when there is one). The region is their common ancestor.
    """
    main = sel.css("article, main, [role=main]")
    scope = main[0] if main else (sel.css("body") or [sel])[0]
    candidates = [scope.root, *scope.root.iter()] if scope.root is not None else []
    best = max((el for el in candidates if isinstance(el.tag, str)), key=_text_length, default=None)
    title = (scope.css("h1") or sel.css("h1"))[:1]
    if best is not None and _text_length(best) > 0:
        best.set(role_attr, "body")
    if title:
        title[0].root.set(role_attr, "title")
    region = scope.root
    if title and best is not None:
        ancestors = set(best.iterancestors()) | {best}
        node = title[0].root
        while node is not None and node not in ancestors:
            node = node.getparent()
        region = node if node is not None else region
    return Selector(root=region) if region is not scope.root else scope


def page_title(sel: Selector) -> str | None:
    """og:title, else ``<title>`` without the site suffix (`` | Site``, `` - Site``)."""
    title = sel.css("meta[property='og:title']::attr(content)").get()
    if not title:
        title = sel.css("title::text").get()
        title = _SUFFIX.sub("", title.strip()) if title else None
    return " ".join(title.split()) if title else None
