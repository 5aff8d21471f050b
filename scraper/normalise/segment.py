"""Blocks with labelled lines -> the spans of a release: kicker, title, subtitle, body, contact.

``classify`` says what each line is; this module decides where each span starts and ends:
furniture leaves, header lines go into the header, the title is found (before or after the
header lines), then subtitles, the first paragraph's dateline, the body and the contact block.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from . import classify as lab
from . import contact, vocab
from .classify import Line, classify, join_wrapped, soft_break
from .dates import parse_date
from .header import Header, read_glued
from .persons import NAME, ROLE, speaks

_BLANK_LINE = re.compile(r"\n\s*\n")
_NOT_PLACES = {
    "Dr", "Prof", "St", "Nr", "Abs", "Art", "Bzw", "Ca", "Vgl", "Hr", "Fr", "Min", "Mio", "Mrd",
    "Tel", "Str", "Dipl", "Ing", "Abt", "Mr", "Mrs", "Ms", "Jan", "Feb", "Okt", "Nov", "Dez",
}  # fmt: skip
# A place word has a lower-case letter; each part of the pattern can take a character in one
# way only, so that a long run of letters is read in linear time.
_DATELINE = re.compile(
    r"^(?P<place>(?:(?:Bad|Sankt|Neu|Frankfurt|Halle)\s+)?[A-ZÄÖÜ][A-ZÄÖÜ-]{0,40}[a-zäöüß]"
    r"[\wäöüß-]{0,40}(?:\s+(?:am|an der|\(\w+\))\s+[A-ZÄÖÜ][\wäöüß-]{0,40})?"
    r"(?:/[A-ZÄÖÜ][\wäöüß-]{0,40})*)\.\s+(?=[A-ZÄÖÜ„\"(\d])"
)
_CAPS_DATELINE = re.compile(r"^(?P<place>[A-ZÄÖÜ]{3,}(?:[/-][A-ZÄÖÜ]{3,})*)\.\s+(?=[A-ZÄÖÜ„\"])")
# "Wiesbaden (dpa/lhe) - ", "Wien (OTS) - ": a place and a wire service's code.
_WIRE = re.compile(
    r"^(?:\d{5}\s+)?(?P<place>[A-ZÄÖÜ][\wäöüß/-]+)\s*\((?P<code>[A-Za-z]{2,8}(?:/[A-Za-z]{2,8})?)\)"
    r"(?:\s*[-–—:]\s*|\s+(?=[A-ZÄÖÜ„\"]))"
)
_WIRE_LINE = re.compile(
    r"^(?:\d{5}\s+)?(?P<place>[A-ZÄÖÜ][\wäöüß/-]+)\s*\((?P<code>[A-Za-z]{2,8}(?:/[A-Za-z]{2,8})?)\)\s*[-–—:]?$"
)
_CAPS_DASH = re.compile(r"^(?P<place>[A-ZÄÖÜ]{3,}(?:/[A-ZÄÖÜ]{3,})?)\s+[-–—]\s+")
_AGENCIES = frozenset(vocab.words("header", "agencies"))
_DATE_PREFIX = re.compile(r"^\((?P<date>[^()]{6,30})\)\s*")
_TODAY = re.compile(r"\bheute\s*,?\s*\((?P<date>[^()]{6,30})\)")
_SENTENCE_END = re.compile(r"[a-zäöüß]{2}[.!?] +[A-ZÄÖÜ„\"]")
_BULLET = re.compile(r"^[-–•·▪◦*]\s+\S")
_QUOTE_FORM = re.compile(r"^(?:[^„\"“:]{2,80}:\s*)?[„\"“»¿].*[“\"”«¿]$")
_URL_LIKE = re.compile(r"^\S+\.[a-z]{2,4}(?:/\S*)?$")
_CONTACT_DETAIL = re.compile(
    r"@|\b(?:Tel|Telefon|Fax|Phone|Mobil)\b|\+?\d[\d /()–-]{6,}\d|\b\d{4,5}\s+[A-ZÄÖÜ]|www\.|https?://"
)
_GLUED_BULLETS = "·•▪"
# "Innenminister Anna Muster (SPD): „": a speaker who opens the text after glued bullets.
_INLINE_SPEAKER = re.compile(rf"(?<=\s)(?:{ROLE} +)?{NAME}(?: *\([^()]{{1,20}}\))?: *[„\"“»¿]")
_TRAIL_LINE = re.compile(r"^(?:[•·›»>/|]|\d+\.)")
_END_PUNCTUATION = (".", "!", "?", "“", '"', "”", ":", "¿")


@dataclass(slots=True)
class Block:
    """A paragraph-like piece of text in reading order, with the role a selector gave it.

    ``plain`` blocks come from plain text, whose lines may be hard-wrapped; in a text
    without blank lines (``lines_are_paragraphs``) every line that ends a sentence ends a
    paragraph."""

    text: str
    role: str | None = None
    starts_body: bool = False
    plain: bool = False
    lines_are_paragraphs: bool = False


def text_blocks(text: str) -> list[Block]:
    """Plain text -> blocks: paragraphs separated by blank lines (a text without any blank
    line is one block whose lines are paragraphs)."""
    parts = [part.strip() for part in _BLANK_LINE.split(text) if part.strip()]
    flat = len(parts) == 1
    return [Block(part, plain=True, lines_are_paragraphs=flat) for part in parts]


@dataclass(slots=True)
class Unit:
    """A block after labelling: its kept lines, in order."""

    lines: list[Line]
    role: str | None = None
    starts_body: bool = False
    plain: bool = False  # plain text: a line break may be a hard wrap inside a sentence

    @property
    def text(self) -> str:
        lines = _unwrap(self.lines) if self.plain else self.lines
        return "\n".join(line.text for line in lines)

    def only(self, *labels: str) -> bool:
        return all(line.label in labels for line in self.lines)


@dataclass
class Spans:
    """What segmentation found: the text spans, the header evidence and the flags."""

    kicker: str | None = None
    title: str | None = None
    subtitle: str | None = None
    dateline: str | None = None
    body: list[str] = field(default_factory=list)
    contact: list[str] = field(default_factory=list)
    persons_text: list[str] = field(default_factory=list)  # paragraphs and speaker labels
    speaker_labels: int = 0
    by_roles: bool = False  # a page's selectors marked the title and body
    head: Header = field(default_factory=Header)
    body_dates: list[date] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)

    def flag(self, name: str) -> None:
        if name not in self.flags:
            self.flags.append(name)


def _one_line(text: str) -> str:
    return " ".join(part.strip() for part in text.split("\n") if part.strip())


def _is_bullets(text: str) -> bool:
    return all(_BULLET.match(line) for line in text.split("\n"))


def is_sentence(text: str) -> bool:
    """Running text: at least eight words ending like a sentence (or a quotation)."""
    return text.endswith(_END_PUNCTUATION) and text.count(" ") >= 7


def _running(text: str) -> bool:
    """A paragraph of running text, never a heading: long, or several sentences."""
    words = text.count(" ") + 1
    return (len(text) > 250 and (text.endswith(_END_PUNCTUATION) or words > 40)) or (
        words >= 12 and bool(_SENTENCE_END.search(text))
    )


def _subtitle_shaped(text: str) -> bool:
    """Bullets, a quotation, or one short line of at most one sentence (a lead sentence is
    short: a longer single sentence opens the body)."""
    if _is_bullets(text) or _QUOTE_FORM.match(_one_line(text)):
        return True
    return (
        "\n" not in text
        and len(text) <= (120 if text.endswith((".", "!", "?")) else 250)
        and not text.endswith((",", ":", ";"))
        and not _SENTENCE_END.search(text[:-1])
    )


def _lead_sentence(text: str) -> bool:
    """One line that ends a sentence and is no quotation or list: a lead, or a short
    paragraph of the text."""
    return (
        "\n" not in text
        and text.endswith((".", "!", "?"))
        and not _QUOTE_FORM.match(text)
        and not _is_bullets(text)
    )


def _short_sentence(unit: Unit) -> bool:
    """A paragraph of one short sentence: after a lead of the same shape, a text written in
    short paragraphs begins (one lead sentence is a subtitle, two are the body)."""
    return unit.only(lab.TEXT) and _lead_sentence(unit.text) and _subtitle_shaped(unit.text)


def _kicker_shaped(text: str) -> bool:
    return (
        "\n" not in text
        and len(text) <= 60
        and len(text.split()) <= 6
        and not text.endswith((".", "!", "?", ":", "„", "“", '"'))
        and not _URL_LIKE.match(text)
    )


def _topic_shaped(text: str) -> bool:
    """A topic label above a title: one or two words, no punctuation."""
    return _kicker_shaped(text) and len(text.split()) <= 2 and ":" not in text


def _title_shaped(text: str) -> bool:
    return (
        "\n" not in text
        and len(text) <= 250
        and not text.endswith((".", ":"))
        and not _BULLET.match(text)
        and not _URL_LIKE.match(text)
    )


# -- labelling and cleaning ----------------------------------------------------------------


def _unwrap(lines: list[Line]) -> list[Line]:
    """Lines of plain text with hard-wrapped sentences joined; from a contact block's first
    line on, lines stay as they are."""
    merged: list[Line] = []
    pieces: list[str] = []  # the lines of the sentence being joined
    length = 0
    for at, line in enumerate(lines):
        if line.label == lab.TEXT and pieces and soft_break(pieces[-1], line.text, length):
            pieces.append(line.text)
            length += len(line.text) + 1
            continue
        if pieces:
            merged.append(Line(join_wrapped(pieces)) if len(pieces) > 1 else lines[at - 1])
            pieces, length = [], 0
        if line.label == lab.CONTACT:
            return merged + lines[at:]
        if line.label == lab.TEXT:
            pieces, length = [line.text], len(line.text)
        else:
            merged.append(line)
    if pieces:
        merged.append(Line(join_wrapped(pieces)) if len(pieces) > 1 else lines[-1])
    return merged


def _clean(blocks: list[Block], locale: str, spans: Spans) -> list[Unit]:
    """Label every line; drop furniture, turn markers into flags and metadata boxes into
    header lines, and cut plain text into paragraphs."""
    out: list[Unit] = []
    promotion = trail = mark_next = False
    promoted_in = None  # the role of the section that the promotion started in
    titled = in_body = False
    for block in blocks:
        if promotion and block.role != promoted_in:
            promotion = False  # promotion lasts to the end of its section
        raw = block.text.split("\n")
        # Header lines stand before the title and the body: once a marked body has begun
        # after the title, lines are read for them only where the body starts (``_Body``);
        # a title that a selector marked is the title.
        titled = titled or block.role == "title"
        in_body = in_body or (titled and block.role == "body")
        eager = not in_body and block.role != "title"
        kept: list[Line] = []
        skip_next = False
        for i, text in enumerate(raw):
            if skip_next:
                skip_next = False
                continue
            line = classify(text, locale, header=eager)
            label = line.label
            if promotion and label != lab.CONTACT:
                continue
            promotion = False
            if trail and (label == lab.CHROME or _TRAIL_LINE.match(line.text)):
                continue
            trail = False
            if label in (lab.SPEECH, lab.VERBATIM):
                spans.flag(label)
            elif label == lab.STOP:
                promotion, promoted_in = True, block.role
            elif label == lab.BREADCRUMB_LINE:
                trail = True
            elif label in (lab.CREATED, lab.UPDATED):
                value, skip_next = lab.box_date(line, raw[i + 1] if i + 1 < len(raw) else None,
                                                locale)  # fmt: skip
                if label == lab.CREATED and value:
                    kept.append(line.dated(value))
                elif label == lab.CREATED:
                    kept.append(Line(line.text))  # "Datum" alone: a word of the text
            elif label == lab.READING:
                mark_next = True
            elif label == lab.CAPTION:
                if kept and kept[-1].label == lab.TEXT and line.text.startswith(kept[-1].text):
                    kept.pop()  # the image's alt text, repeated by its caption
            elif label not in (lab.CHROME, lab.BOX):
                kept.append(line)
        if not kept:
            continue
        paragraphs = [[line] for line in _unwrap(kept)] if block.lines_are_paragraphs else [kept]
        for lines in paragraphs:
            out.append(Unit(lines, block.role, mark_next or block.starts_body, block.plain))
            mark_next = False
    return out


# -- head: kicker, title, subtitle ---------------------------------------------------------


def _opener(text: str) -> bool:
    """A first paragraph that starts like a release text: a dateline, a wire service's mark
    or the header glued to it."""
    dateline = _DATELINE.match(text) or _CAPS_DATELINE.match(text)
    if dateline and dateline["place"] not in _NOT_PLACES:
        return True
    return bool(
        _WIRE.match(text)
        or _WIRE_LINE.match(text)
        or _CAPS_DASH.match(text)
        or read_glued(text[:300])
    )


def _opens_body(unit: Unit, has_title: bool) -> bool:
    """A unit that starts the body: by role, after a reading-time widget, by a speaker
    label, a dateline or a glued header, or because it is running text."""
    if unit.role == "body" or (unit.starts_body and has_title):
        return True
    first = unit.lines[0]
    if first.label in (lab.SPEAKER, lab.CONTACT, lab.FOOTER_LINE, lab.DOWNLOAD_LINE):
        return has_title or first.label == lab.SPEAKER
    if first.label != lab.TEXT:
        return False
    text = unit.text
    if _opener(first.text) or _running(text) or ("\n" in text and len(text) > 250):
        return True
    return not has_title and is_sentence(text) and text.endswith((".", "!", "?"))


class _Head:
    """The units before the body: header lines taken, the others candidates for kicker,
    title and subtitle; ``anchor`` counts the candidates seen before the first header
    line that carries a label, number or date."""

    def __init__(self, spans: Spans) -> None:
        self.spans = spans
        self.texts: list[Unit] = []
        self.anchor: int | None = None

    def take(self, unit: Unit) -> None:
        pending: list[Line] = []
        for line in unit.lines:
            if line.label not in (lab.HEADER, lab.CREATED):
                if line.label == lab.TEXT:
                    pending.append(line)
                continue
            self._flush(pending, unit)
            pending = []
            found = line.header
            self.spans.head.merge(found)
            dated = found.dates or found.kind or found.number or found.weak_number
            if dated and not line.rest and self.anchor is None and self.texts:
                self.anchor = len(self.texts)
            if line.rest:
                pending.append(Line(line.rest))
        self._flush(pending, unit)

    def _flush(self, lines: list[Line], unit: Unit) -> None:
        if lines:
            self.texts.append(Unit(lines, unit.role, unit.starts_body, unit.plain))


def _dated(unit: Unit) -> bool:
    """A unit with a header line that carries a label, a number or a date."""
    return any(
        line.label in (lab.HEADER, lab.CREATED)
        and bool(line.header.dates or line.header.kind or line.header.number)
        for line in unit.lines
    )


def _last_header(units: list[Unit], limit: int) -> int:
    """The index of the last unit with a dated header line among the first ``limit``; a
    date line after two paragraphs of sentences ("Stand: ..." under the text) is no header."""
    last, sentences = -1, 0
    for at in range(limit):
        unit = units[at]
        if _dated(unit):
            last = at
        elif unit.only(lab.TEXT) and _lead_sentence(unit.text):
            sentences += 1
            if sentences == 2:
                break
    return last


def _split(units: list[Unit], spans: Spans) -> list[Unit]:
    """Fill kicker, title and subtitle from the units before the body; the body units."""
    if any(unit.role == "title" for unit in units):
        return _split_by_roles(units, spans)
    head = _Head(spans)
    if any(unit.role == "body" for unit in units):  # a selector marked where the body is
        at = next(i for i, unit in enumerate(units) if unit.role == "body")
        for unit in units[:at]:
            head.take(unit)
        return _finish_head(head, spans, units[at:])
    limit = next((i for i, u in enumerate(units) if _opens_body(u, has_title=i > 0)), len(units))
    last_header = _last_header(units, min(limit, 10))
    at = 0
    while at < len(units):
        unit = units[at]
        if unit.starts_body and at and not units[at - 1].only(lab.TEXT):
            unit.starts_body = False  # a reading time under header lines, not under a title
        if _opens_body(unit, has_title=bool(head.texts)):
            break
        if head.texts and at == len(units) - 1:
            break  # a release has a body: the last unit is never a heading
        if unit.only(lab.CONTACT, lab.FOOTER_LINE, lab.DOWNLOAD_LINE):
            at += 1  # a press office's name above the title: no candidate
            continue
        if (
            at > last_header
            and head.texts
            and unit.only(lab.TEXT)
            and not _subtitle_shaped(unit.text)
        ):
            break  # below title and header lines: a paragraph that is no subtitle
        head.take(unit)
        at += 1
    return _finish_head(head, spans, units[at:])


def _finish_head(head: _Head, spans: Spans, body: list[Unit]) -> list[Unit]:
    """Kicker, title and subtitle from the head's candidates; the body units."""
    texts = _drop_repeats(head.texts)
    kicker, title, rest = _choose_title(texts, head.anchor)
    spans.kicker = kicker
    spans.title = _one_line(title.text) if title else None
    subtitles: list[str] = []
    for i, unit in enumerate(rest):
        if _is_repeat(unit.text, spans):
            continue
        following = (rest[i + 1 :] + body)[:1]
        if not _subtitle_shaped(unit.text) or (
            _lead_sentence(unit.text)
            and (any(map(_lead_sentence, subtitles)) or any(_short_sentence(u) for u in following))
        ):
            body = rest[i:] + body
            break
        subtitles.append(unit.text)
    spans.subtitle = "\n".join(subtitles) or None
    return body


