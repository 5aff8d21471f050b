"""Explicit German (and English) date parsing; reading times and legal references are not dates."""

from __future__ import annotations

import re
from datetime import date

from . import vocab

MONTHS_DE = {
    "januar": 1, "jänner": 1, "jaenner": 1, "jan": 1,
    "februar": 2, "feber": 2, "feb": 2, "febr": 2,
    "märz": 3, "maerz": 3, "mrz": 3, "mär": 3,
    "april": 4, "apr": 4,
    "mai": 5,
    "juni": 6, "jun": 6,
    "juli": 7, "jul": 7,
    "august": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "okt": 10,
    "november": 11, "nov": 11,
    "dezember": 12, "dez": 12,
}  # fmt: skip
MONTHS_EN = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
}  # fmt: skip
WEEKDAYS = (
    "Montag|Dienstag|Mittwoch|Donnerstag|Freitag|Samstag|Sonnabend|Sonntag"
    "|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
)
_MONTH_NAMES = "|".join(sorted({*MONTHS_DE, *MONTHS_EN}, key=len, reverse=True))

# Every date pattern (and the ISO value) has a four-digit year: text without one has no date.
_YEAR = re.compile(r"\d{4}")
_ISO = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?![\d-])")
_NUMERIC = re.compile(r"(?<![\d.])(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4})(?!\d)")
_SLASH = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})/(\d{4})(?![\d/])")
# "3. März 2025", "3 März 2025", "3.März 2025" (a space lost after the day's dot)
_DAY_MONTH = re.compile(
    rf"(?<!\d)(\d{{1,2}})(?:\.\s*|\s+)({_MONTH_NAMES})\.?\s+(\d{{4}})(?!\d)", re.I
)
_DAY_BEFORE_WORD = re.compile(r"\d(?:\.\s*|\s+)[^\W\d_]")
_DAY_BEFORE_YEAR = re.compile(r"\d,?\s+\d{4}")
_MONTH_DAY = re.compile(rf"\b({'|'.join(MONTHS_EN)})\s+(\d{{1,2}}),?\s+(\d{{4}})(?!\d)", re.I)

# Context that turns a date-like string into something else: a law, a file, a duration.
_LEGAL_NEAR = re.compile(r"§|\bArt\.|\bAbs\.|BGBl|GVBl|\bAz\.|Aktenzeichen|Drucks", re.I)
_LEGAL_VOM = re.compile(
    r"(?:Gesetz(?:es)?|Verordnung|Urteil|Beschluss|Fassung|Änderung|Erlass|Vertrag)\w*\s+vom\s*$",
    re.I,
)
READING_TIME = re.compile(
    "^" + vocab.alternation(vocab.words("chrome", "reading_time")) + "$", re.I
)


def _make(year: int, month: int, day: int) -> date | None:
    if not 1949 <= year <= 2100:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _candidates(text: str, locale: str):
    """Yield (start, end, date) for every date-like match in ``text``."""
    for m in _ISO.finditer(text) if "-" in text else ():
        yield m.start(), m.end(), _make(int(m[1]), int(m[2]), int(m[3]))
    for m in _NUMERIC.finditer(text) if "." in text else ():
        yield m.start(), m.end(), _make(int(m[3]), int(m[2]), int(m[1]))
    month_first = locale.lower().startswith("en")
    for m in _SLASH.finditer(text) if "/" in text else ():
        a, b = int(m[1]), int(m[2])
        month, day = (a, b) if month_first else (b, a)
        yield m.start(), m.end(), _make(int(m[3]), month, day)
    # The month-name patterns are slow to search: first a cheap test for what they need, a
    # day before a word ("24. Mai 2022") or before a year ("May 24, 2022").
    for m in _DAY_MONTH.finditer(text) if _DAY_BEFORE_WORD.search(text) else ():
        month = MONTHS_DE.get(m[2].lower()) or MONTHS_EN.get(m[2].lower())
        yield m.start(), m.end(), _make(int(m[3]), month, int(m[1]))
    for m in _MONTH_DAY.finditer(text) if _DAY_BEFORE_YEAR.search(text) else ():
        yield m.start(), m.end(), _make(int(m[3]), MONTHS_EN[m[1].lower()], int(m[2]))


