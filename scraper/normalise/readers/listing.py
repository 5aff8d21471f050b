"""The listing card that linked the release: its title and date (a fallback)."""

from __future__ import annotations

from ..dates import parse_date
from . import Candidate


def read(listing: dict | None, locale: str) -> list[Candidate]:
    """What the card said, as candidates."""
    if not listing:
        return []
    out = []
    value = parse_date(str(listing.get("date") or ""), locale)
    if value:
        out.append(Candidate("published", value, "listing"))
    title = " ".join(str(listing.get("title") or "").split())
    if title:
        out.append(Candidate("title", title, "listing"))
    return out