def _drop_repeats(texts: list[Unit]) -> list[Unit]:
    """Candidates without a breadcrumb's or a printout's second copy of the same line."""
    out: list[Unit] = []
    for unit in texts:
        if not any(_one_line(unit.text) == _one_line(seen.text) for seen in out):
            out.append(unit)
    return out


def _after_header_title(texts: list[Unit], anchor: int) -> bool:
    """Whether the title follows the header lines although other lines precede them: the
    line right above the header is no title (a web address, a sentence, a call)."""
    return len(texts) > anchor and not _title_shaped(_one_line(texts[anchor - 1].text))


def _choose_title(texts: list[Unit], anchor: int | None) -> tuple[str | None, Unit | None, list]:
    """(kicker, title, the candidates after the title)."""
    if not texts:
        return None, None, []
    if anchor and _after_header_title(texts, anchor):
        return _choose_title(texts[anchor:], None)  # lines above the header: a banner
    if anchor:
        before, title, after = texts[: anchor - 1], texts[anchor - 1], texts[anchor:]
        if before and before[-1].text.endswith(":") and _title_shaped(title.text):
            joined = Unit([Line(_one_line(before[-1].text) + " " + _one_line(title.text))])
            before, title = before[:-1], joined  # a title broken after its colon
        if len(before) == 1 and not _kicker_shaped(before[0].text):
            return None, before[0], [title, *after]  # title, subtitle, then the date line
        if len(before) == 1:
            return _one_line(before[0].text), title, after
        if (
            len(before) >= 2
            and _kicker_shaped(before[-2].text)
            and _title_shaped(before[-1].text)
            and _subtitle_shaped(title.text)
            and not before[-2].text.endswith(":")
        ):
            return _one_line(before[-2].text), before[-1], [title, *after]
        return None, title, after  # lines further above the title are a banner
    first, rest = texts[0], texts[1:]
    if len(rest) >= 2 and _kicker_shaped(first.text) and _title_shaped(rest[0].text):
        return _one_line(first.text), rest[0], rest[1:]  # kicker, title, subtitle
    if len(rest) == 1 and _topic_shaped(first.text) and _title_shaped(rest[0].text):
        return _one_line(first.text), rest[0], []
    return None, first, rest


