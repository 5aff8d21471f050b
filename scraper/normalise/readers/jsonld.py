"""JSON-LD: the headline and dates of a page's ``Article``-like object."""

from __future__ import annotations

import json
import re

from lxml import etree

from . import Candidate
from .values import structured_date

_SCRIPTS = etree.XPath("//script[@type='application/ld+json']/text()")
_ARTICLE_TYPES = {
    "article", "newsarticle", "blogposting", "reportagenewsarticle", "analysisnewsarticle",
    "report", "pressrelease", "scholarlyarticle", "techarticle", "opinionnewsarticle",
    "backgroundnewsarticle", "liveblogposting", "socialmediaposting", "posting",
}  # fmt: skip
_CONTROL = re.compile(r"[\x00-\x1f]")


def _objects(data):
    """Every dict in a JSON-LD value (``@graph`` and lists flattened)."""
    stack = [data]
    while stack:
        value = stack.pop()
        if isinstance(value, list):
            stack.extend(reversed(value))
        elif isinstance(value, dict):
            yield value
            graph = value.get("@graph")
            if graph is not None:
                stack.append(graph)


def _types(obj: dict) -> set[str]:
    kind = obj.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return {k.lower() for k in kinds if isinstance(k, str)}


def _load(text: str):
    try:
        return json.loads(text)
    except ValueError:
        try:  # raw line breaks inside strings are common and harmless
            return json.loads(_CONTROL.sub(" ", text))
        except ValueError:
            return None


def articles(root) -> list[dict]:
    """The page's JSON-LD objects of an article type, in page order."""
    found = []
    for text in _SCRIPTS(root):
        data = _load(str(text).strip())
        found += [obj for obj in _objects(data) if _types(obj) & _ARTICLE_TYPES]
    return found


def read(root, locale: str) -> list[Candidate]:
    """Headline and publication date of the first article object that has them."""
    out: list[Candidate] = []
    for obj in articles(root):
        headline = obj.get("headline") or obj.get("name")
        if isinstance(headline, str) and headline.strip():
            out.append(Candidate("title", " ".join(headline.split()), "json-ld"))
        published = obj.get("datePublished") or obj.get("dateCreated")
        value = structured_date(published, locale) if isinstance(published, str) else None
        if value:
            out.append(Candidate("published", value, "json-ld"))
        modified = obj.get("dateModified")
        value = structured_date(modified, locale) if isinstance(modified, str) else None
        if value:
            out.append(Candidate("modified", value, "json-ld"))
    return out
