"""CSS selectors on lxml elements: translated once (parsel's translator), compiled, cached."""

from __future__ import annotations

import re
import threading
from functools import lru_cache

from lxml import etree
from lxml.html import HTMLParser
from parsel.csstranslator import HTMLTranslator

_TRANSLATOR = HTMLTranslator()


# A location step whose one predicate tests one attribute: "*[@class and contains(@class, 'x')
# and ...]", "*[@id = 'x']" (what the translator writes for ``.x`` and ``#x``).
_ATTRIBUTE_STEP = re.compile(r"(?<=[:/])(?P<test>\*|[\w-]+)\[(?P<predicate>[^\[\]]*)\](?=/|$| \|)")
_ATTRIBUTE = re.compile(r"@([\w-]+)(?![\w-])")
# Tests of the attribute's value only (no "not", "or", position or name): true of an element
# exactly when true of its attribute.
_VALUE_TEST = re.compile(
    r"(?:\. = '[^']*'|contains\(\., '[^']*'\)"
    r"|contains\(concat\(' ', normalize-space\(\.\), ' '\), '[^']*'\))"
    r"(?: and (?:contains\(\., '[^']*'\)"
    r"|contains\(concat\(' ', normalize-space\(\.\), ' '\), '[^']*'\)))*"
)


def _on_attribute_axis(step: re.Match) -> str:
    """``*[@a = 'x']`` -> ``*/@a[. = 'x']/..``: the same elements in the same order, but
    libxml2 tests the attribute node itself much faster than a predicate on every element."""
    pieces = step["predicate"].split("'")  # odd pieces are inside quotes: values, not names
    names = {name for piece in pieces[::2] for name in _ATTRIBUTE.findall(piece)}
    if len(names) != 1:
        return step[0]
    name = names.pop()
    pieces[::2] = [_ATTRIBUTE.sub(".", piece) for piece in pieces[::2]]
    test = "'".join(pieces).removeprefix(". and ")
    if not _VALUE_TEST.fullmatch(test):
        return step[0]
    return f"{step['test']}/@{name}[{test}]/.."


@lru_cache(maxsize=1024)
def _compiled(query: str) -> etree.XPath:
    return etree.XPath(_ATTRIBUTE_STEP.sub(_on_attribute_axis, _TRANSLATOR.css_to_xpath(query)))


_SIMPLE = re.compile(
    r"^(?P<tag>[a-zA-Z][\w-]*)?(?:\.(?P<cls>[\w-]+))?(?:#(?P<id>[\w-]+))?"
    r"(?:\[(?P<attr>[\w-]+)(?:(?P<op>\*?=)[\"']?(?P<value>[^\"'\]]*)[\"']?)?\])?$"
)


class Matcher:
    """Tests elements against selectors while the tree is walked: simple selectors (tag,
    class, id, one attribute) in Python, the others by XPath over the tree once."""

    def __init__(self, queries: tuple[str, ...]) -> None:
        self.tags: set[str] = set()
        self.classes: set[str] = set()
        self.ids: set[str] = set()
        self.other: list[tuple] = []  # (tag, class, id, attr, op, value) compounds
        self.paths: list[str] = []
        for query in queries:
            for part in filter(None, (p.strip() for p in query.split(","))):
                m = _SIMPLE.match(part)
                if not m or not any(m.groups()):
                    self.paths.append(part)
                elif m["tag"] and not any(m.group("cls", "id", "attr")):
                    self.tags.add(m["tag"].lower())
                elif m["cls"] and not any(m.group("tag", "id", "attr")):
                    self.classes.add(m["cls"])
                elif m["id"] and not any(m.group("tag", "cls", "attr")):
                    self.ids.add(m["id"])
                else:
                    self.other.append(m.group("tag", "cls", "id", "attr", "op", "value"))

    def found_by_paths(self, element) -> set:
        """The elements under ``element`` that the complex selectors find."""
        return {found for path in self.paths for found in css(element, path)}

    def matches(self, tag: str, attrs: dict) -> bool:
        """Whether an element (its tag and its attributes as a dict) is matched."""
        if tag in self.tags:
            return True
        if not attrs:  # tag-only selectors are in self.tags
            return False
        cls = attrs.get("class")
        classes = cls.split() if cls else ()
        if self.classes and not self.classes.isdisjoint(classes):
            return True
        if self.ids and attrs.get("id") in self.ids:
            return True
        for want_tag, want_cls, want_id, attr, op, value in self.other:
            if (want_tag and want_tag.lower() != tag) or (want_cls and want_cls not in classes):
                continue
            if want_id and attrs.get("id") != want_id:
                continue
            got = attrs.get(attr) if attr else ""
            if got is not None and (
                not attr or op is None or (value in got if op == "*=" else got == value)
            ):
                return True
        return False


@lru_cache(maxsize=64)
def matcher(queries: tuple[str, ...]) -> Matcher:
    """The (cached) matcher for a tuple of selector strings."""
    return Matcher(queries)


def css(element, query: str | None) -> list:
    """Elements (or strings, for ``::text`` / ``::attr(x)``) that ``query`` finds under
    ``element``, the element itself included; [] for no query."""
    return _compiled(query)(element) if query else []


_TAG_NAME = re.compile(r"[a-zA-Z][\w-]*")


def first(element, query: str | None):
    """The first match of ``query`` under ``element``, or None."""
    if query and _TAG_NAME.fullmatch(query):  # "main", "h1": no XPath needed to find one
        return next(element.iter(query.lower()), None)
    found = css(element, query)
    return found[0] if found else None


_THREAD = threading.local()


def _parser(huge: bool) -> etree.HTMLParser:
    """This thread's HTML parser (made once: a parser is reused, but never shared by threads).
    Input is always UTF-8 (text is decoded once, before parsing); ``huge`` lifts libxml2's
    nesting limit from 256 to 2048 levels."""
    name = "huge_parser" if huge else "parser"
    parser = getattr(_THREAD, name, None)
    if parser is None:
        parser = HTMLParser(  # lxml.html elements: what trafilatura and htmldate read
            recover=True, encoding="utf-8", collect_ids=False, huge_tree=huge
        )
        setattr(_THREAD, name, parser)
    return parser


def _root(data: bytes, huge: bool):
    parser = _parser(huge)
    try:
        root = etree.fromstring(data, parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return None, False
    too_deep = any(e.type_name == "ERR_RESOURCE_LIMIT" for e in parser.error_log)
    return (root if root is not None and isinstance(root.tag, str) else None), too_deep


def parse_tree(html: str, huge: bool = False):
    """(root element or None, whether the nesting went past the parser's limit)."""
    return _root(html.encode("utf-8", "surrogatepass"), huge)


def parse(html: str | bytes):
    """An HTML document's root element (from text, or from UTF-8 bytes), or None when there
    is no document to speak of."""
    data = html if isinstance(html, bytes) else html.encode("utf-8", "surrogatepass")
    return _root(data, True)[0]