def _split_by_roles(units: list[Unit], spans: Spans) -> list[Unit]:
    """Kicker, title and subtitle where a site profile's selectors marked them."""
    spans.by_roles = True
    title_at = next(i for i, unit in enumerate(units) if unit.role == "title")
    spans.title = _one_line(units[title_at].text)
    before = [
        u
        for u in (_without_header(u, spans) for u in units[:title_at])
        if u and _one_line(u.text) != spans.title  # a breadcrumb ends in the title
    ]
    # The kicker is marked, or the one short line above the title (several are a banner).
    chosen = [u for u in before if u.role == "kicker"] or [
        u for u in before if len(before) == 1 and _kicker_shaped(u.text)
    ]
    if chosen and len(chosen[0].text) <= 120:
        spans.kicker = _one_line(chosen[0].text)
    after = units[title_at + 1 :]
    body_at = next((i for i, unit in enumerate(after) if unit.role == "body"), None)
    subtitles = []
    if body_at is None:
        rest = after
        while len(rest) > 1:
            unit = _without_header(rest[0], spans)
            if unit is not None and (_opens_body(unit, True) or not _subtitle_shaped(unit.text)):
                break
            if unit is not None:
                subtitles.append(unit.text)
            rest = rest[1:]
        body = rest
    else:
        subtitles = [u.text for u in map(lambda u: _without_header(u, spans), after[:body_at]) if u]
        body = after[body_at:]
    spans.subtitle = "\n".join(subtitles) or None
    return body


