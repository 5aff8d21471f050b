"""Header material: label, number, place-and-date line, issuer line, date lines.

``read_line`` tells what header material starts a line and what is left of it;
``read_glued`` does the same for a first paragraph that swallowed the header. Both are pure:
they return a ``Header`` and never change one; the caller merges what it accepts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from . import vocab
from .dates import WEEKDAYS, date_at_start, find_dates, parse_date

_VOCAB = vocab.load("header")
KIND = re.compile(
    r"(?=[GMP])(?P<kind>(?:Gemeinsame\s+)?" + vocab.alternation(_VOCAB["kinds"]) + r")\b"
)
# Every label contains one of these (a cheap test before the search).
_KIND_HINTS = ("Press", "Medien")
KIND_LINE = re.compile(r"^(?P<kind>" + vocab.alternation(_VOCAB["kind_lines"]) + r")$")

_NUMBER = r"(?:[A-Z]\s?)?\d{1,4}(?:/\d{2,4})?"
_NUMBER_AFTER_KIND = re.compile(rf"^\s*(?:(?:Nr\.?:?|Nummer:?)\s*)?(?P<number>{_NUMBER})(?![\d.])")
NUMBER_LINE = re.compile(r"^(?:Nr\.?:?\s*|Nummer:?\s*)?(?P<number>(?:[A-Z]\s?)?\d{1,4}/\d{2,4})$")
# A number whose label the page lost (": 134"): weaker than a numbered label.
_NUMBER_FRAGMENT = re.compile(r"^[:#]\s*(?P<number>\d{1,4})$")
TITLE_NUMBER = re.compile(r"(?<!\s)\s*\((?P<number>\d{1,4}/\d{2,4})\)$")
# Words of a place name and what joins them; a word holds no joining character, so that
# every line is read in one way only (in linear time).
_PLACE = (
    r"(?P<place>[A-ZÄÖÜ][\wäöüß.']{0,40}"
    r"(?:[ /-](?:am|an der|im|bei|[a-z]\.|[A-ZÄÖÜ][\wäöüß.']{0,40})){0,6})"
)
_PLACE_START = re.compile(
    rf"^{_PLACE},\s*(?:(?:{WEEKDAYS}),?\s+)?(?:den\s+|am\s+)?"
)  # "Erfurt, den 3. März 2025", "Erfurt, Montag, 3. März 2025"
# "28.10.2008, Magdeburg – 269": the date first, then the place, then a number.
_AFTER_DATE_PLACE = re.compile(
    r"^,\s*(?P<place>[A-ZÄÖÜ][\wäöüß-]+(?:[ /-][A-ZÄÖÜ][\wäöüß-]+){0,2})"
    r"(?:\s+[-–—]\s+(?P<number>\d{1,4}(?:/\d{2,4})?))?\s*$"
)
# "08.01.2020 | Title", "28. August 2012/ab12 Title": a date, a separator, maybe a short
# office code, then the title the line was glued to.
_AFTER_DATE_REST = re.compile(r"^\s*(?:\||[-–—]\s|/\s?(?:[A-Za-z]{1,6}\s?\d{1,4}\b)?)\s*(?=\S)")
_AFTER_DATE_CODE = re.compile(r"^/\s?[A-Za-z]{1,6}\s?\d{1,4}\s*$")  # "12. März 2015/ab12"
_ENGLISH = re.compile(r"\b(?:[Pp]ress|Media|[Pp]ublished|[Pp]osted|[Uu]pdated|[Rr]eleased|Date)\b")
_WEEKDAY = re.compile(WEEKDAYS)
# Words a sentence starts with, never a place name.
_NOT_PLACE_START = frozenset({
    "Am", "Im", "An", "In", "Ab", "Bis", "Seit", "Vom", "Von", "Zum", "Zur", "Bei", "Nach",
    "Der", "Die", "Das", "Den", "Dem", "Ein", "Eine", "Es", "Wir", "Sie", "Er", "Ich", "Auch",
})  # fmt: skip
_HAS_DIGIT = re.compile(r"\d")
_POSTED = re.compile(
    r"^(?:Distributed|Published|Posted|Released|Veröffentlicht|Verbreitet|Erschienen)"
    r"(?: (?:by|von|durch) [^|]{1,40}?)? (?:on|am) (?P<date>\S.{5,30})$"
)
_LABEL_PREFIX = re.compile(r"[-–•|]$|^[A-ZÄÖÜ][A-Za-zÄÖÜäöü]{1,7}$")  # "Staatskanzlei -", "HMSI"
_OF_AUTHORITY = re.compile(r"^\s+de[rs]\s+(?P<who>.+?)\s+vom\s+")
_VOM = re.compile(r"^\s*vom\s+")  # "Pressemitteilung vom 3. März 2025"
# "Gemeinsame Pressemitteilung des Ministeriums für X und der Staatskanzlei": who issues it.
_OF_ISSUER = re.compile(r"^\s*(?:de[rs]|vom|von der)\s+(?P<who>[^:!?„“\"]{3,250})$")
# After a date (and time): a note on the version ("— Erstveröffentlichung (aktuell)").
_STATUS = re.compile(
    r"^(?:,?\s*\d{1,2}[:.]\d{2}(?:\s*Uhr)?)?\s*[-–—|]\s*"
    r"(?:Erstveröffentlichung|Erstmals veröffentlicht|Aktualisierung|[Aa]ktualisiert|Update|Neu)"
    r"\b[^.!?]{0,40}$"
)
# After a date: capitalised words only ("Bayern Pressemeldung Staatsministerium für ...").
_META_WORD = r"(?:[A-ZÄÖÜ][\w.-]*|für|und|des|der|die|das|von|vom|im|in)"
_META_WORDS = re.compile(rf"^(?:\s+{_META_WORD}){{1,15}}\s*$")
_TIME = re.compile(r"^(?:[-–|,]\s*)?\d{1,2}[:.]\d{2}(?:\s*Uhr)?$")  # "10:30 Uhr" after a date
_NUMBER_FIRST = re.compile(
    rf"^(?:Nr\.?:?|Nummer:?)\s*(?P<number>{_NUMBER})(?![\d.])\s*(?:vom\s+|[,|–-]\s*)?"
)  # "Nr. 45/2025 vom 3. März 2025"
_PIECES = re.compile(r"(?<!\s)(?:\s+•\s+|\s*\|\s*)")  # (the look-behind keeps it linear)
_CODE = re.compile(r"^[A-ZÄÖÜ]{2,6}$")  # "STK", "HMSI": an office's short name in a meta line
_ISSUER_PREFIX = re.compile(
    r"^(?:[-–]\s+)?(?:" + vocab.alternation(_VOCAB["issuer_prefixes"]) + r"\s+)?"
)
_ISSUER_SUFFIX = re.compile(r"(?<!\s)\s+[-–]$|:$")

_AUTHORITY = re.compile(vocab.alternation(_VOCAB["authorities"]))


_NAME_WORDS = frozenset({
    "für", "und", "der", "des", "die", "das", "den", "dem", "im", "in", "von", "vom", "zu", "zur",
    "an", "am", "bei", "beim", "mit", "sowie", "of", "the", "and", "for",
})  # fmt: skip
_NAME_START = re.compile(
    r"^(?:Der|Die|Das|The|Presse-|Press|Federal|German|Austrian|Swiss|[A-Z]\w*(?:ian|ish)"
    r"|[A-ZÄÖÜ]\w*(?:isches|ische|ischer|e|es|er|en)"
    r"|(?:[A-ZÄÖÜ]\w*)?(?:[Mm]inisterium|[Kk]anzlei|[Vv]erwaltung|[Aa]mt|[Rr]egierung|[Ss]enat"
    r"|[Ss]enator|[Ss]enatorin|[Bb]ehörde|[Pp]räsidium|[Dd]epartement)|Ministry|Office)$"
)
_WORDS = re.compile(r"[\wÄÖÜäöüß'’-]+")


def is_ministry(line: str) -> bool:
    """A line that names an authority and nothing else ("Ministerium für Kultur des Landes
    Sachsen-Anhalt"): an authority word, and no lower-case word but articles/prepositions."""
    line = line.strip()
    if not line or len(line) > 160 or line[-1] in ".:!?" or ": " in line:
        return False  # "Innenministerium: Neue Regeln" is a title
    named = next((m for m in _AUTHORITY.finditer(line) if _word_ends(line, m.end())), None)
    if not named:
        return False  # only "des Kultusministeriums", "der Behörden": a title names them
    before = line[: line.rfind(" ", 0, named.start()) + 1].split()  # the words before its word
    if before and before[-1] in _PLACE_WORDS:
        return False  # "Neue Pressestelle im Innenministerium": a place, not the issuer
    words = _WORDS.findall(line)
    return (
        bool(words)
        and bool(_NAME_START.match(words[0]))
        and all(word[0].isupper() or word in _NAME_WORDS for word in words)
    )


_PLACE_WORDS = frozenset({"im", "in", "beim", "zum", "zur", "am", "an", "bei", "aus", "ins"})


def _word_ends(text: str, at: int) -> bool:
    return at == len(text) or not text[at].isalpha()


def _names_authorities(text: str) -> bool:
    """Words that name one or more authorities in any case ("des Ministeriums für Verkehr und
    der Staatskanzlei"): an authority word, every other word capitalised or a name word."""
    words = _WORDS.findall(text)
    return bool(_AUTHORITY.search(text)) and all(
        word[0].isupper() or word in _NAME_WORDS for word in words
    )


def issuer_line(line: str) -> str | None:
    """The authority a line names, also as "- Ministerium ...", "Ministerium ... -" or
    "Aus dem Ministerium ...:"; one authority per "|"-separated part."""
    if len(line) > 200 or not _AUTHORITY.search(line):
        return None
    name = _ISSUER_SUFFIX.sub("", _ISSUER_PREFIX.sub("", line.strip(), count=1), count=1)
    parts = [part.strip() for part in name.split("|")]
    if all(is_ministry(part) for part in parts):
        return parts[0]
    return None


@dataclass(slots=True)
class Header:
    """What header lines told: fields plus dated evidence."""

    kind: str | None = None
    number: str | None = None
    place: str | None = None
    ministry: str | None = None
    issuer: str | None = None  # "Staatskanzlei - Pressemitteilung ...": a last resort
    dates: list[date] = field(default_factory=list)
    weak_number: str | None = None  # ": 134", a number whose label was lost

    def merge(self, other: Header) -> None:
        """Fill what is still missing from ``other``; dates accumulate. A release number
        with its year ("134/09") replaces one without ("134")."""
        for name in ("kind", "place", "ministry", "issuer", "weak_number"):
            if getattr(self, name) is None:
                setattr(self, name, getattr(other, name))
        if other.number and (
            self.number is None or ("/" in other.number and "/" not in self.number)
        ):
            self.number = other.number
        self.dates.extend(other.dates)

    @property
    def release_number(self) -> str | None:
        return self.number or self.weak_number


def _place_date(text: str, locale: str) -> tuple[str, date, str] | None:
    """``Wiesbaden, 25.09.2018 rest`` -> (place, date, rest); the rest keeps a full stop
    that followed the date ("Berlin, 27.02.2015. Um ..." -> ". Um ...")."""
    comma = text.find(",", 0, 80)
    if comma < 0 or comma + 6 > len(text):
        return None
    match = _PLACE_START.match(text)
    if (
        not match
        or _WEEKDAY.search(match["place"])
        or KIND.fullmatch(match["place"])
        or match["place"].split(" ", 1)[0] in _NOT_PLACE_START
    ):
        return None  # "Mittwoch, 2. März", "Am Dienstag, 6. Februar 2024, tagt ..."
    after = text[match.end() :]
    found = date_at_start(after, locale)
    if not found:
        return None
    rest = after[found[1] :].strip(" ,:")
    if rest == ".":
        rest = ""
    return match["place"], found[2], rest if rest.startswith(". ") else rest.lstrip("–- ")


def _label(text: str, head: Header, locale: str) -> str | None:
    """A label with what it carries (issuer, number, ``der X vom DATE``); the rest or None."""
    start = text[:120]
    label = KIND.search(start) if any(hint in start for hint in _KIND_HINTS) else None
    if not label:
        return None
    prefix = text[: label.start()].strip()
    if prefix and not _LABEL_PREFIX.search(prefix):
        return None
    issued_by = prefix.endswith(("-", "–"))
    prefix = prefix.strip(" -–•|")
    dated = parse_date(prefix, locale) if prefix[:1].isdecimal() else None
    if dated:
        head.dates.append(dated)  # "11/04/2025 | Press release"
    if issued_by and is_ministry(prefix):
        head.issuer = head.issuer or prefix
    head.kind = head.kind or label["kind"]
    rest = text[label.end() :]
    of = _OF_AUTHORITY.match(rest) or _VOM.match(rest)
    if of:
        found = date_at_start(rest[of.end() :], locale)
        if found:
            head.dates.append(found[2])
            rest = rest[of.end() + found[1] :]
    issuer = _OF_ISSUER.match(rest)
    joint = label["kind"].startswith("Gemeinsame")  # "der X eG, der Y AG und der Z": issuers
    if issuer and (joint or _names_authorities(issuer["who"])) and ". " not in issuer["who"]:
        return ""  # the issuers in the genitive: not a name to keep
    number = _NUMBER_AFTER_KIND.match(rest)
    if (
        number
        and not _place_date(rest.strip(" •|-–:,"), locale)
        and not find_dates(rest[: number.end() + 8], locale)
    ):
        if head.number is None or "/" in number["number"]:
            head.number = number["number"]
        rest = rest[number.end() :]
    return rest.strip(" •|-–:,")


def _date_first(text: str, head: Header, locale: str) -> str | None:
    """A line that starts with a date: "date, place – number", "date | title" or
    "date/code title"; the rest (the title glued to it) or None."""
    found = date_at_start(text, locale)
    if not found:
        return None
    after = text[found[1] :]
    place = _AFTER_DATE_PLACE.match(after)
    if place:
        head.place = place["place"]
        if place["number"]:
            head.number = place["number"]
        head.dates.append(found[2])
        return ""
    if _TIME.match(after.strip()):
        head.dates.append(found[2])
        return ""  # "03.03.2025 | 10:30 Uhr"
    if _AFTER_DATE_CODE.match(after) or _STATUS.match(after):
        head.dates.append(found[2])
        return ""  # "12. März 2015/ab12", "27.08.2015, 13:22 Uhr — Erstveröffentlichung"
    meta = _META_WORDS.match(after)
    label = KIND.search(after) if meta else None
    if label:
        head.kind = head.kind or label["kind"]
        head.dates.append(found[2])
        return ""  # "07.04.2008 Land Pressemeldung Ministerium für Kultus"
    separator = _AFTER_DATE_REST.match(after)
    if not separator:
        return None
    head.dates.append(found[2])
    rest = after[separator.end() :]
    return "" if _piece(rest.strip(), head, locale) else rest  # "3. März 2025 – Nr. 45/2025"


def _number_first(text: str, head: Header, locale: str) -> str | None:
    """ "Nr. 45/2025 vom 3. März 2025" (maybe with a title glued on): the rest, or None."""
    number = _NUMBER_FIRST.match(text)
    found = date_at_start(text[number.end() :], locale) if number else None
    if not found:
        return None
    head.number = number["number"]
    head.dates.append(found[2])
    return text[number.end() + found[1] :].strip(" •|-–:,")


def read_line(line: str, locale: str = "de") -> tuple[Header, str] | None:
    """The header material at the start of ``line`` and what is left of the line ("" when
    all of it was header material), or None when the line is not header material."""
    text = line.strip()
    if len(text) > 200:  # header lines are short
        return None
    found = Header()
    if "/" in text and _ENGLISH.search(text):
        locale = "en"  # "Press release 11/04/2025": the line's own language reads the date
    if any(hint in text for hint in _KIND_HINTS):
        rest = _label(text, found, locale)
        if rest is not None:
            return found, _label_rest(rest, found, locale)
    if "," in text[:80]:
        place_date = _place_date(text, locale)
        if place_date:
            found.place, value, rest = place_date
            found.dates.append(value)
            # "Magdeburg, den 13. Mai 2009 Neue Schulen": a title stuck to the line; after
            # "Berlin, 27.02.2015." the text of the release begins (``read_glued``).
            return None if rest.startswith(". ") else (found, rest)
    if text[:1].isdecimal():
        rest = _date_first(text, found, locale)
        if rest is not None:
            return found, rest
    if text.startswith("N") and "|" not in text:
        rest = _number_first(text, found, locale)
        if rest is not None:
            return found, rest
    if text.isupper() and any(hint.upper() in text for hint in _KIND_HINTS):
        caps = read_line(text.title(), locale)  # "PRESSEMITTEILUNG NR. 45/2025"
        if caps and not caps[1]:
            return caps
    kind_line = KIND_LINE.match(text) if len(text) < 20 else None
    if kind_line:
        found.kind = kind_line["kind"]
        return found, ""
    rest = _pieces(text, found, locale)
    return None if rest is None else (found, rest)


def _label_rest(rest: str, found: Header, locale: str) -> str:
    """What follows a label on its line: a place-and-date, header pieces, or the text."""
    if not rest:
        return ""
    place_date = _place_date(rest, locale)
    if place_date:
        found.place, value, rest = place_date
        found.dates.append(value)
        rest = rest.removeprefix(". ")
        if not rest:
            return ""
    pieces = _pieces(rest, found, locale) if "|" in rest or "•" in rest else None
    if pieces is not None:
        return pieces
    return "" if _piece(rest, found, locale) else rest


def _pieces(text: str, head: Header, locale: str) -> str | None:
    """A line of header pieces ("Nr. 12/2024 | 03.05.2024 | STK | Staatskanzlei"), or one;
    the text glued after the pieces ("Nr. 12/2024 | 03.05.2024 | Title"), or None."""
    if "|" not in text and "•" not in text:
        return "" if _piece(text, head, locale) else None
    ministry = issuer_line(text)
    if ministry:
        head.ministry = head.ministry or ministry
        return ""
    starts = [0] + [m.end() for m in _PIECES.finditer(text)]
    scratch = Header()
    codes = taken = 0
    for at, start in enumerate(starts):
        end = starts[at + 1] if at + 1 < len(starts) else len(text)
        part = _PIECES.sub("", text[start:end]).strip()
        if not part:
            continue
        if _CODE.match(part):
            codes += 1
        elif not _piece(part, scratch, locale):
            break
        taken = at + 1
    if not (scratch.dates or scratch.number or scratch.kind) or codes == taken:
        return None  # a meta line carries a date, a number or a label
    head.merge(scratch)
    return text[starts[taken] :].strip() if taken < len(starts) else ""


def _piece(text: str, head: Header, locale: str) -> bool:
    """One piece of header material: a label, an issuer, a date, a place-and-date or a
    release number (cheapest tests first: a longer piece can only be some of these)."""
    size = len(text)
    if size > 120:
        return False
    if not _HAS_DIGIT.search(text):  # dates, place-and-date lines and numbers have digits
        label = KIND.fullmatch(text) if any(hint in text for hint in _KIND_HINTS) else None
        if label:
            head.kind = head.kind or label["kind"]
            return True
        ministry = issuer_line(text)
        if ministry:
            head.ministry = head.ministry or ministry
            return True
        return False
    place_date = _place_date(text, locale) if "," in text else None
    if place_date and not place_date[2]:
        head.place = place_date[0]
        head.dates.append(place_date[1])
        return True
    value = parse_date(text, locale) if size <= 60 else None
    if value:
        head.dates.append(value)
        return True
    posted = _POSTED.match(text)
    value = parse_date(posted["date"], locale) if posted else None
    if value:
        head.dates.append(value)  # "Distributed by Public on 11/04/2025 09:32"
        return True
    if size > 24:
        return False
    number = NUMBER_LINE.match(text)
    if number:
        head.number = number["number"]
        return True
    fragment = _NUMBER_FRAGMENT.match(text)
    if fragment:
        head.weak_number = fragment["number"]
        return True
    return False


def read_glued(text: str, locale: str = "de") -> tuple[Header, str] | None:
    """A first paragraph that swallowed the header: labels (each may repeat), then a
    place-and-date; (header, the paragraph's own text) or None."""
    found = Header()
    rest = text.strip()
    for _ in range(4):  # "Ministerium - Pressemitteilung Nr. 1/09" printed twice, or more
        after = _label(rest, found, locale)
        if after is None or after == rest:
            break
        rest = after
    place_date = _place_date(rest, locale)
    if not place_date:
        return None
    found.place, value, rest = place_date
    found.dates.append(value)
    return found, rest.removeprefix(". ")
