"""What the replica serves: pages, and small HTML helpers shared by the families."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from .releases import LINK, SPEAKER, SUBHEADING, plain

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
    text = next((plain(p) for p in paragraphs if not p.startswith((SUBHEADING, SPEAKER))), "")
    match = re.match(r"(.+?[.!?“])(\s|$)", text)
    sentence = match.group(1) if match else text
    return sentence if len(sentence) <= limit else sentence[:limit].rsplit(" ", 1)[0] + " …"


def reading_minutes(words: int) -> int:
    return max(1, round(words / 180))


MONTHS = ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August",
          "September", "Oktober", "November", "Dezember")  # fmt: skip
WEEKDAYS = ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag")


def german_date(day, weekday: bool = False, month: str | None = None) -> str:
    """``11. Dezember 2024`` (``Mittwoch, 11. Dezember 2024``); ``month`` overrides the name."""
    text = f"{day.day}. {month or MONTHS[day.month - 1]} {day.year}"
    return f"{WEEKDAYS[day.weekday()]}, {text}" if weekday else text


def paginate(items: list, per_page: int) -> list[list]:
    """Items in pages of ``per_page`` (at least one page)."""
    return [items[i : i + per_page] for i in range(0, len(items), per_page)] or [[]]


def robots_txt(disallow: tuple[str, ...]) -> Page:
    rules = "".join(f"Disallow: {path}\n" for path in disallow)
    return Page(f"User-agent: *\n{rules}Allow: /\n".encode(), TEXT)


def body_paragraphs(release, host: str, edited: bool, *, close: bool = True,
                    heading: str = "h3", glue_titles: bool = True) -> str:  # fmt: skip
    """A release body as HTML paragraphs, the dateline leading the first one."""
    end = "</p>" if close else ""
    parts = []
    for i, paragraph in enumerate(release.text(edited)):
        if paragraph.startswith(SUBHEADING):
            parts.append(f"<{heading}>{esc(paragraph.removeprefix(SUBHEADING))}</{heading}>")
            continue
        if paragraph.startswith(SPEAKER):
            parts.append(f"<p><strong>{esc(paragraph.removeprefix(SPEAKER))}:</strong></p>")
            continue
        text = inline(paragraph, host, glue_titles=glue_titles)
        if i == 0 and release.dateline:
            text = f"{esc(release.dateline)}. {text}"
        parts.append(f"<p>{text}{end}")
    return "\n".join(parts)


def plain_text(header: list[str | None], release, edited: bool = False,
               footer: list[str] | None = None, lead: str = "") -> str:  # fmt: skip
    """A release as a reader copies it out of a page or PDF: header lines, body, footer.

    ``lead`` runs into the first body paragraph (header material glued to the text).
    """
    blocks = [line for line in header if line]
    for i, paragraph in enumerate(release.text(edited)):
        if paragraph.startswith(SPEAKER):
            blocks.append(paragraph.removeprefix(SPEAKER) + ":")
            continue
        text = plain(paragraph)
        if i == 0 and release.dateline and not paragraph.startswith(SUBHEADING):
            text = f"{release.dateline}. {text}"
        blocks.append(lead + text if i == 0 else text)
    if footer:
        blocks.append("\n".join(footer))
    return "\n\n".join(blocks) + "\n"