def _without_header(unit: Unit, spans: Spans) -> Unit | None:
    """The unit with its header lines taken into the header; None when nothing is left."""
    kept = []
    for line in unit.lines:
        if line.label in (lab.HEADER, lab.CREATED):
            spans.head.merge(line.header)
            if line.rest:
                kept.append(Line(line.rest))
        elif line.label in (lab.TEXT, lab.CAPTION, lab.SPEAKER):
            kept.append(line)
    return Unit(kept, unit.role, unit.starts_body, unit.plain) if kept else None


def _printed_title(spans: Spans) -> list[str]:
    """The title as a printout may repeat it: whole, with its kicker, or either half of a
    title broken after its colon."""
    forms = [form for form in (spans.title, spans.kicker) if form]
    if spans.title and ": " in spans.title:
        topic, rest = spans.title.split(": ", 1)
        forms += [rest, topic + ":"]
    if spans.title and spans.kicker:
        forms.append(f"{spans.kicker} {spans.title}")
    return forms


def _is_repeat(text: str, spans: Spans) -> bool:
    """A line that repeats the title or the kicker (a printout shows the title twice)."""
    return _one_line(text) in _printed_title(spans)


# -- body and contact ----------------------------------------------------------------------


class _Body:
    """Body paragraphs and the contact block, read unit by unit."""

    def __init__(self, spans: Spans, locale: str) -> None:
        self.spans = spans
        self.locale = locale
        self.paragraphs: list[str] = []
        self.in_contact = False
        self.ended = False  # after a footer or the downloads only the contact may follow
        self.started = False

    def read(self, units: list[Unit]) -> None:
        marked = any(unit.role == "body" for unit in units)
        if marked:  # before the marked body: outside the release
            units = units[next(i for i, unit in enumerate(units) if unit.role == "body") :]
        self.units = units
        self.texts: list[str] | None = None  # every line's text, when a contact block asks
        self.position = 0
        for at, unit in enumerate(units):
            if marked and unit.role != "body":
                self.ended = True  # after the marked body: outside the release
            following = units[at + 1] if at + 1 < len(units) else None
            current: list[str] = []
            wrapped = unit.plain and not self.in_contact  # a contact block keeps its lines
            for line in _unwrap(unit.lines) if wrapped else unit.lines:
                self._line(line, current, following)
            self._add("\n".join(current))
        self.spans.body = self.paragraphs

    def _line(self, line: Line, current: list[str], following: Unit | None) -> None:
        spans, label = self.spans, line.label
        if label == lab.CONTACT and not self.in_contact and not self._details_follow(line):
            label = lab.TEXT  # "Kontakt" without an address, a number or an e-mail after it
        if self.in_contact:
            if label not in (lab.FOOTER_LINE, lab.DOWNLOAD_LINE, lab.CHROME):
                spans.contact.append(line.text)
            return
        if label == lab.CONTACT:
            self._add("\n".join(current))
            current.clear()
            self.in_contact = True
            spans.contact.append(line.text)
            return
        if self.ended:
            return
        if label in (lab.FOOTER_LINE, lab.DOWNLOAD_LINE):
            self._add("\n".join(current))
            current.clear()
            self.ended = True
            return
        if label == lab.CREATED:  # a metadata box's date of issue
            spans.head.merge(line.header)
            return
        if label == lab.SPEAKER and self._speaks(line, following):
            spans.persons_text.append(line.text)
            spans.speaker_labels += 1
            return
        text = line.text
        if (not self.started and not current) or _meta_line(line):
            line = lab.read_header(line, self.locale)
            label = line.label
        if label == lab.HEADER and not line.rest and self.started:
            spans.head.merge(line.header)  # a meta line inside the text ("date Label Issuer")
            return
        if label == lab.HEADER and not self.started and not current:
            spans.head.merge(line.header)
            if not line.rest:
                return
            text = line.rest
        if not self.started and not current:
            text = self._first_paragraph(text)
            if not text:
                return
        before, glued = contact.split_inline(text)
        if glued:
            current.append(before)
            self._add("\n".join(current))
            current.clear()
            self.in_contact = True
            spans.contact.append(glued)
            return
        current.append(text)

    def _details_follow(self, line: Line) -> bool:
        """A contact block gives contact details: an e-mail, a phone number, a postal code
        or a web address, on its first line or the lines after it."""
        if self.texts is None:
            self.texts = [line.text for unit in self.units for line in unit.lines]
        while self.position < len(self.texts) and self.texts[self.position] != line.text:
            self.position += 1
        following = self.texts[self.position : self.position + 12]
        return any(_CONTACT_DETAIL.search(text[:300]) for text in following)

    def _speaks(self, line: Line, following: Unit | None) -> bool:
        """A speaker label, which introduces the next paragraph."""
        return speaks(line.speaker, following.text if following is not None else "")

    def _add(self, paragraph: str) -> None:
        if paragraph and paragraph not in self.paragraphs:  # "Mehr anzeigen" repeats text
            self.paragraphs.append(paragraph)
            self.spans.persons_text.append(paragraph)
            self.started = True

    def _glued_bullets(self, text: str) -> str:
        """ "· point · point Minister Anna Muster: „…": bullet points glued in front of the
        text become the subtitle when a speaker's quotation marks where the text starts."""
        speaker = _INLINE_SPEAKER.search(text, 0, 600)
        if not speaker or self.spans.subtitle:
            return text
        self.spans.subtitle = "\n".join(
            "· " + item for item in _bullet_items(text[: speaker.start()])
        )
        return text[speaker.start() :].lstrip()

    def _first_paragraph(self, text: str) -> str:
        """Take a glued header, the repeated title, a ``(date)`` prefix, a wire service's
        mark or a dateline off the first paragraph."""
        spans = self.spans
        glued = read_glued(text, self.locale)
        if glued:
            spans.head.merge(glued[0])
            text = glued[1]
        text = _strip_title(text, spans)
        if text[:1] in _GLUED_BULLETS:
            text = self._glued_bullets(text)
        prefix = _DATE_PREFIX.match(text)
        value = parse_date(prefix["date"], self.locale) if prefix else None
        if value:
            spans.body_dates.append(value)
            text = text[prefix.end() :]
        wire = _WIRE.match(text) or _WIRE_LINE.match(text) or _CAPS_DASH.match(text)
        if wire:
            place = wire["place"]
            code = wire.groupdict().get("code")
            if code is None or code.split("/")[0].lower() in _AGENCIES:
                spans.flag("agency-copy")
            spans.dateline = place.title() if place.isupper() else place
            return text[wire.end() :]
        dateline = _DATELINE.match(text) or _CAPS_DATELINE.match(text)
        if dateline and dateline["place"] not in _NOT_PLACES:
            place = dateline["place"]
            spans.dateline = place.title() if place.isupper() else place
            return text[dateline.end() :]
        return text


