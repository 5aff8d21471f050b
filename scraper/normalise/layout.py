"""The layout rules shared by pages and plain text: ordered blocks -> Record fields.

A block is one paragraph-like piece of text in reading order. Blocks from a page may carry a
role that the site profile's selectors gave them (``title``, ``subtitle``, ``kicker``,
``body``); plain-text blocks carry none and the same rules infer it. ``classify`` labels
their lines, ``segment`` cuts them into spans; this module turns the spans into fields.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from . import contact
from .dates import parse_date
from .header import KIND, TITLE_NUMBER
from .persons import find_persons
from .record import Record
from .segment import Block, Spans, is_sentence, segment

__all__ = ["Block", "build"]


def build(
    blocks: list[Block],
    rec: Record,
    locale: str = "de",
    attribute_date: date | None = None,
    listing: dict | None = None,
    ministry: str | Callable[[], str | None] | None = None,
) -> Record:
    """Fill ``rec`` from ordered blocks by the layout rules; flags say what was odd.

    ``ministry`` is what the page says about its issuer outside the release (site name),
    used when the release itself names none; a function giving it is called only then."""
    spans = segment(blocks, locale)
    rec.flag(*spans.flags)
    head = spans.head
    found: dict[str, str] = {}  # field -> the layout rule that gave it
    title = spans.title
    if title:
        number = TITLE_NUMBER.search(title) if title.endswith(")") else None
        if number and not head.number:
            head.number = number["number"]
            found["number"] = "title"
        if number:
            title = title[: number.start()]
        label = KIND.fullmatch(title)
        if label and head.kind is None:
            head.kind, title = label["kind"], None
            found["kind"] = "title"
    rec.title, rec.kicker, rec.subtitle = title or None, spans.kicker, spans.subtitle
    rec.dateline = spans.dateline
    rec.body = "\n\n".join(spans.body) or None
    rec.contact = contact.layout(spans.contact) or None
    rec.kind, rec.number, rec.place = head.kind, head.release_number, head.place
    issuer = contact.issuer(rec.contact)
    rec.ministry = head.ministry or issuer
    found["ministry"] = "header" if head.ministry else "contact-block"
    if not rec.ministry and ministry:
        rec.ministry = ministry() if callable(ministry) else ministry
        found["ministry"] = "page-title"
    if not rec.ministry and head.issuer:
        rec.ministry, found["ministry"] = head.issuer, "header"
    if listing and not rec.title and listing.get("title"):
        rec.title, found["title"] = listing["title"], "listing"
    _choose_date(rec, locale, attribute_date, head.dates, listing, spans.body_dates)
    said = "\n\n".join(filter(None, [rec.title, rec.subtitle, *spans.persons_text]))
    rec.persons = find_persons(said)
    if rec.persons:
        found["persons"] = "speaker-label" if spans.speaker_labels else "quotation"
    _record_sources(rec, spans, found)
    if not rec.title and not rec.body:
        rec.flag("not-a-release")
    elif not rec.body:
        rec.flag("no-body")
    elif not any(is_sentence(p) for p in rec.body.split("\n\n")):
        rec.flag("not-a-release")
    return rec


def _record_sources(rec: Record, spans: Spans, found: dict[str, str]) -> None:
    """Say which layout rule gave each field it filled (page readers record their own)."""
    rules = {
        "kind": "header", "number": "header", "place": "header", "dateline": "dateline",
        "contact": "contact-block",
    }  # fmt: skip
    if not spans.by_roles:  # the layout rules, not a page's selectors, found these spans
        rules.update(kicker="layout", title="layout", subtitle="layout", body="layout")
    for name, source in {**rules, **found}.items():
        if getattr(rec, name):
            rec.sources.setdefault(name, source)


def _choose_date(rec, locale, attribute, header, listing, body) -> None:
    """The first date by source: page attribute, header line, listing card, body; never a
    guess (``no-date``); disagreeing sources are flagged ``date-conflict``."""
    listed = parse_date(str(listing.get("date") or ""), locale) if listing else None
    for source, value in (
        ("attribute", attribute),
        ("header", header[0] if header else None),
        ("listing", listed),
        ("body", body[0] if body else None),
    ):
        if value:
            rec.published, rec.sources["published"] = value.isoformat(), source
            break
    else:
        rec.flag("no-date")
    known = {d for d in (attribute, header[0] if header else None, listed) if d}
    if len(known) > 1:
        rec.flag("date-conflict")
