"""The two entry points: ``normalise_text`` and ``normalise_html``."""

from __future__ import annotations

from . import text as textmod
from .layout import build
from .record import Record
from .segment import text_blocks


def _prepare(text: str, rec: Record) -> str:
    text, repaired = textmod.repair_mojibake(text)
    if repaired:
        rec.flag("mojibake-repaired")
    if "\ufffd" in text:
        rec.flag("replacement-char")
    return textmod.clean_text(text)


def normalise_text(text: str, locale: str | None = None) -> Record:
    """A plain-text release (mailed, or extracted from a PDF) -> Record; the locale (which
    decides ``05/11/2014``) is guessed from the words when not given."""
    rec = Record()
    if isinstance(text, bytes):
        if textmod.is_binary(text):
            rec.flag("binary", "not-a-release")
            return rec
        text, flags = textmod.decode_bytes(text)
        rec.flag(*flags)
    if not text or text.isspace():
        rec.flag("empty", "not-a-release")
        return rec
    if textmod.is_binary(text):
        rec.flag("binary", "not-a-release")
        return rec
    text = _prepare(text, rec)
    return build(text_blocks(text), rec, locale or textmod.guess_locale(text))


def normalise_html(html, url=None, profile=None, listing=None, profiles=None) -> Record:
    """A saved or fetched release page -> Record (see ``scraper.normalise.html``).

    Without ``profile``, one is chosen among ``profiles`` (default: all known ones) by URL
    or CMS signature; ``profiles={}`` makes it read the page with the generic fallback.
    """
    from .html import normalise_page

    return normalise_page(html, url=url, profile=profile, listing=listing, profiles=profiles)