def _bullet_items(text: str) -> list[str]:
    return [item.strip() for item in re.split(r"(?:^|\s)[·•▪]\s", text) if item.strip()]


def _meta_line(line: Line) -> bool:
    """A short line of the text that starts with a date and names a release label: a
    portal's meta line, read as header material wherever it stands."""
    return (
        line.unread
        and line.text[:1].isdecimal()
        and ("Press" in line.text or "Medien" in line.text)
    )


def _strip_title(text: str, spans: Spans) -> str:
    """A first paragraph without the title that a printout repeats at its start."""
    for printed in sorted(_printed_title(spans), key=len, reverse=True):
        if len(printed) >= 20 and (text == printed or text.startswith(printed + " ")):
            return text[len(printed) :].lstrip()
    return text


def segment(blocks: list[Block], locale: str = "de") -> Spans:
    """The spans of a release from its blocks in reading order."""
    spans = Spans()
    units = _clean([b for b in blocks if b.text and not b.text.isspace()], locale, spans)
    body = _split(units, spans)
    _Body(spans, locale).read(body)
    text = "\n\n".join(spans.body)
    if "heute" in text:  # the word starts the pattern: a cheap test
        for match in _TODAY.finditer(text):
            value = parse_date(match["date"], locale)
            if value:
                spans.body_dates.append(value)
    return spans
