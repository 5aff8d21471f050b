"""The contact block at the end of a release (``vocab/contact.toml``): found, split off the
body, one item a line."""

from __future__ import annotations

import re

from . import vocab

_VOCAB = vocab.load("contact")
_OPENERS = _VOCAB["openers"]


def _openers_list(flag: str | None = None) -> list[str]:
    return [o["pattern"] for o in _OPENERS if flag is None or o.get(flag)]


def _openers(flag: str | None = None) -> str:
    return vocab.alternation(_openers_list(flag))


_HEADING = re.compile(rf"^{_openers('heading')}\s*:?$", re.I)
ISSUER = re.compile(rf"^{_openers('issuer')}\s*:\s*(?P<issuer>.+)$", re.I)
_INLINE_OPENER = _openers("inline")
_INLINE = re.compile(rf"(?<=\S)\s+(?={_INLINE_OPENER}\s?:)", re.I)
# A piece of each inline opener, lower-cased: a cheap test before the search.
_INLINE_HINTS = tuple({stem.lower() for stem in vocab.stems(_openers_list("inline"))})
_FIELDS = _VOCAB["fields"]
_GLUED = re.compile(r"(?<=\S)\s*(" + vocab.alternation(_FIELDS) + ")")
_LABEL_GAP = re.compile(r"^([^:\s]+:)(?=\S)")  # "Telefon:0611" -> "Telefon: 0611"


# Whole lines that open the contact block: "Rückfragen & Kontakt", "Pressestelle",
# "Rückfragen: Anna Muster, Tel. 0611 123" (``boilerplate.furniture`` looks for them).
OPENERS = [rf"{o}(?:\s*:.*|\s*:?)" for o in _openers_list()]


def is_heading(line: str) -> bool:
    """A line that only announces the contact block ("Pressekontakt:")."""
    return bool(_HEADING.match(line.strip()))


def split_inline(paragraph: str) -> tuple[str, str | None]:
    """A paragraph ending in a glued contact block: (text before, contact) or (paragraph, None)."""
    lowered = paragraph.lower()
    for hint in _INLINE_HINTS:
        if hint in lowered:
            break
    else:
        return paragraph, None
    match = _INLINE.search(paragraph)
    if not match:
        return paragraph, None
    return paragraph[: match.start()].rstrip(), paragraph[match.end() :]


def layout(lines: list[str]) -> str:
    """Contact lines without bare headings, blocks whose spaces were lost split on their labels."""
    out = []
    for line in lines:
        if is_heading(line):
            continue
        if len(line) > 60 and len(_GLUED.findall(line)) > 1:
            parts = _GLUED.sub(r"\n\1", line).split("\n")
            out.extend(_LABEL_GAP.sub(r"\1 ", p.strip()) for p in parts if p.strip())
        else:
            out.append(line)
    return "\n".join(out)


def issuer(contact: str | None) -> str | None:
    """The issuer a contact block names ("Herausgeber: …"), or None."""
    for line in (contact or "").split("\n"):
        match = ISSUER.match(line)
        if match:
            return match["issuer"]
    return None
