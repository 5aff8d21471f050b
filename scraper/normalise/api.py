"""The two entry points: ``normalise_text`` and ``normalise_html``."""

from __future__ import annotations

from . import text as textmod
from .layout import build
from .record import Record
from .segment import text_blocks
from .source import decode, is_binary


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
        decoded = decode(text, markup=False)
        text = decoded.text
        rec.flag(*decoded.flags)
        rec.sources["encoding"] = decoded.label
    if not text or text.isspace():
        rec.flag("empty", "not-a-release")
        return rec
    if is_binary(text):
        rec.flag("binary", "not-a-release")
        return rec
    text = _prepare(text, rec)
    return build(text_blocks(text), rec, locale or textmod.guess_locale(text))


def normalise_html(
    html, url=None, profile=None, listing=None, profiles=None, content_type=None, fetched=None
) -> Record:
    """A saved or fetched release page -> Record (see ``scraper.normalise.html``).

    Without ``profile``, one is chosen among ``profiles`` (default: all known ones) by URL
    or CMS signature; ``profiles={}`` makes it read the page with the generic fallback.
    ``content_type`` is the HTTP header (its charset comes before the page's own), and
    ``fetched`` the day of the fetch (default today): no later date becomes ``published``.
    """
    from .html import normalise_page

    return normalise_page(html, url=url, profile=profile, listing=listing, profiles=profiles,
                          content_type=content_type, fetched=fetched)  # fmt: skip
