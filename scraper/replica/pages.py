"""What the replica serves: pages, and small HTML helpers shared by the families."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from .releases import LINK, plain

HTML = "text/html; charset=utf-8"
TEXT = "text/plain; charset=utf-8"
JSON = "application/json; charset=utf-8"
NEW_WINDOW = "Öffnet sich in einem neuen Fenster"


@dataclass(frozen=True)
class Page:
    """One response: status, content type and the exact bytes."""

    body: bytes
    content_type: str = HTML
    status: int = 200


def html_page(markup: str, status: int = 200) -> Page:
    return Page(markup.encode("utf-8"), HTML, status)


def esc(text: str | None) -> str:
    return html.escape(text or "", quote=False)


def attr(text: str) -> str:
    return html.escape(text, quote=True)


def inline(paragraph: str, host: str, *, glue_titles: bool = True) -> str:
    """A data paragraph as HTML: internal links root-relative under the host folder.

    External links carry the screen-reader hint ``Öffnet sich in einem neuen Fenster``
    inside the anchor with no space after it, as the real CMS renders them, so that a
    plain-text copy reads ``…www.wir.hessen.deÖffnet sich in einem neuen Fensterabrufbar``.
    """
    out, pos = [], 0
    for match in LINK.finditer(paragraph):
        out.append(esc(paragraph[pos : match.start()]))
        text, href = match.groups()
        pos = match.end()
        if href.startswith("/"):
            out.append(f'<a href="/{host}{attr(href)}">{esc(text)}</a>')
        elif glue_titles:
            out.append(
                f'<a href="{attr(href)}" target="_blank" title="{NEW_WINDOW}">{esc(text)}'
                f'<span class="visually-hidden">{NEW_WINDOW}</span></a>'
            )
            if paragraph[pos : pos + 1] == " ":
                pos += 1
        else:
            out.append(f'<a href="{attr(href)}">{esc(text)}</a>')
    out.append(esc(paragraph[pos:]))
    return "".join(out)


def first_sentence(paragraphs: tuple[str, ...], limit: int = 200) -> str:
    """A teaser: the first sentence of the first real paragraph, cut at ``limit``."""
    text = next((plain(p) for p in paragraphs if not p.startswith("## ")), "")
    match = re.match(r"(.+?[.!?“])(\s|$)", text)
    sentence = match.group(1) if match else text
    return sentence if len(sentence) <= limit else sentence[:limit].rsplit(" ", 1)[0] + " …"


def reading_minutes(words: int) -> int:
    return max(1, round(words / 180))
