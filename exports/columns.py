"""Export columns and how list values look in a CSV cell."""

from __future__ import annotations

import re

EXPORT_COLUMNS = (
    "id", "site", "ministry", "url",
    "kind", "number", "place", "published", "kicker", "title", "subtitle", "dateline",
    "body", "contact", "persons",
    "urls", "flags", "profile", "sources",
    "first_seen", "last_seen", "withdrawn", "revisions", "content_hash",
    "attachments", "archived_copy", "citation", "cluster",
)  # fmt: skip

SCHEMA_VERSION = 5
"""Raised whenever columns are added, removed or change meaning (2: attachments,
archived_copy, citation; 3: withdrawn; 4: sources replaces date_source; 5: cluster)."""

CSV_LIST_FORMS = {
    "persons": "Name (Rolle); Name (Rolle) - a person without role is just the name",
    "urls": "url | url - every canonical URL of the release, oldest first",
    "flags": "flag | flag",
    "attachments": "url | url - the PDF attachments, in page order",
    "sources": "field=reader | field=reader - e.g. published=json-ld | title=h1",
}
"""The one form each list column takes in CSV (JSON and JSONL keep real lists)."""

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
"""A CSV cell starting with one of these gets a leading ``'`` so that a spreadsheet shows
it as text instead of running it as a formula. This applies to every text cell alike,
including a ``body`` that starts with a ``-`` bullet; strip one leading ``'`` from such a
cell to get the stored value back.

Inside a cell too: a spreadsheet that splits the file at ``;`` (German Excel) or at ``,``
starts a new cell after either, and after a quote or a line break when it misreads the
quoting; so ``= + - @`` after ``,`` ``;`` ``"`` a tab or a line break (spaces between
allowed) get a ``'`` before them as well (``Preis: 5,-`` becomes ``Preis: 5,'-``)."""

_FORMULA = re.compile(r"""(?:^|(?<=[,;"\t\r\n]))( *)([=+\-@])""")
_FORMULA_BYTES = re.compile(_FORMULA.pattern.encode())  # the same on UTF-8 (all ASCII)


def person_text(person: dict) -> str:
    """``Name (Rolle)``, or the bare name when the role is unknown."""
    return f"{person['name']} ({person['role']})" if person.get("role") else person["name"]


def cell_text(name: str, value) -> str:
    """A CSV cell's text before neutralising: lists in their documented form, None empty."""
    if value is None:
        return ""
    if type(value) is str:
        return value
    if name == "persons":
        return "; ".join(person_text(p) for p in value)
    if isinstance(value, list):
        return " | ".join(map(str, value))
    if isinstance(value, dict):
        return " | ".join(f"{key}={source}" for key, source in value.items())
    return str(value)


def csv_cell(name: str, value) -> str:
    """One CSV cell: lists in their documented form, None empty, formulas neutralised."""
    return neutralise(cell_text(name, value))


_LOOK = {
    str: ("=+-@", " ", ',;"\t\r\n'),
    bytes: ((61, 43, 45, 64), 32, b',;"\t\r\n'),  # the same characters as bytes
}


def has_formula(text: str | bytes) -> bool:
    """Whether ``_FORMULA`` matches in ``text`` (or its UTF-8 bytes): one of ``= + - @``
    at the start or after a separator, spaces between allowed (a quick look: ``find``
    for the four characters, which most cells, even long bodies, hardly contain)."""
    signs, space, separators = _LOOK[type(text)]
    for sign in signs:
        at = text.find(sign)
        while at >= 0:
            start = at
            while start and text[start - 1] == space:
                start -= 1
            if not start or text[start - 1] in separators:
                return True
            at = text.find(sign, at + 1)
    return False


def neutralise(text: str | bytes) -> str | bytes:
    """A CSV cell's text (or its UTF-8 bytes) with every formula starter a spreadsheet
    would run made text."""
    if isinstance(text, bytes):
        if has_formula(text):
            text = _FORMULA_BYTES.sub(rb"\1'\2", text)
        return b"'" + text if text.startswith((b"\t", b"\r")) else text
    if has_formula(text):
        text = _FORMULA.sub(r"\1'\2", text)
    return "'" + text if text.startswith(("\t", "\r")) else text
