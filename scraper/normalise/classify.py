"""Label each line of a release: header material, furniture, markers, contact starts,
speaker labels, captions or text. Labelling changes nothing; ``segment`` decides."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from .boilerplate import CHROME_KINDS, furniture, is_caption, is_chrome
from .dates import parse_date
from .header import Header, read_line
from .persons import speaker_label

TEXT = "text"
CHROME = "chrome"  # navigation, buttons, widgets, credits: dropped
BREADCRUMB_LINE = "breadcrumb"  # "Sie sind hier:", a trail: dropped with the trail
SPEECH = "speech"  # "Es gilt das gesprochene Wort": a flag
VERBATIM = "verbatim"  # "Im Wortlaut": a flag
STOP = "stop"  # "Das könnte Sie auch interessieren": only promotion follows
BOX = "box"  # "Artikel-Informationen": a metadata box heading
UPDATED = "updated"  # "zuletzt aktualisiert am ...": not the date of issue
CREATED = "created"  # "erstellt am ...": the date of issue (here or on the next line)
READING = "reading"  # a reading-time widget: the text starts after it
FOOTER_LINE = "footer"  # a distributor's or blog's footer, a comment widget: the end
DOWNLOAD_LINE = "download"  # attachments and download links: the end of the text
CONTACT = "contact"  # opens the contact block
HEADER = "header"  # label, number, date, place-and-date or issuer line
SPEAKER = "speaker"  # "Anna Muster:" before a statement
CAPTION = "caption"  # an image caption or credit

_SHORT = 200  # header lines are short
_BULLETS = "•·▪◦*"
_BULLET_MARK = re.compile(r"^[•·▪◦*]\s*")
_KINDS = {
    "breadcrumb": BREADCRUMB_LINE, "footer": FOOTER_LINE, "download": DOWNLOAD_LINE,
    "contact": CONTACT,
}  # fmt: skip


@dataclass(slots=True)
class Line:
    """One line with its label and what the label found in it."""

    text: str
    label: str = TEXT
    header: Header | None = None  # HEADER: what the line told
    rest: str = ""  # HEADER: the text glued after the header material ("date | Title")
    value: str = ""  # CREATED / UPDATED: the date written on the line, if any
    speaker: tuple[str, str | None] | None = None  # SPEAKER: (name, office)
    unread: bool = False  # TEXT that was not yet tested for header material

    def dated(self, value: date) -> Line:
        """This metadata line with the date of issue it carries."""
        return Line(self.text, CREATED, Header(dates=[value]))


def classify(line: str, locale: str = "de", header: bool = True) -> Line:
    """The label of one line (stripped of surrounding spaces). With ``header=False`` a
    line is not yet tested for header material (``read_header`` does it when asked): the
    lines deep in a release's body are never header lines, and the test is the costliest."""
    text = line.strip()
    size = len(text)
    bare = _BULLET_MARK.sub("", text, count=1) if text[:1] in _BULLETS else text
    if not bare:
        return Line(text, CHROME)  # an empty line, or a bullet alone
    found = furniture(bare)
    if found is None and " | " in bare and is_chrome(bare):
        return Line(text, CHROME)  # "Drucken | Seite teilen"
    if found is not None:
        kind, value = found
        if kind in CHROME_KINDS and kind != READING:
            return Line(text, CHROME)
        return Line(text, _KINDS.get(kind, kind), value=value)
    if size <= _SHORT:
        if header:
            head = _header(text, locale)
            if head:
                return head
        speaker = speaker_label(text) if text.endswith(":") else None
        if speaker:
            return Line(text, SPEAKER, speaker=speaker)
    if is_caption(text):
        return Line(text, CAPTION)
    return Line(text, TEXT, unread=not header and size <= _SHORT)


def _header(text: str, locale: str) -> Line | None:
    if text.endswith((".", "!", "?")) and text.count(" ") >= 9:
        return None  # a sentence of ten words is no header line
    found = read_line(text, locale)
    return Line(text, HEADER, found[0], found[1]) if found else None


def read_header(line: Line, locale: str = "de") -> Line:
    """The line, as a header line if it is one (for lines classified with ``header=False``)."""
    if not line.unread:
        return line
    line.unread = False
    return _header(line.text, locale) or line


def box_date(line: Line, following: str | None, locale: str) -> tuple[date | None, bool]:
    """The date a metadata line carries, on it or on the line after it; and whether that
    following line was the date (and is used up)."""
    if line.value:
        return parse_date(line.value, locale), False
    later = parse_date(following, locale) if following else None
    return later, later is not None


_BULLET = re.compile(r"^(?:[-–•·▪◦*›>]|\d{1,2}[.)])\s+\S")
_SENTENCE_START = re.compile(
    r"^(?:Der|Die|Das|Den|Dem|Des|Ein|Eine|Einen|Einem|Einer|Am|Im|Ins|In|Mit|Zum|Zur|Zu|Bei"
    r"|Beim|Auf|Nach|Wie|Wir|Ich|Es|Er|Seit|Ab|Bis|Für|Über|Unter|Vor|Von|Vom|Aus|Um|Durch"
    r"|Dabei|Damit|Dazu|Deshalb|Dies|Diese|Dieser|Dieses|Auch|Außerdem|Zudem|Bereits|Heute"
    r"|Insgesamt|So|Nun|Denn|Doch|Aber|Und|Oder|Wenn|Als|Da|Daher|Darüber|Hierzu|Hier)\s"
)
_KEY_VALUE = re.compile(r"^[\w./-]+(?: [\w./-]+){0,2} ?: \S")  # "Ort: Rathaus", "Tel.: 0611"
# "am 26." or "Dr." at the end of a line: no sentence ends there.
_ORDINAL_END = re.compile(r"(?:\b\d{1,2}|\b(?:Dr|Prof|St|Nr|Abs|Art|ca|bzw|vgl|z\. ?B|u\. ?a))\.$")
_HARD_END = (".", "!", "?", ":", ";", "“", "”", '"', "«", "»", "¿", ")")


def soft_break(before: str, after: str, paragraph: int = 0) -> bool:
    """Whether a line break between two lines of text falls inside a sentence (a hard
    wrap): the first line does not end a sentence, and the second line does not start a
    new one, a list item or a "label: value" line. ``paragraph`` is the length of the
    text the first line ends (default: the line's)."""
    if len(after) > _SHORT and max(paragraph, len(before)) < 150:  # a heading, a paragraph
        return False
    if _SENTENCE_START.match(after):  # "Die", "Am", "Wir": capitalised only after a full stop
        return False
    if before.endswith(_HARD_END) and not _ORDINAL_END.search(before):
        return False
    return not (_BULLET.match(after) or _KEY_VALUE.match(after))


def join_wrapped(lines: list[str]) -> str:
    """Lines of one sentence as one: a syllable hyphen before a lower-case continuation
    goes, any other break becomes a space."""
    parts = [lines[0]]
    for before, after in zip(lines, lines[1:], strict=False):
        hyphen = before.endswith("-") and not before.endswith(" -")
        if hyphen and after[:1].islower():
            parts[-1] = parts[-1][:-1]
        parts.append(after if hyphen else " " + after)
    return "".join(parts)
