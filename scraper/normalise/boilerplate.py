"""Page furniture around a release (``vocab/chrome.toml``), recognised line by line."""

from __future__ import annotations

import re

from . import vocab
from .dates import READING_TIME

_CHROME = vocab.load("chrome")


class _Lines:
    """Whole-line patterns of some vocabulary lists. Patterns that start with ``.*`` (a
    line containing something) are searched for on their own, so that the others fail at
    the line's first character instead of scanning it."""

    def __init__(self, *keys: str) -> None:
        entries = [entry for key in keys for entry in _CHROME[key]]
        inner = [e.removeprefix(".*").removesuffix(".*") for e in entries if e.startswith(".*")]
        whole = [e for e in entries if not e.startswith(".*")]
        self.whole = re.compile("^" + vocab.alternation(whole) + "$", re.I)
        self.inner = re.compile(vocab.alternation(inner), re.I) if inner else None

    def match(self, line: str) -> bool:
        return bool(self.whole.match(line) or (self.inner and self.inner.search(line)))


CHROME = _Lines("lines", "channels")
_EXACT_CASE = {word.lower(): word for word in _CHROME["exact_case"]}
BREADCRUMB = _Lines("breadcrumbs")
FOOTER = _Lines("footers")
DOWNLOAD = _Lines("downloads")
_CAPTION_CREDIT = re.compile(r"\S\s+" + vocab.alternation(_CHROME["caption_credit"]) + r"$")
_CAPTION_POSITION = re.compile(r"\((?:" + vocab.alternation(_CHROME["caption_position"]) + r")\)")
# One pass per line: which kind of marker or metadata line this is (``lastgroup``).
MARKER = re.compile(
    "^(?:"
    + "|".join(
        f"(?P<{name}>{pattern})"
        for name, pattern in (
            ("speech", vocab.alternation(_CHROME["speech"])),
            ("verbatim", vocab.alternation(_CHROME["verbatim"])),
            ("stop", vocab.alternation(_CHROME["stop"])),
            ("box", vocab.alternation(_CHROME["box"])),
            ("updated", vocab.alternation(_CHROME["updated"]) + r":?\s*(?P<updated_value>.*)"),
            ("created", vocab.alternation(_CHROME["created"]) + r":?\s*(?P<created_value>.*)"),
            ("reading", READING_TIME.pattern.removeprefix("^").removesuffix("$")),
        )
    )
    + ")$",
    re.I,
)
_CREDIT_HINTS = ("©", "Foto", "Bild", "Quelle", "Credit")  # one of them is in every credit
_BULLET = re.compile(r"^[•·▪◦*]\s*")


def is_chrome(line: str) -> bool:
    """True for a line of navigation, buttons, share and reading-time widgets, credits,
    counters or cookie notices (a bullet in front of it changes nothing)."""
    line = _BULLET.sub("", line.strip(), count=1)
    if not line:
        return True
    if len(line) > 200 and not line.startswith(("©", "Diese", "Wir verwenden")):
        return False
    if READING_TIME.match(line):
        return True
    if not CHROME.match(line):
        pieces = line.split(" | ") if " | " in line else ()  # "Drucken | Seite teilen"
        return len(pieces) > 1 and all(is_chrome(piece) for piece in pieces)
    # Short generic words count only as whole lines written the way buttons write them.
    button = _EXACT_CASE.get(line.lower())
    return button is None or line == button


def is_caption(text: str) -> bool:
    """An image caption: a short text ending in a credit ("… © Name", "(Foto: Name)"), or
    one naming who stands where in the picture ("Anna Muster (Mitte) …")."""
    if len(text) > 400 or "\n" in text:
        return False
    end = max(0, len(text) - 80)  # a credit ends the caption
    if any(hint in text[end:] for hint in _CREDIT_HINTS) and _CAPTION_CREDIT.search(text, end):
        return True
    return (
        len(text) <= 250
        and "(" in text
        and text.count(". ") <= 1
        and bool(_CAPTION_POSITION.search(text))
    )
