"""``time`` elements: the machine-readable date of the release region (or the page)."""

from __future__ import annotations

from lxml import etree

from . import Candidate
from .values import structured_date

_TIME = etree.XPath(".//time[@datetime]")


def read(region, locale: str) -> list[Candidate]:
    """The first ``time[datetime]`` under ``region`` that holds a date."""
    for element in _TIME(region):
        value = structured_date(element.get("datetime", "").strip(), locale)
        if value:
            return [Candidate("published", value, "time")]
    return []
