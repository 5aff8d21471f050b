"""Text hygiene: repairing mojibake, folding whitespace, removing link titles."""

from __future__ import annotations

import re
import unicodedata

# A character that a UTF-8 continuation byte (0x80-0xBF) turns into when read as cp1252/Latin-1.
_CONT = "".join(
    sorted({bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in range(0x80, 0xC0)})
)
_CONT_CLASS = "[" + re.escape(_CONT) + "]"
_MOJIBAKE = re.compile(
    f"[\u00c2-\u00df]{_CONT_CLASS}|[\u00e0-\u00ef]{_CONT_CLASS}{{2}}|[\u00f0-\u00f4]{_CONT_CLASS}{{3}}"
)

_LINK_TITLES = re.compile(
    r"(?<![ \t])[ \t]*\(?(?:Öffnet sich in einem neuen Fenster|Dokument, oeffnet ein neues Fenster"
    r"|Externer Link, öffnet (?:sich )?in (?:einem )?neuen? Fenster|öffnet in neuem Fenster)"
    r"\)?[ \t]*",
    re.I,
)
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))
_SPACES = dict.fromkeys(map(ord, "\u00a0\u202f\u2007\u2009\u200a\u2002\u2003\t\f\v"), " ")
_TABLE = {**_INVISIBLE, **_SPACES}
_TABLE_CHARS = re.compile("[" + "".join(map(chr, _TABLE)) + "]")
_SOFT_HYPHEN_BREAK = re.compile(r"(\w)¬ *\n? *(\w)")
_SPACE_RUN = re.compile(r" {2,}")
_BLANK_LINES = re.compile(r"\n{3,}")


def _unmojibake(match: re.Match) -> str:
    chunk = match.group(0)
    try:
        raw = bytes(c.encode("cp1252")[0] if ord(c) > 255 else ord(c) for c in chunk)
        return raw.decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return chunk


def repair_mojibake(text: str) -> tuple[str, bool]:
    """Undo UTF-8 read as Latin-1/cp1252 (``Ã¤`` -> ``ä``); say whether anything changed."""
    if "Ã" not in text and "Â" not in text and "â€" not in text and "Å" not in text:
        return text, False
    repaired = _MOJIBAKE.sub(_unmojibake, text)
    return repaired, repaired != text


def _link_title_gap(match: re.Match) -> str:
    after = match.string[match.end() : match.end() + 1]
    return "" if match.start() == 0 or not after or after in ".,;:!?)" else " "


_EN_WORDS = re.compile(r"\b(?:the|and|of|to|is|will|with|for|on|has|have)\b")
_DE_WORDS = re.compile(r"\b(?:der|die|das|und|ist|mit|für|auf|den|von|zu|nicht)\b")


def guess_locale(text: str) -> str:
    """``en`` for text with more English than German function words, else ``de``."""
    sample = text[:4000].lower()
    return "en" if len(_EN_WORDS.findall(sample)) > len(_DE_WORDS.findall(sample)) else "de"


def clean_text(text: str) -> str:
    """NFC, invisible characters and link titles out, spaces folded, lines stripped, runs of
    blank lines kept to one. Each step runs only when its trigger is present (this is hot)."""
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    if _TABLE_CHARS.search(text):
        text = _TABLE_CHARS.sub(lambda m: _TABLE[ord(m.group())] or "", text)
    if "\r" in text or "\u2028" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n")
    if "¬" in text:
        text = _SOFT_HYPHEN_BREAK.sub(r"\1\2", text)
    if "enster" in text:
        text = _LINK_TITLES.sub(_link_title_gap, text)
    if "  " in text:
        text = _SPACE_RUN.sub(" ", text)
    if "\n" in text:
        text = "\n".join(line.strip() for line in text.split("\n"))
        if "\n\n\n" in text:
            text = _BLANK_LINES.sub("\n\n", text)
    return text.strip()


def clean_inline(text: str) -> str:
    """One line of running text, cleaned like ``clean_text``."""
    return clean_text(text.replace("\n", " "))
