"""The main text of a page that no profile knows: trafilatura's extraction, as blocks.

trafilatura (the field's well-kept extractor) finds the article among the page's chrome;
its output (paragraphs, headings, list items, table rows, quotes) becomes the ordered
blocks that the press-release layout rules then read (header lines, contact, footers).
"""

from __future__ import annotations

import logging

from trafilatura import bare_extraction

from ..layout import Block

# trafilatura's own element names, and HTML's (its fallback extractors return HTML).
_BLOCKS = frozenset({
    "p", "head", "item", "row", "quote", "code", "list", "table", "div", "section", "article",
    "main", "body", "blockquote", "pre", "ul", "ol", "li", "dl", "dt", "dd", "tr", "tbody",
    "thead", "h1", "h2", "h3", "h4", "h5", "h6", "header", "footer", "figure", "center",
})  # fmt: skip
_CELLS = frozenset({"cell", "td", "th"})
logging.getLogger("trafilatura").setLevel(logging.CRITICAL)  # it logs every short page


def _flush(parts: list[str], blocks: list[Block]) -> None:
    text = "".join(parts).replace("\u00a0", " ")
    parts.clear()
    text = "\n".join(" ".join(line.split()) for line in text.split("\n")).strip()
    if text:
        blocks.append(Block(text))


def _collect(root, blocks: list[Block]) -> None:
    """Blocks at block-level elements; inline text (and table cells) joined within them."""
    parts: list[str] = []
    stack: list[tuple] = [(root, False)]
    while stack:
        element, leaving = stack.pop()
        tag = element.tag if isinstance(element.tag, str) else ""
        if leaving:
            if tag in _BLOCKS:
                _flush(parts, blocks)
            if element.tail:
                parts.append(element.tail)
            continue
        if tag in _BLOCKS:
            _flush(parts, blocks)
        elif tag in ("lb", "br"):
            parts.append("\n")
        elif tag in _CELLS and parts and not "".join(parts[-1:]).endswith(("\n", " | ")):
            parts.append(" | ")
        if element.text and tag:
            parts.append(element.text)
        stack.append((element, True))
        stack.extend((child, False) for child in reversed(element))
    _flush(parts, blocks)


def blocks(root, url: str | None = None, fast: bool = False) -> list[Block]:
    """The page's main text as blocks; [] when
    trafilatura finds none. ``root`` must be an ``lxml.html`` tree (it is copied)."""
    try:
        document = bare_extraction(
            root, url=url, fast=fast, include_comments=False, include_tables=True,
            with_metadata=False,
        )  # fmt: skip
    except (RecursionError, ValueError, TypeError):
        return []
    if document is None or document.body is None:
        return []
    found: list[Block] = []
    _collect(document.body, found)
    return found
