"""The contact block at the end of a release: found, split off the body, one item a line."""

from __future__ import annotations

import re

START = re.compile(
    r"^(?:Kontakt für Pressevertreter(?:innen)?(?: und -vertreter)?:?|Pressekontakt:?|Kontakt:"
    r"|Pressesprecher(?:in)?:|Impressum:|Pressestelle:|Rückfragen(?: bitte)? an:?"
    r"|Für Rückfragen:?|Aussender:|Herausgeber:|Verantwortlich:|Ansprechpartner(?:in)?:"
    r"|Issued by:|Press contact:?|Contact:)",
    re.I,
)
# Attachments and downloads close the release as well; they are not its words.
ATTACHMENTS = re.compile(
    r"^(?:Anhänge? zur Pressemitteilung:?|Downloads?:?|Download \(.*\)|.*\((?:PDF|DOCX?|XLSX?|ZIP),"
    r"\s*[\d.,]+\s*[KMG]B.*\))$",
    re.I,
)
# Headings that open a contact block without being part of it.
HEADING = re.compile(
    r"^(?:Kontakt für Pressevertreter(?:innen)?(?: und -vertreter)?|Pressekontakt|Kontakt"
    r"|Ihr Kontakt|Ansprechpartner für die Presse):?$",
    re.I,
)
ISSUER = re.compile(
    r"^(?:Aussender|Herausgeber|Issued by|Herausgegeben von):\s*(?P<issuer>.+)$", re.I
)
_LABELS = (
    "Kontakt für Pressevertreter", "Impressum:", "Verantwortlich:", "Pressesprecher:",
    "Pressesprecherin:", "Pressestelle:", "Telefon:", "Tel.:", "Tel:", "Telefax:", "Fax:",
    "E-Mail:", "Mail:", "Internet:", "Web:", "Postfach", "Rückfragen bitte an:",
)  # fmt: skip
_GLUED = re.compile("(?<=\\S)\\s*(" + "|".join(re.escape(x) for x in _LABELS) + ")")
_LABEL_GAP = re.compile(r"^([^:\s]+:)(?=\S)")  # "Telefon:0611" -> "Telefon: 0611"
_INLINE_LABELS = ("Impressum:", "Pressestelle:", "Rückfragen bitte an:")
_INLINE = re.compile(r"(?<=\S)\s+(?=(?:Impressum|Pressestelle|Rückfragen bitte an):)")


def split_inline(paragraph: str) -> tuple[str, str | None]:
    """A paragraph ending in a glued contact block: (text before, contact) or (paragraph, None)."""
    if not any(label in paragraph for label in _INLINE_LABELS):
        return paragraph, None
    match = _INLINE.search(paragraph)
    if not match:
        return paragraph, None
    return paragraph[: match.start()].rstrip(), paragraph[match.end() :]


def layout(lines: list[str]) -> str:
    """Contact lines, with blocks whose spaces were lost split on their labels."""
    out = []
    for line in lines:
        if HEADING.match(line.strip()):
            continue
        if len(line) > 60 and len(_GLUED.findall(line)) > 1:
            parts = _GLUED.sub(r"\n\1", line).split("\n")
            out.extend(_LABEL_GAP.sub(r"\1 ", p.strip()) for p in parts if p.strip())
        else:
            out.append(line)
    return "\n".join(out)
