"""The layout rules shared by pages and plain text: ordered blocks -> Record fields.

A block is one paragraph-like piece of text in reading order. Blocks from a page may carry a
role that the site profile's selectors gave them (``title``, ``subtitle``, ``kicker``,
``body``); plain-text blocks carry none and the same rules infer it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from . import contact
from .boilerplate import MARKER, is_chrome
from .dates import parse_date
from .header import KIND, TITLE_NUMBER, Header, parse_line
from .persons import SPEAKER_LINE, find_persons
from .record import Record

_NOT_PLACES = {
    "Dr", "Prof", "St", "Nr", "Abs", "Art", "Bzw", "Ca", "Vgl", "Hr", "Fr", "Min", "Mio", "Mrd",
    "Tel", "Str", "Dipl", "Ing", "Abt", "Mr", "Mrs", "Ms", "Jan", "Feb", "Okt", "Nov", "Dez",
}  # fmt: skip
_DATELINE = re.compile(
    r"^(?P<place>(?:(?:Bad|Sankt|Neu|Frankfurt|Halle)\s+)?[A-ZÄÖÜ][\wäöüß-]*[a-zäöüß][\wäöüß-]*"
    r"(?:\s+(?:am|an der|\(\w+\))\s+[A-ZÄÖÜ][\wäöüß-]+)?(?:/[A-ZÄÖÜ][\wäöüß-]+)*)"
    r"\.\s+(?=[A-ZÄÖÜ„\"(\d])"
)
_AGENCY = re.compile(
    r"^(?P<place>[A-ZÄÖÜ][\wäöüß/-]+)\s*\((?:dpa|epd|AFP|KNA|ddp|dapd|AP|Reuters|[a-z]{2,4})"
    r"(?:/[a-z]{2,4})?\)\s*[-–—]\s*|^(?P<caps>[A-ZÄÖÜ]{3,}(?:/[A-ZÄÖÜ]{3,})?)\s+[-–—]\s+"
)
_DATE_PREFIX = re.compile(r"^\((?P<date>[^()]{6,30})\)\s*")
_TODAY = re.compile(r"\bheute\s*,?\s*\((?P<date>[^()]{6,30})\)")
_SENTENCE_END = re.compile(r"[a-zäöüß]{2}[.!?] +[A-ZÄÖÜ„\"]")
_BULLET = re.compile(r"^[-–•]\s+\S")
_QUOTE_FORM = re.compile(r"^(?:[^„\"“:]{2,80}:\s*)?[„\"“»].*[“\"”«]$")


@dataclass(slots=True)
class Block:
    """A paragraph-like piece of text in reading order, with the role a selector gave it."""

    text: str
    role: str | None = None
    starts_body: bool = False


def _speaker_line(text: str) -> bool:
    """A line naming who speaks next ("Anna Beispiel:"); it ends in a colon, so only such
    texts are matched."""
    return text.endswith((":", ":\n")) and bool(SPEAKER_LINE.match(text))


def _is_sentence(text: str) -> bool:
    """Running text: at least eight words ending like a sentence (or a quotation)."""
    return text.endswith((".", "!", "?", "“", '"', "”", ":")) and text.count(" ") >= 7


def _one_line(text: str) -> str:
    return " ".join(part.strip() for part in text.split("\n") if part.strip())


def _is_bullets(text: str) -> bool:
    return all(_BULLET.match(line) for line in text.split("\n"))


def _subtitle_shaped(block: Block) -> bool:
    """Bullets, a quotation, or one short line of at most one sentence (a lead sentence is
    short: a longer single sentence opens the body)."""
    text = block.text
    if _is_bullets(text) or _QUOTE_FORM.match(_one_line(text)):
        return True
    return (
        "\n" not in text
        and len(text) <= (120 if text.endswith((".", "!", "?")) else 250)
        and not text.endswith((",", ":", ";"))
        and not _SENTENCE_END.search(text[:-1])
    )


def _kicker_shaped(block: Block) -> bool:
    text = block.text
    return (
        "\n" not in text
        and len(text) <= 60
        and len(text.split()) <= 6
        and not text.endswith((".", "!", "?", ":", "„", "“", '"'))
    )


def _title_shaped(block: Block) -> bool:
    text = block.text
    return (
        "\n" not in text
        and len(text) <= 250
        and not text.endswith((".", ":"))
        and not _BULLET.match(text)
    )


def _starts_body(block: Block, locale: str, after_title: bool = True) -> bool:
    """A block that opens the body: by role, by a dateline or glued header, or (after the
    title) by following a reading-time widget."""
    if block.role == "body" or (block.starts_body and after_title):
        return True
    text = block.text
    if _DATELINE.match(text) and text.split(".")[0] not in _NOT_PLACES:
        return True
    return bool(_AGENCY.match(text) or parse_line(text, Header(), locale, glued=True))


class _Builder:
    """One release being read: the record, the header evidence, dates seen in the body."""

    def __init__(self, rec: Record, locale: str) -> None:
        self.rec = rec
        self.locale = locale
        self.head = Header()
        self.body_dates: list[date] = []

    # -- chrome, markers and metadata boxes -------------------------------------------------
    def strip_chrome(self, blocks: list[Block]) -> list[Block]:
        """Drop chrome and promotion lines; turn markers into flags and metadata into dates."""
        out: list[Block] = []
        stopped = False
        mark_next = False
        for block in blocks:
            lines = block.text.split("\n")
            kept: list[str] = []
            skip_next = False
            for i, line in enumerate(lines):
                if skip_next:
                    skip_next = False
                    continue
                if stopped and not contact.START.match(line):
                    continue
                stopped = False
                if len(line) > 120:  # markers, metadata and chrome are short lines
                    kept.append(line)
                    continue
                marker = MARKER.match(line)
                kind = marker.lastgroup if marker else None
                if kind in ("speech", "verbatim"):
                    self.rec.flag(kind)
                    continue
                if kind == "stop":
                    stopped = True
                    continue
                if kind in ("updated", "created"):
                    following = lines[i + 1] if i + 1 < len(lines) else None
                    value = marker[f"{kind}_value"] or None
                    later = parse_date(following, self.locale) if following and not value else None
                    value = parse_date(value, self.locale) if value else later
                    if kind == "created" and value:
                        self.head.dates.append(value)
                    if kind == "updated" or value:
                        skip_next = later is not None
                        continue
                if kind == "box":
                    continue
                if kind == "reading":
                    mark_next = True
                    continue
                if is_chrome(line):
                    continue
                kept.append(line)
            if kept:
                out.append(Block("\n".join(kept), block.role, mark_next))
                mark_next = False
        return out

    # -- header, kicker, title, subtitle ------------------------------------------------------
    def take_header(self, block: Block) -> Block | None:
        """Consume header lines at the start of ``block``; what is left, or None."""
        lines = block.text.split("\n")
        while lines:
            rest = parse_line(lines[0], self.head, self.locale)
            if rest is None:
                break
            if rest:
                lines[0] = rest
                break
            lines.pop(0)
        return Block("\n".join(lines), block.role, block.starts_body) if lines else None

    def split(self, blocks: list[Block]) -> tuple[list[Block], Block | None, list[Block], list]:
        """(kicker candidates, title, subtitle blocks, body blocks)."""
        title_at = next((i for i, b in enumerate(blocks) if b.role == "title"), None)
        if title_at is not None:
            before = [r for b in blocks[:title_at] if (r := self._header_all(b))]
            after = blocks[title_at + 1 :]
            body_at = next((i for i, b in enumerate(after) if b.role == "body"), None)
            if body_at is None:
                subtitles, body = self._infer_subtitles(after)
            else:
                subtitles = [r for b in after[:body_at] if (r := self._header_all(b))]
                body = after[body_at:]
            return before, blocks[title_at], subtitles, body
        rest = list(blocks)
        while rest and rest[0].role != "body":
            left = self.take_header(rest[0])
            if left is not None:
                rest[0] = left
                break
            rest.pop(0)
        if not rest or _starts_body(rest[0], self.locale, after_title=False):
            return [], None, [], rest
        subtitles, body = self._infer_subtitles(rest[1:])
        # Three short lines before the body: kicker, title, subtitle (two: title, subtitle).
        if (
            subtitles
            and _kicker_shaped(rest[0])
            and _title_shaped(subtitles[0])
            and (len(subtitles) > 1)
        ):
            return [rest[0]], subtitles[0], subtitles[1:], body
        return [], rest[0], subtitles, body

    def _header_all(self, block: Block) -> Block | None:
        """Every header line of a block taken; the other lines stay."""
        kept = []
        for line in block.text.split("\n"):
            rest = parse_line(line, self.head, self.locale)
            if rest is None:
                kept.append(line)
            elif rest:
                kept.append(rest)
        return Block("\n".join(kept), block.role, block.starts_body) if kept else None

    def _only_header(self, block: Block) -> bool:
        """Take a block that is all header material; leave any other block alone."""
        scratch = Header()
        if any(parse_line(line, scratch, self.locale) != "" for line in block.text.split("\n")):
            return False
        self.head.merge(scratch)
        return True

    def _infer_subtitles(self, blocks: list[Block]) -> tuple[list[Block], list[Block]]:
        """(subtitle blocks, body blocks): subtitle-shaped blocks until the body starts."""
        subtitles = []
        i = 0
        while i < len(blocks) - 1 and blocks[i].role != "body":
            block = self._header_all(blocks[i])
            if block is None:
                i += 1
                continue
            if _starts_body(block, self.locale) or not _subtitle_shaped(block):
                break
            subtitles.append(block)
            i += 1
        return subtitles, blocks[i:]

    # -- body ---------------------------------------------------------------------------------
    def body(self, blocks: list[Block]) -> None:
        """Body paragraphs and the contact block; attachments and repeats left out."""
        rec = self.rec
        while blocks and self._only_header(blocks[0]):
            blocks = blocks[1:]
        roles = {b.role for b in blocks}
        paragraphs: list[str] = []
        contact_lines: list[str] = []
        in_contact = False
        in_body = True
        for block in blocks:
            if "body" in roles and block.role != "body" and not in_contact:
                in_body = False
            text = block.text
            if not in_contact and paragraphs == [] and in_body:
                text = self._first_paragraph(text)
                if not text:
                    continue
            first = text.split("\n", 1)[0]
            if not in_contact and contact.ATTACHMENTS.match(first):
                in_body = False
                continue
            if not in_contact and contact.START.match(first):
                in_contact = True
            elif not in_contact and in_body:
                before, glued = contact.split_inline(text)
                if glued:
                    paragraphs.append(before)
                    contact_lines.append(glued)
                    in_contact = True
                    continue
            if in_contact:
                lines = text.split("\n")
                contact_lines.extend(ln for ln in lines if not contact.ATTACHMENTS.match(ln))
            elif in_body and not _speaker_line(text) and text not in paragraphs:
                paragraphs.append(text)  # once: "Mehr anzeigen" can show a paragraph again
        rec.body = "\n\n".join(paragraphs) or None
        rec.contact = contact.layout(contact_lines) or None
        if rec.body and "heute" in rec.body:  # the word starts the pattern: a cheap test
            for match in _TODAY.finditer(rec.body):
                value = parse_date(match["date"], self.locale)
                if value:
                    self.body_dates.append(value)

    def _first_paragraph(self, text: str) -> str:
        """Take a glued header, a ``(date)`` prefix, an agency mark or a dateline off it."""
        rec = self.rec
        glued = parse_line(text, self.head, self.locale, glued=True)
        if glued is not None:
            text = glued
        prefix = _DATE_PREFIX.match(text)
        value = parse_date(prefix["date"], self.locale) if prefix else None
        if value:
            self.body_dates.append(value)
            text = text[prefix.end() :]
        agency = _AGENCY.match(text)
        if agency:
            rec.flag("agency-copy")
            place = agency["place"] or agency["caps"]
            rec.dateline = place if agency["place"] else place.title()
            return text[agency.end() :]
        dateline = _DATELINE.match(text)
        if dateline and dateline["place"] not in _NOT_PLACES:
            rec.dateline = dateline["place"]
            return text[dateline.end() :]
        return text


def build(
    blocks: list[Block],
    rec: Record,
    locale: str = "de",
    attribute_date: date | None = None,
    listing: dict | None = None,
    ministry: str | Callable[[], str | None] | None = None,
) -> Record:
    """Fill ``rec`` from ordered blocks by the layout rules; flags say what was odd.

    ``ministry`` is what the page says about its issuer outside the release (site name),
    used when the release itself names none; a function giving it is called only then."""
    builder = _Builder(rec, locale)
    blocks = builder.strip_chrome([b for b in blocks if b.text and not b.text.isspace()])
    kickers, title, subtitles, body = builder.split(blocks)
    head = builder.head
    if title is not None:
        rec.title = _one_line(title.text)
        number = TITLE_NUMBER.search(rec.title) if rec.title.endswith(")") else None
        if number:
            head.number = head.number or number["number"]
            rec.title = rec.title[: number.start()]
        label = KIND.fullmatch(rec.title)
        if label and head.kind is None:
            head.kind, rec.title = label["kind"], None
    chosen = [b for b in kickers if b.role == "kicker"] or kickers[-1:]
    if chosen and len(chosen[0].text) <= 120:
        rec.kicker = _one_line(chosen[0].text)
    rec.subtitle = "\n".join(b.text for b in subtitles) or None
    builder.body(body)
    rec.kind, rec.number, rec.place = head.kind, head.number, head.place
    issuer = next(filter(None, map(contact.ISSUER.match, (rec.contact or "").split("\n"))), None)
    rec.ministry = head.ministry or (issuer["issuer"] if issuer else None)
    if not rec.ministry and ministry:
        rec.ministry = ministry() if callable(ministry) else ministry
    rec.ministry = rec.ministry or head.issuer
    if listing and not rec.title and listing.get("title"):
        rec.title = listing["title"]
    _choose_date(rec, locale, attribute_date, head.dates, listing, builder.body_dates)
    rec.persons = find_persons("\n\n".join(filter(None, [rec.title, rec.subtitle, rec.body])))
    if not rec.title and not rec.body:
        rec.flag("not-a-release")
    elif not rec.body:
        rec.flag("no-body")
    elif not any(_is_sentence(p) for p in rec.body.split("\n\n")):
        rec.flag("not-a-release")
    return rec


def _choose_date(rec, locale, attribute, header, listing, body) -> None:
    """The first date by source: page attribute, header line, listing card, body; never a
    guess (``no-date``); disagreeing sources are flagged ``date-conflict``."""
    listed = parse_date(str(listing.get("date") or ""), locale) if listing else None
    for source, value in (
        ("attribute", attribute),
        ("header", header[0] if header else None),
        ("listing", listed),
        ("body", body[0] if body else None),
    ):
        if value:
            rec.published, rec.sources["published"] = value.isoformat(), source
            break
    else:
        rec.flag("no-date")
    known = {d for d in (attribute, header[0] if header else None, listed) if d}
    if len(known) > 1:
        rec.flag("date-conflict")
