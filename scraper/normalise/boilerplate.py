"""Page furniture around a release (``vocab/chrome.toml``), recognised line by line."""

from __future__ import annotations

import re

from . import contact, vocab
from .dates import READING_TIME

_CHROME = vocab.load("chrome")
_FURNITURE = 120  # markers, widgets and navigation lines are short
_DOWNLOAD = 200
_FOOTER = 400
_CONTAINS = ".*"  # a pattern for a line that contains something, wherever it stands


def _whole(key: str) -> list[str]:
    return [entry for entry in _CHROME[key] if not entry.startswith(_CONTAINS)]


def _inner(key: str) -> list[str]:
    return [e[2:].removesuffix(".*") for e in _CHROME[key] if e.startswith(_CONTAINS)]


# Which kind of furniture, marker or metadata line a whole line is (``lastgroup``).
LINES = vocab.Dispatch([
    ("speech", _CHROME["speech"]),
    ("verbatim", _CHROME["verbatim"]),
    ("stop", _CHROME["stop"]),
    ("box", _CHROME["box"]),
    ("updated", [vocab.alternation(_CHROME["updated"]) + r":?\s*(?P<updated_value>.*)"]),
    ("created", [vocab.alternation(_CHROME["created"]) + r":?\s*(?P<created_value>.*)"]),
    ("reading", _CHROME["reading_time"]),
    ("chrome", _whole("lines") + _CHROME["channels"]),
    ("long_chrome", _whole("long_lines")),
    ("breadcrumb", _whole("breadcrumbs")),
    ("footer", _whole("footers")),
    ("download", _whole("downloads")),
    ("contact", contact.OPENERS),
])  # fmt: skip
# Longer lines can only be some of these.
_LONG_LINES = vocab.Dispatch([
    ("long_chrome", _whole("long_lines")),
    ("footer", _whole("footers")),
    ("download", _whole("downloads")),
    ("contact", contact.OPENERS),
])  # fmt: skip
_SENTENCE_END = (".", "!", "?")
# Lines that contain a piece of furniture anywhere ("Bild vergrößern", a distributor's
# legal footer): searched for on their own, so that the whole-line lists need no scan.
_INSIDE = vocab.Inside([
    ("long_chrome", _inner("long_lines")),
    ("chrome", _inner("lines")),
    ("footer", _inner("footers")),
    ("download", _inner("downloads")),
])  # fmt: skip
_LIMITS = {"download": _DOWNLOAD, "footer": _FOOTER, "long_chrome": _FOOTER, "contact": _FOOTER}
CHROME_KINDS = ("chrome", "long_chrome", "reading")
_EXACT_CASE = {word.lower(): word for word in _CHROME["exact_case"]}
_CAPTION_CREDIT = re.compile(r"\S\s+" + vocab.alternation(_CHROME["caption_credit"]) + r"$")
_CAPTION_POSITION = re.compile(r"\((?:" + vocab.alternation(_CHROME["caption_position"]) + r")\)")
_CREDIT_HINT = re.compile("©|[Ff]oto|[Bb]ild|Quelle|Credit|Illustration")  # one is in every credit
_BULLET = re.compile(r"^[•·▪◦*]\s*")


def furniture(line: str) -> tuple[str, str] | None:
    """What kind of furniture, marker or metadata line ``line`` is, and the value it
    carries (the date of a metadata line): (speech, verbatim, stop, box, updated, created,
    reading, chrome, long_chrome, breadcrumb, footer, download or contact, the line that
    opens a contact block; value), or None.
    ``line`` is stripped."""
    size = len(line)
    if size > _FOOTER:
        return None
    found = (LINES if size <= _FURNITURE else _LONG_LINES).match(line)
    if found is not None and _LIMITS.get(found.lastgroup, _FURNITURE) >= size:
        kind = found.lastgroup
        value = found.groupdict().get(f"{kind}_value") or ""
    elif size > _FURNITURE and line.endswith(_SENTENCE_END):
        return None  # a long line that ends a sentence contains no footer or download link
    else:
        kind, value = _INSIDE.search(line), ""
        if kind is None or _LIMITS.get(kind, _FURNITURE) < size:
            return None
    if kind == "chrome" and not _button(line):
        return None
    return kind, value.strip()


def _button(line: str) -> bool:
    """Short generic words count only as whole lines written the way buttons write them."""
    button = _EXACT_CASE.get(line.lower())
    return button is None or line == button


def is_chrome(line: str) -> bool:
    """True for a line of navigation, buttons, share and reading-time widgets, credits,
    counters or cookie notices (a bullet in front of it changes nothing)."""
    line = _BULLET.sub("", line.strip(), count=1)
    if not line:
        return True
    found = furniture(line)
    if found is not None:
        return found[0] in CHROME_KINDS
    pieces = line.split(" | ") if " | " in line else ()  # "Drucken | Seite teilen"
    return len(pieces) > 1 and all(is_chrome(piece) for piece in pieces)


def is_caption(text: str) -> bool:
    """An image caption: a short text ending in a credit ("… © Name", "(Foto: Name)"), or
    one naming who stands where in the picture ("Anna Muster (Mitte) …")."""
    if len(text) > 400 or "\n" in text or (len(text) > 250 and text.endswith(_SENTENCE_END)):
        return False
    end = max(0, len(text) - 80)  # a credit ends the caption
    if _CREDIT_HINT.search(text, end) and _CAPTION_CREDIT.search(text, end):
        return True
    return (
        len(text) <= 250
        and "(" in text
        and text.count(". ") <= 1
        and bool(_CAPTION_POSITION.search(text))
    )


__all__ = ["CHROME_KINDS", "READING_TIME", "furniture", "is_caption", "is_chrome"]
