"""Headings and the page's own names for itself: ``h1``, ``<title>``, site name.

A heading is the title when the page's metadata (JSON-LD headline, ``og:title``, Dublin
Core, ``<title>``) confirms it; a heading that is the site's or an authority's name (a
banner) never is. A heading made of two elements, a short line and the rest, is kicker and
title.
"""

from __future__ import annotations

import html
import re

from lxml import etree

from ..header import is_ministry
from ..resolve import title_key
from . import Candidate

_H1 = etree.XPath("//h1")
_HEAD_TITLE = etree.XPath("//title/text()")
_SITE_NAMES = etree.XPath(
    "//meta[@property='og:site_name' or @name='og:site_name' or @name='application-name']/@content"
)
_SEPARATOR = re.compile(r"\s+[|–—·•»:-]\s+|\s+::\s+|\s*\|\s*")
_MIN_CONTAINED = 10  # characters a heading needs to count as part of a longer name
_MAX_KICKER_WORDS = 8


def text_of(element) -> str:
    """The element's text on one line."""
    return " ".join("".join(element.itertext()).split())


def headings(root) -> list:
    """The page's ``h1`` elements."""
    return _H1(root)


def title_tag(root) -> str | None:
    """The ``<title>`` on one line."""
    found = _HEAD_TITLE(root)
    text = " ".join(html.unescape(str(found[0])).split()) if found else ""
    return text or None


def title_parts(title: str) -> list[str]:
    """``Headline | Site`` -> [``Headline``, ``Site``]."""
    return [part.strip() for part in _SEPARATOR.split(title) if part.strip()]


def _kicker_split(h1) -> tuple[str, str] | None:
    """(kicker, title) of a heading that starts with a short element of its own."""
    children = [child for child in h1 if isinstance(child.tag, str)]
    if (h1.text or "").strip() or not children:
        return None
    kicker, full = text_of(children[0]), text_of(h1)
    if not kicker or not full.startswith(kicker) or len(kicker.split()) > _MAX_KICKER_WORDS:
        return None
    rest = full[len(kicker) :].lstrip(" :–—-|")
    return (kicker, rest) if rest else None


def _without_site(name: str, sites: set[str]) -> str:
    """``Headline | Site`` -> ``Headline`` when ``Site`` is the site's name."""
    parts = title_parts(name)
    while len(parts) > 1 and title_key(parts[-1]) in sites:
        name = name[: name.rfind(parts[-1])].rstrip(" |–—·•»:-")
        parts = parts[:-1]
    return name


def read(root, metadata: list[Candidate]) -> list[Candidate]:
    """Title (and kicker) candidates: a confirmed heading (``h1``), the page's metadata
    titles without the site's name, the first other heading (``h1-unconfirmed``) and the
    ``<title>``'s longest part (``title-tag``)."""
    tag = title_tag(root)
    parts = title_parts(tag) if tag else []
    headings = [(text_of(h), h) for h in _H1(root)]
    headings = [(text, h) for text, h in headings if text and not is_ministry(text)]
    sites = {title_key(s) for s in _SITE_NAMES(root) if str(s).strip()}
    if len(parts) > 1:  # the part a heading repeats is the title, the others name the site
        heading_keys = {title_key(text) for text, _ in headings}
        named = [p for p in parts if title_key(p) in heading_keys] or [max(parts, key=len)]
        sites |= {title_key(p) for p in parts if p not in named}
    sites.discard("")
    declared = [
        Candidate("title", _without_site(html.unescape(c.value), sites), c.source)
        for c in metadata
        if c.field == "title"
    ]
    declared = [c for c in declared if title_key(c.value) not in sites]
    refs = [c.value for c in declared] + ([tag] if tag else []) + parts
    keys = {title_key(r) for r in refs} - sites
    headings = [(text, h) for text, h in headings if title_key(text) not in sites]
    out = _confirmed(headings, keys, declared)
    out += declared
    if headings:
        split = _kicker_split(headings[0][1])
        out.append(Candidate("title", split[1] if split else headings[0][0], "h1-unconfirmed"))
    if parts:
        out.append(Candidate("title", max(parts, key=len), "title-tag"))
    return out


def _confirmed(headings, keys: set[str], declared: list[Candidate]) -> list[Candidate]:
    """The first heading that the metadata confirms, as title (and kicker) candidates."""
    for text, h1 in headings:
        split = _kicker_split(h1)
        if title_key(text) in keys or (split and title_key(split[1]) in keys):
            if split:
                return [Candidate("title", split[1], "h1"), Candidate("kicker", split[0], "h1")]
            return [Candidate("title", text, "h1")]
    for text, _ in headings:
        key = title_key(text)
        if len(key) >= _MIN_CONTAINED and any(key in other for other in keys):
            return [Candidate("title", text, "h1")]
    for text, _ in headings:
        key = title_key(text)
        for c in declared:
            ref = title_key(c.value)
            if len(ref) >= _MIN_CONTAINED and key.endswith(ref) and key != ref:
                kicker = text[: len(text) - len(c.value)].strip(" :–—-|")
                title = text[len(kicker) :].strip(" :–—-|") if kicker else text
                return [Candidate("title", title, "h1"), Candidate("kicker", kicker, "h1")]
    return []