def _is_legal(text: str, start: int) -> bool:
    before = text[max(0, start - 40) : start]
    return bool(
        _LEGAL_NEAR.search(text[max(0, start - 15) : start])
        or ("vom" in before.lower() and _LEGAL_VOM.search(before))  # (a cheap test first)
    )


def find_dates(text: str, locale: str = "de") -> list[tuple[int, int, date]]:
    """Every date in ``text`` as (start, end, date), in order; legal references are skipped."""
    if not _YEAR.search(text) or READING_TIME.match(text.strip()):
        return []
    found = []
    for start, end, value in _candidates(text, locale):
        if value is None or _is_legal(text, start):
            continue
        if any(s <= start < e or start <= s < end for s, e, _ in found):
            continue
        found.append((start, end, value))
    return sorted(found, key=lambda item: item[0])


def _may_start_with_date(text: str) -> bool:
    """Every date pattern starts with a digit or an English month name: a cheap test that
    spares the scan of a long text (a paragraph) for dates that could not start it."""
    return text[:1].isdecimal() or bool(_MONTH_DAY.match(text))


def date_at_start(text: str, locale: str = "de") -> tuple[int, int, date] | None:
    """``find_dates(text)[0]`` when that date starts ``text``, else None."""
    found = find_dates(text, locale) if _may_start_with_date(text) else []
    return found[0] if found and found[0][0] == 0 else None


def find_date(text: str, locale: str = "de") -> date | None:
    """The first date in ``text``, or None."""
    found = find_dates(text, locale)
    return found[0][2] if found else None


_ISO_VALUE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$")
_DOTTED_VALUE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_SHORT_YEAR = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{2})")  # "03.03.25" on a line of its own
_DATE_ONLY = re.compile(
    rf"^(?:(?:{WEEKDAYS}|Mo|Di|Mi|Do|Fr|Sa|So)\.?,?\s*)?(?:den\s+|am\s+|vom\s+)?(?P<date>.+?)"
    r"(?:,?\s*(?:[-–|]\s*)?\d{1,2}[:.]\d{2}\s*(?:Uhr)?|T[\d:.+-]+Z?)?$",
    re.I,
)  # "Mo., 3. März 2025", "3. März 2025 | 14:05" ("Am 3.3.2025, um 9 Uhr" opens a sentence)


def _century(year: int) -> int:
    """A two-digit year: this century up to next year, else the last one."""
    now = date.today().year
    return 2000 + year if 2000 + year <= now + 1 else 1900 + year


def parse_date(value: str | None, locale: str = "de") -> date | None:
    """A string that is a date and nothing else (an attribute, a listing cell, a header line)."""
    if not value:
        return None
    value = value.strip()
    short = _SHORT_YEAR.fullmatch(value)
    if short:
        return _make(_century(int(short[3])), int(short[2]), int(short[1]))
    if len(value) > 60 or not _YEAR.search(value):  # a date and nothing else is short
        return None
    iso = _ISO_VALUE.match(value)
    if iso:
        return _make(int(iso[1]), int(iso[2]), int(iso[3]))
    dotted = _DOTTED_VALUE.fullmatch(value)  # "09.07.2026", the common case, read directly
    if dotted:
        return _make(int(dotted[3]), int(dotted[2]), int(dotted[1]))
    match = _DATE_ONLY.match(value)
    if not match:
        return None
    inner = match.group("date").strip(" ,")
    found = find_dates(inner, locale) if _may_start_with_date(inner) else []
    if len(found) == 1 and found[0][0] == 0 and found[0][1] == len(inner.rstrip(". ")):
        return found[0][2]
    return None
