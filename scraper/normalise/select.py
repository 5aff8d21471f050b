"""CSS selectors on lxml elements: translated once (parsel's translator), compiled, cached."""

from __future__ import annotations

from functools import lru_cache

from lxml import etree
from parsel.csstranslator import HTMLTranslator

_TRANSLATOR = HTMLTranslator()


@lru_cache(maxsize=1024)
def _compiled(query: str) -> etree.XPath:
    return etree.XPath(_TRANSLATOR.css_to_xpath(query))


def css(element, query: str | None) -> list:
    """Elements (or strings, for ``::text`` / ``::attr(x)``) that ``query`` finds under
    ``element``, the element itself included; [] for no query."""
    return _compiled(query)(element) if query else []


def first(element, query: str | None):
    """The first match of ``query`` under ``element``, or None."""
    found = css(element, query)
    return found[0] if found else None


def parse(html: str):
    """An HTML document's root element, or None when there is no document to speak of."""
    parser = etree.HTMLParser(recover=True, encoding="utf-8")
    try:
        root = etree.fromstring(html.encode("utf-8", "surrogatepass"), parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return None
    return root if root is not None and isinstance(root.tag, str) else None
