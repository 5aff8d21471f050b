"""Meta tags: OpenGraph, ``article:`` properties, Dublin Core and common date names."""

from __future__ import annotations

from lxml import etree

from . import Candidate
from .values import structured_date

_META = etree.XPath("//meta[@content]")
_ITEMPROP = etree.XPath("//*[@itemprop='datePublished' or @itemprop='dateModified']")
# name/property (lower case) -> (field, source)
_NAMES = {
    "og:title": ("title", "og"),
    "article:published_time": ("published", "article-meta"),
    "og:article:published_time": ("published", "article-meta"),
    "article:published": ("published", "article-meta"),
    "published_time": ("published", "article-meta"),
    "og:published_time": ("published", "article-meta"),
    "dc.date": ("published", "dublin-core"),
    "dc.date.issued": ("published", "dublin-core"),
    "dc.date.created": ("published", "dublin-core"),
    "dcterms.date": ("published", "dublin-core"),
    "dcterms.issued": ("published", "dublin-core"),
    "dcterms.created": ("published", "dublin-core"),
    "dcterms:created": ("published", "dublin-core"),
    "dcterms:issued": ("published", "dublin-core"),
    "dc.title": ("title", "dublin-core"),
    "date": ("published", "meta"),
    "pubdate": ("published", "meta"),
    "publishdate": ("published", "meta"),
    "publish-date": ("published", "meta"),
    "publication_date": ("published", "meta"),
    "citation_publication_date": ("published", "meta"),
    "parsely-pub-date": ("published", "meta"),
    "sailthru.date": ("published", "meta"),
    "article:modified_time": ("modified", "article-meta"),
    "og:updated_time": ("modified", "og"),
    "dcterms.modified": ("modified", "dublin-core"),
    "last-modified": ("modified", "meta"),
}


def read(root, locale: str) -> list[Candidate]:
    """Title and dates that the page's meta tags and ``itemprop`` attributes declare."""
    out: list[Candidate] = []
    for meta in _META(root):
        key = (meta.get("property") or meta.get("name") or "").strip().lower()
        known = _NAMES.get(key.replace("&#x3a;", ":"))
        if not known:
            continue
        field, source = known
        content = meta.get("content", "").strip()
        if field == "title":
            if content:
                out.append(Candidate(field, " ".join(content.split()), source))
            continue
        value = structured_date(content, locale)
        if value:
            out.append(Candidate(field, value, source))
    for element in _ITEMPROP(root):
        raw = element.get("content") or element.get("datetime") or "".join(element.itertext())
        value = structured_date(raw.strip(), locale) if raw else None
        if value:
            field = "published" if element.get("itemprop") == "datePublished" else "modified"
            out.append(Candidate(field, value, "microdata"))
    return out
