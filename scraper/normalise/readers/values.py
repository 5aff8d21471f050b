"""Machine-readable date values of structured data (ISO 8601, RFC 2822), read as local dates."""

from __future__ import annotations

import re
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..dates import parse_date

_ISO_DATETIME = re.compile(
    r"^\s*(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)\s*(Z|[+-]\d{2}:?\d{2})\s*$"
)
_RFC_2822 = re.compile(r"^\s*(?:[A-Z][a-z]{2},\s*)?\d{1,2}\s+[A-Z][a-z]{2}\s+\d{4}\s+\d")

try:
    LOCAL = ZoneInfo("Europe/Berlin")
except ZoneInfoNotFoundError:  # pragma: no cover - tzdata is a dependency
    LOCAL = None


def _local(moment: datetime) -> date:
    return moment.astimezone(LOCAL).date() if LOCAL is not None else moment.date()


def structured_date(value: str | None, locale: str = "de") -> date | None:
    """The publication day of a structured value: a timestamp with a zone is the day in
    German local time (``2022-11-06T23:00Z`` is 7 November); anything else as written."""
    if not value:
        return None
    iso = _ISO_DATETIME.match(value)
    if iso:
        offset = iso[3].replace("Z", "+00:00")
        if len(offset) == 5:
            offset = offset[:3] + ":" + offset[3:]
        try:
            found = _local(datetime.fromisoformat(f"{iso[1]}T{iso[2]}{offset}"))
        except ValueError:
            return None
        return found if 1949 <= found.year <= 2100 else None
    if _RFC_2822.match(value):
        try:
            return _local(parsedate_to_datetime(value.strip()))
        except (TypeError, ValueError):
            return None
    return parse_date(value, locale)
