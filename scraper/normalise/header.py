"""Header material: label, number, place-and-date line, ministry line, date lines."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from .dates import WEEKDAYS, date_at_start, find_dates, parse_date

# Every label but "Medieninformation" has "Press" in it (a cheap test before a search).
KIND = re.compile(
    r"(?=[GMP])(?P<kind>(?:Gemeinsame\s+)?(?:Presseinformation|PresseInformation"
    r"|Pressemitteilung|Pressemeldung|Medieninformation|Pressenotiz|Pressestatement"
    r"|Press [Rr]elease))\b"
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
_WEEKDAY = re.compile(WEEKDAYS)
_HAS_DIGIT = re.compile(r"\d")
_LABEL_PREFIX = re.compile(r"[-–•|]$|^[A-ZÄÖÜ][A-Za-zÄÖÜäöü]{1,7}$")  # "Staatskanzlei -", "HMSI"
_OF_AUTHORITY = re.compile(r"^\s+de[rs]\s+(?P<who>.+?)\s+vom\s+")
_AUTHORITY = re.compile(
    r"[Mm]inisterium|Staatskanzlei|Senatskanzlei|Senatsverwaltung|Presse- und Informationsamt"
    r"|Landesregierung|Bundesregierung|Landesamt|Bundesamt|Ministry|Office|Chancellery"
)
# Each authority word contains one of these (a cheap test before the search).
_AUTHORITY_HINTS = (
    "inisterium", "kanzlei", "Senatsverwaltung", "amt", "regierung", "Ministry", "Office",
    "Chancellery",
)  # fmt: skip
_NAME_WORDS = frozenset({
    "für", "und", "der", "des", "die", "das", "den", "dem", "im", "in", "von", "vom", "zu", "zur",
    "an", "am", "bei", "beim", "mit", "sowie", "of", "the", "and", "for",
})  # fmt: skip
_NAME_START = re.compile(
    r"^(?:Der|Die|The|Presse-|Press|Federal|[A-ZÄÖÜ]\w*(?:isches|ische|ischer|e|es|er|en)"
    r"|(?:[A-ZÄÖÜ]\w*)?(?:[Mm]inisterium|[Kk]anzlei|[Vv]erwaltung|[Aa]mt|[Rr]egierung)"
    r"|Ministry|Office)$"
)


_WORDS = re.compile(r"[\wÄÖÜäöüß'’-]+")


def is_ministry(line: str) -> bool:
    """A line that names an authority and nothing else ("Ministerium für Kultur des Landes
    Sachsen-Anhalt"): an authority word, and no lower-case word but articles/prepositions."""
    line = line.strip()
    if not line or len(line) > 160 or line[-1] in ".:!?":
        return False
    if not any(hint in line for hint in _AUTHORITY_HINTS) or not _AUTHORITY.search(line):
        return False
    words = _WORDS.findall(line)
    return bool(_NAME_START.match(words[0])) and all(
        word[0].isupper() or word in _NAME_WORDS for word in words
    )


# Document kinds that count only as a line of their own ("Rede", not "Rede von ...").
KIND_LINE = re.compile(r"^(?P<kind>Rede|Interview|Gastbeitrag|Namensbeitrag)$")


@dataclass(slots=True)
class Header:
    """What header lines told: fields plus dated evidence."""

    kind: str | None = None
    number: str | None = None
    place: str | None = None
    ministry: str | None = None
    issuer: str | None = None  # "Staatskanzlei - Pressemitteilung ...": a last resort
    dates: list[date] = field(default_factory=list)

    def merge(self, other: Header) -> None:
        """Fill what is still missing from ``other``; dates accumulate."""
        for name in ("kind", "number", "place", "ministry", "issuer"):
            if getattr(self, name) is None:
                setattr(self, name, getattr(other, name))
        self.dates.extend(other.dates)


def _place_date(text: str, locale: str) -> tuple[str, date, str] | None:
    """``Wiesbaden, 25.09.2018 rest`` -> (place, date, rest)."""
    comma = text.find(",", 0, 80)
    if comma < 0 or comma + 6 > len(text):
        return None
    match = _PLACE_START.match(text)
    if not match or _WEEKDAY.fullmatch(match["place"]):
        return None
    after = text[match.end() :]
    found = date_at_start(after, locale)
    if not found:
        return None
    return match["place"], found[2], after[found[1] :].strip(" ,:")


def _label(text: str, head: Header, locale: str) -> str | None:
    """A label with what it carries (issuer, number, ``der X vom DATE``); the rest or None."""
    start = text[:120]
    label = KIND.search(start) if "Press" in start or "Medieninformation" in start else None
    if not label:
        return None
    prefix = text[: label.start()].strip()
    if prefix and not _LABEL_PREFIX.search(prefix):
        return None
    issued_by = prefix.endswith(("-", "–"))
    prefix = prefix.strip(" -–•|")
    if issued_by and is_ministry(prefix):
        head.issuer = prefix
    head.kind = label["kind"]
    rest = text[label.end() :]
    of = _OF_AUTHORITY.match(rest)
    if of:
        found = date_at_start(rest[of.end() :], locale)
        if found:
            head.dates.append(found[2])
            rest = rest[of.end() + found[1] :]
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
    text = line.strip()
    if not glued and len(text) > 200:  # header lines are short
        return None
    found = Header()
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
    kind_line = KIND_LINE.match(text)
    if kind_line:
        head.kind = head.kind or kind_line["kind"]
        return ""
    if _piece(text, found, locale):
        head.merge(found)
        return ""
    return None


def _piece(text: str, head: Header, locale: str) -> bool:
    if not _HAS_DIGIT.search(text):  # dates, place-and-date lines and numbers have digits
        if is_ministry(text):
            head.ministry = text
            return True
        return False
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
    if is_ministry(text):
        head.ministry = text
        return True
    return False
