"""Readers: one source of field values each, returning candidates ``(field, value, source)``.

A reader looks at one thing on the page (the profile's selectors, JSON-LD, meta tags,
``time`` tags, headings, the listing card, the layout rules, trafilatura, htmldate) and
says what it found; ``resolve`` decides which candidate becomes the record's value.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Candidate:
    """One reader's value for one field."""

    field: str
    value: object
    source: str
