"""Jinja filters of the journalist's pages: German dates, marked hits, links."""

from __future__ import annotations

from datetime import date, datetime
from urllib.parse import quote, urlencode, urlsplit

from markupsafe import Markup, escape

from storage.snippet import MARK


def marked(snippet: str | None) -> Markup:
    """A snippet with its ``**hits**`` as ``<mark>`` elements, everything else escaped."""
    parts = (snippet or "").split(MARK[0])
    if MARK[0] != MARK[1] or len(parts) % 2 == 0:  # unbalanced: show the text as it is
        return Markup(escape(snippet or ""))
    return Markup(
        "".join(
            f"<mark>{escape(p)}</mark>" if i % 2 else str(escape(p)) for i, p in enumerate(parts)
        )
    )


def de_date(value) -> str:
    """``2024-03-12`` as ``12.03.2024`` (empty for none)."""
    if not value:
        return ""
    day = value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
    return day.strftime("%d.%m.%Y")


def de_time(value) -> str:
    """An ISO timestamp (UTC) as ``12.03.2024, 09:30 UTC``."""
    if not value:
        return ""
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return moment.strftime("%d.%m.%Y, %H:%M UTC")


def size(value) -> str:
    """A byte count as ``812 Bytes`` / ``12,3 kB`` / ``1,4 MB``."""
    if value is None:
        return ""
    if value < 1000:
        return f"{value} Bytes"
    for unit, factor in (("kB", 1e3), ("MB", 1e6), ("GB", 1e9)):
        if value < factor * 1000 or unit == "GB":
            return f"{value / factor:.1f} {unit}".replace(".", ",")
    return str(value)


def link(path: str, **params) -> str:
    """``path`` with the non-empty ``params`` as a query string."""
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return f"{path}?{query}" if query else path


def person_url(name: str) -> str:
    """The address of a person's page."""
    return "/person/" + quote(name, safe="")


def short_url(url: str | None) -> str:
    """Host and path of a URL, for link labels."""
    if not url:
        return ""
    parts = urlsplit(url)
    return parts.netloc + parts.path + (f"?{parts.query}" if parts.query else "")


def thousands(value: int) -> str:
    """``12345`` as ``12.345``."""
    return f"{value:,}".replace(",", ".")


def ministry_entry(entry_id: str | None):
    """The authority entry ``entry_id`` (None when unknown or not linked)."""
    from scraper.ministries import load_authority

    return load_authority().entries.get(entry_id or "")


def period(entry) -> str:
    """An authority entry's period in German dates (empty when open at both ends)."""
    if entry is None or not (entry.start or entry.end):
        return ""
    return f"{de_date(entry.start)} – {de_date(entry.end)}".strip()


FILTERS = {
    "marked": marked,
    "de_date": de_date,
    "de_time": de_time,
    "size": size,
    "person_url": person_url,
    "short_url": short_url,
    "thousands": thousands,
    "period": period,
}
GLOBALS = {"link": link, "ministry_entry": ministry_entry}
