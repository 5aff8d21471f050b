"""Header material: label, number, place-and-date line, ministry line, date lines."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from .dates import WEEKDAYS, find_dates, parse_date

KIND = re.compile(
    r"(?P<kind>(?:Gemeinsame\s+)?(?:Presseinformation|PresseInformation|Pressemitteilung|Pressemeldung"
    r"|Medieninformation|Pressenotiz|Pressestatement))\b"
)
_NUMBER = r"(?:[A-Z]\s?)?\d{1,4}(?:/\d{2,4})?"
_NUMBER_AFTER_KIND = re.compile(rf"^\s*(?:Nr\.?:?|Nummer:?)?\s*(?P<number>{_NUMBER})(?![\d.])")
NUMBER_LINE = re.compile(r"^(?:Nr\.?:?\s*|Nummer:?\s*)?(?P<number>(?:[A-Z]\s?)?\d{1,4}/\d{2,4})$")
TITLE_NUMBER = re.compile(r"\s*\((?P<number>\d{1,4}/\d{2,4})\)$")
_PLACE = (
    r"(?P<place>[A-ZÄÖÜ][\wäöüß.'-]*"
    r"(?:[ /-](?:am|an der|im|bei|[a-z]\.|[A-ZÄÖÜ][\wäöüß.'-]*))*)"
)
_PLACE_START = re.compile(rf"^{_PLACE},\s*(?:den\s+|am\s+)?")
_CREATED = re.compile(
    r"^(?:erstellt am|veröffentlicht am|Datum|Stand|Veröffentlicht):?\s*(.*)$", re.I
)
MINISTRY = re.compile(
    r"^(?:Der |Die )?(?:[A-ZÄÖÜ][\wäöüß]+(?:e|es|er)\s+)?(?:Staats|Bundes|Landes)?[Mm]inisterium"
    r"\s+(?:für|der|des|für|des Innern)\b.{0,150}$"
    r"|^(?:Hessische |Niedersächsische |Bayerische |Sächsische )?Staatskanzlei(?: [\w ]+)?$"
    r"|^Presse- und Informationsamt der Bundesregierung$|^Senatsverwaltung für .{3,120}$"
    r"|^(?:[A-ZÄÖÜ][\wäöüß]+(?:e|es)\s+)(?:Staats|Landes)?[Mm]inisterium(?: [\w, ]+)?$"
)


@dataclass
class Header:
    """What header lines told: fields plus dated evidence."""

    kind: str | None = None
    number: str | None = None
    place: str | None = None
    ministry: str | None = None
    dates: list[date] = field(default_factory=list)

    def merge(self, other: Header) -> None:
        """Fill what is still missing from ``other``; dates accumulate."""
        for name in ("kind", "number", "place", "ministry"):
            if getattr(self, name) is None:
                setattr(self, name, getattr(other, name))
        self.dates.extend(other.dates)


def _place_date(text: str, locale: str) -> tuple[str, date, str] | None:
    """``Wiesbaden, 25.09.2018 rest`` -> (place, date, rest)."""
    match = _PLACE_START.match(text)
    if not match or re.fullmatch(WEEKDAYS, match["place"]):
        return None
    after = text[match.end() :]
    found = find_dates(after, locale)
    if not found or found[0][0] != 0:
        return None
    return match["place"], found[0][2], after[found[0][1] :].strip(" ,:")


def _label(text: str, head: Header, locale: str) -> str | None:
    """A label with what it carries (issuer, number, ``der X vom DATE``); the rest or None."""
    label = KIND.search(text[:120])
    if not label:
        return None
    prefix = text[: label.start()].strip()
    if prefix and not re.search(r"[-–•|]$|^[A-ZÄÖÜ][A-Za-zÄÖÜäöü]{1,7}$", prefix):
        return None
    prefix = prefix.strip(" -–•|")
    if prefix and MINISTRY.match(prefix):
        head.ministry = prefix
    head.kind = label["kind"]
    rest = text[label.end() :]
    of = re.match(r"^\s+der\s+(?P<who>.+?)\s+vom\s+", rest)
    if of:
        found = find_dates(rest[of.end() :], locale)
        if found and found[0][0] == 0:
            head.ministry = head.ministry or of["who"]
            head.dates.append(found[0][2])
            rest = rest[of.end() + found[0][1] :]
    number = _NUMBER_AFTER_KIND.match(rest)
    if (
        number
        and not _place_date(rest.strip(" •|-–:"), locale)
        and not find_dates(rest[: number.end() + 8], locale)
    ):
        head.number = number["number"]
        rest = rest[number.end() :]
    return rest.strip(" •|-–:")


def parse_line(line: str, head: Header, locale: str = "de", glued: bool = False) -> str | None:
    """Take header material off the start of ``line`` into ``head``.

    Returns what is left of the line ("" when all of it was header material), or None when
    the line is not header material (``head`` is then untouched). With ``glued`` the line must
    start with a place-and-date, after an optional label: a first paragraph that swallowed
    the header.
    """
    found = Header()
    text = line.strip()
    rest = _label(text, found, locale)
    if rest is None:
        rest = text
    elif not rest and not glued:
        head.merge(found)
        return ""
    place_date = _place_date(rest, locale)
    if place_date:
        found.place, value, rest = place_date
        found.dates.append(value)
        if glued or not rest:
            head.merge(found)
            return rest
    if glued:
        return None
    if found.kind:
        parts = [p.strip() for p in rest.split("•")]
        if all(_piece(p, found, locale) for p in parts if p):
            rest = ""
        head.merge(found)
        return rest
    if _piece(text, found, locale):
        head.merge(found)
        return ""
    return None


def _piece(text: str, head: Header, locale: str) -> bool:
    place_date = _place_date(text, locale)
    if place_date and not place_date[2]:
        head.place = place_date[0]
        head.dates.append(place_date[1])
        return True
    value = parse_date(text, locale)
    if value:
        head.dates.append(value)
        return True
    number = NUMBER_LINE.match(text)
    if number:
        head.number = number["number"]
        return True
    if MINISTRY.match(text) and not text.endswith("."):
        head.ministry = text
        return True
    return False


def created_date(line: str, following: str | None, locale: str) -> tuple[date | None, bool]:
    """``erstellt am:`` with its date on the same or the next line: (date, next line used)."""
    match = _CREATED.match(line.strip())
    if not match:
        return None, False
    if match[1]:
        return parse_date(match[1], locale), False
    return (parse_date(following, locale), True) if following else (None, False)


def weekday_line(line: str) -> bool:
    """True for a line that starts with a weekday name."""
    return bool(re.match(rf"^(?:{WEEKDAYS})\b", line))
