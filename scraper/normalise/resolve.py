"""Resolve: which reader's candidate becomes a field's value, with its source recorded.

Each field has a precedence table (strongest reader first). The winner's reader goes into
``Record.sources``; readers that disagree with it, or a value that only the weakest reader
gave, are flagged, and ``Record.notes`` says why in words.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from .readers import Candidate
from .record import Record

PRECEDENCE: dict[str, tuple[str, ...]] = {
    # The site's own date element, the release's header line, the page's structured data
    # (JSON-LD, meta tags, microdata, time tags), the listing card, a date opening the body,
    # and htmldate's search last.
    "published": (
        "selector", "header", "json-ld", "article-meta", "microdata", "dublin-core", "meta",
        "time", "listing", "body", "htmldate",
    ),
    # A heading the page's own metadata confirms, then the metadata, then an unconfirmed
    # heading, then the listing card and the browser title.
    "title": ("selector", "h1", "json-ld", "og", "dublin-core", "h1-unconfirmed", "listing",
              "title-tag"),
}  # fmt: skip
TOLERANCE = timedelta(days=1)
"""A date up to a day after the fetch is not in the future (time zones: the fetch day is
counted in UTC, a release's day in local time)."""
WEAKEST = {"published": {"htmldate", "body"}, "title": {"title-tag", "listing"}}
# Readers whose date is compared with the winner's: a disagreement is a ``date-conflict``.
_DATE_WITNESSES = ("selector", "header", "json-ld", "article-meta", "microdata", "listing")
_FLAGS = {"published": ("date-conflict", "weak-date"), "title": ("title-conflict", "weak-title")}


def rank(field: str, source: str) -> int:
    order = PRECEDENCE[field]
    return order.index(source) if source in order else len(order)


def best(field: str, candidates: list[Candidate]) -> Candidate | None:
    """The candidate of the strongest reader for ``field`` (the first of equals)."""
    found = [c for c in candidates if c.field == field]
    return min(found, key=lambda c: rank(field, c.source)) if found else None


def resolve_date(rec: Record, candidates: list[Candidate], reference: date) -> None:
    """Set ``published`` from the strongest dated reader; a future date never counts.

    A witness reader that names another day flags ``date-conflict``; a date from the weakest
    readers only flags ``weak-date``; no date at all flags ``no-date``."""
    latest = reference + TOLERANCE
    usable = [c for c in candidates if c.field == "published" and c.value <= latest]
    future = [c for c in candidates if c.field == "published" and c.value > latest]
    winner = best("published", usable)
    if winner is None:
        rec.flag("no-date")
        if future:
            rec.notes["published"] = f"only a future date ({future[0].value}, {future[0].source})"
        return
    rec.published, rec.sources["published"] = winner.value.isoformat(), winner.source
    others = {}
    for c in usable:
        if c.source in _DATE_WITNESSES and c.value != winner.value:
            others.setdefault(c.source, c.value)
    if others:
        rec.flag("date-conflict")
        said = ", ".join(f"{source} {value}" for source, value in others.items())
        rec.notes["published"] = f"{winner.source} {winner.value} chosen; {said} disagree"
    elif winner.source in WEAKEST["published"]:
        rec.flag("weak-date")
        rec.notes["published"] = f"only {winner.source} found a date"


_KEY = re.compile(r"[\W_]+")


def title_key(text: str | None) -> str:
    """A title folded for comparison (case, punctuation and spacing ignored)."""
    return _KEY.sub(" ", (text or "").casefold()).strip()


def flag_title(rec: Record, source: str, candidates: list[Candidate]) -> None:
    """Record the title's source; flag a title that only the weakest readers gave."""
    rec.sources["title"] = source
    if source in WEAKEST["title"]:
        rec.flag("weak-title")
        rec.notes["title"] = f"only the {source} names a title"
