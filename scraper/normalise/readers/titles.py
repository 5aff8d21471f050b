"""Headings and the page's own names for itself: ``h1``, ``<title>``, site name.

A heading is the title when the page's metadata (JSON-LD headline, ``og:title``, Dublin
Core, ``<title>``) confirms it; a heading that is the site's or an authority's name (a
banner) never is. A heading made of two elements, a short line and the rest, is kicker and
title.
"""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

from lxml import etree

from ..header import is_ministry
from ..resolve import title_key
from . import Candidate

_H1 = etree.XPath("//h1")
_H2 = etree.XPath("//h2")
_HEAD_TITLE = etree.XPath("//title/text()")
_SITE_NAMES = etree.XPath(
    "//meta[@property='og:site_name' or @name='og:site_name' or @name='application-name']/@content"
)
_SEPARATOR = re.compile(r"\s+[|–—·•»:-]\s+|\s+::\s+|\s*\|\s*")
# Class or id words (whole) of the site's own name: a logo, a branding box.
_BRANDING = frozenset({
    "site-title", "sitetitle", "site-name", "sitename", "site-branding", "branding", "brand",
    "navbar-brand", "logo", "site-logo", "masthead",
})  # fmt: skip
_HIDDEN = frozenset({
    "sr-only", "visually-hidden", "visuallyhidden", "element-invisible", "screen-reader-text",
    "hide-accessible", "hidden", "invisible", "offscreen",
})  # fmt: skip
_CHROME_TAGS = frozenset({"a", "nav", "aside", "footer"})
_MIN_CONTAINED = 10
_KICKER_ENDS = (
    ":",
    "|",
    "–",
    "—",
    "-",
    "·",
)  # characters a heading needs to count as part of a longer name
_MAX_KICKER_WORDS = 8


def text_of(element) -> str:
    """The element's text on one line."""
    return " ".join("".join(element.itertext()).split())


def headings(root) -> list:
    """The page's ``h1`` elements that may head its content (not the site's chrome)."""
    return [h1 for h1 in _H1(root) if not is_chrome(h1)]


def _home_link(href: str | None) -> bool:
    """A link to the site's start page (``/``, ``https://host/``, ``/?lang=de``)."""
    if href is None:
        return False
    href = href.strip()
    if href in ("", "./", "index.html", "index.php"):
        return True
    try:
        parts = urlsplit(href)
    except ValueError:
        return False
    return parts.path in ("", "/") and not parts.fragment and bool(parts.netloc or parts.path)


def names_site(heading) -> bool:
    """A heading that is the site's name: it links to the start page, or sits in a link or
    in the site's branding box."""
    if any(_home_link(a.get("href")) for a in heading.iter("a")):
        return True
    for element in (heading, *heading.iterancestors()):
        if element.tag in ("body", "html"):
            return False
        if element.tag == "a" or not _BRANDING.isdisjoint(_words(element)):
            return True
    return False


def _words(element) -> set[str]:
    return {w.lower() for w in f"{element.get('class') or ''} {element.get('id') or ''}".split()}


def is_chrome(heading) -> bool:
    """A heading that does not head the page's content: the site's name, a heading in the
    navigation, a sidebar or the footer, or one hidden from view."""
    if not _HIDDEN.isdisjoint(_words(heading)) or names_site(heading):
        return True
    for element in heading.iterancestors():
        if element.tag in _CHROME_TAGS and "breadcrumb" not in (element.get("class") or "").lower():
            return True  # (the last step of a breadcrumb trail names the page itself)
    return False


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
    if kicker[-1].isalpha() and full[len(kicker) : len(kicker) + 1].islower():
        return None  # one word across two elements (a drop cap, a highlighted word)
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
    found = [(text_of(h), h) for h in headings(root)]
    found = [(text, h) for text, h in found if text and not is_ministry(text)]
    sites = {title_key(s) for s in _SITE_NAMES(root) if str(s).strip()}
    sites |= {title_key(text_of(h)) for h in _H1(root) if names_site(h)}
    if len(parts) > 1:  # the part a heading repeats is the title, the others name the site
        heading_keys = {title_key(text) for text, _ in found}
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
    found = [(text, h) for text, h in found if title_key(text) not in sites]
    out = _confirmed(found, keys, declared)
    if not _H1(root):  # no main heading: the first subheading when it words the declared title
        out = _subheading(root, declared or [Candidate("title", p, "title-tag") for p in parts])
    out += declared
    if found:
        split = _kicker_split(found[0][1])
        out.append(Candidate("title", split[1] if split else found[0][0], "h1-unconfirmed"))
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
    for text, _ in headings:  # "Kicker: Title" where the metadata gives the title alone
        for c in declared:
            at = text.casefold().rfind(c.value.casefold())
            kicker = text[:at].rstrip()
            glued = at > 0 and not text[at - 1].isspace()  # two elements: "RubrikTitle"
            if (
                len(c.value) >= _MIN_CONTAINED
                and at > 0
                and (glued or kicker.endswith(_KICKER_ENDS))
            ):
                title = text[at:].strip(" :–—-|")
                return [Candidate("title", title, "h1"),
                        Candidate("kicker", kicker.strip(" :–—-|"), "h1")]  # fmt: skip
    for text, h1 in headings[:1]:  # the page's own wording of the title the metadata gives
        split = _kicker_split(h1)
        if any(_similar(split[1] if split else text, c.value) for c in declared):
            if split:
                return [Candidate("title", split[1], "h1"), Candidate("kicker", split[0], "h1")]
            return [Candidate("title", text, "h1")]
    return []


def _subheading(root, declared: list[Candidate]) -> list[Candidate]:
    """The first ``h2`` as the title when it is the declared title or starts with it (the
    metadata often shortens a title: "Headline" for "Headline – and more")."""
    first_h2 = next(iter(_H2(root)), None)
    if first_h2 is None or is_chrome(first_h2):
        return []
    text = text_of(first_h2)
    key = title_key(text)
    for c in declared:
        ref = title_key(c.value)
        if len(ref) >= _MIN_CONTAINED and key.startswith(ref):
            return [Candidate("title", text, "h1")]
    return []


_WORD = re.compile(r"\w+")
_MIN_SHARED = 0.5  # of the shorter title's words


def _similar(one: str, other: str) -> bool:
    """Two wordings of the same title: half the words of the shorter one in the other."""
    a, b = set(_WORD.findall(one.casefold())), set(_WORD.findall(other.casefold()))
    return bool(a and b) and len(a & b) >= _MIN_SHARED * min(len(a), len(b))
