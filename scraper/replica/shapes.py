"""Plain-text copies of releases in the shapes that real copies have.

A release's ``text_shapes`` (in its data) lists them; they change how the text looks, never
what a reader must find in it (the expected fields stay those of the page):

- ``banner``: a site-wide notice of three lines above everything else;
- ``breadcrumb``: a "Sie sind hier:" line with the trail, ending in the title;
- ``widgets``: reading time and share buttons under the title;
- ``wire``: a distributor's copy, ``Ort (ots) - `` before the text and its footer after it;
- ``repost``: a blog's copy, ``Aus dem Ministerium …:`` under the title instead of the
  ministry line, a link to the full release and a closed comment widget at the end;
- ``contact:<heading>``: the contact block announced by another heading;
- ``printout``: text pulled from a PDF, without blank lines and with every paragraph broken
  into lines of about 60 characters (inside sentences, as a printer breaks them).
"""

from __future__ import annotations

from .pages import esc, reading_minutes
from .releases import Release, Site, plain

_WIDTH = 60
_FEMININE = ("kanzlei", "regierung", "verwaltung", "behörde")


def apply(text: str, site: Site, release: Release, edited: bool = False) -> str:
    """``text`` (blocks separated by blank lines) in the release's shapes."""
    shapes = release.extra.get("text_shapes", ())
    if not shapes:
        return text
    blocks = text.rstrip("\n").split("\n\n")
    ministry = release.extra.get("ministry", site.ministry)
    for shape in shapes:
        name, _, argument = shape.partition(":")
        blocks = _SHAPES[name](blocks, site, release, ministry, argument, edited)
    separator = "\n" if "printout" in shapes else "\n\n"
    return separator.join(blocks) + "\n"


def _notice(site: Site) -> list[str]:
    return ["Hinweis zum Hochwasser", "Aktuelle Informationen zur Lage finden Sie unter:",
            f"{site.host.removeprefix('www.')}/hochwasser"]  # fmt: skip


def _trail(release: Release) -> list[str]:
    return ["Startseite", "Presse", release.title]


def _banner(blocks, site, release, ministry, argument, edited):
    return _notice(site) + blocks


def _breadcrumb(blocks, site, release, ministry, argument, edited):
    return ["Sie sind hier:\n" + "\n".join(f"• {step}" for step in _trail(release)), *blocks]


def page_notices(site: Site, release: Release) -> str:
    """The release page's site notice and breadcrumb trail (HTML, above the article), for
    the shapes ``banner`` and ``breadcrumb``."""
    shapes = release.extra.get("text_shapes", ())
    html = ""
    if "banner" in shapes:
        lines = "".join(f"<p>{esc(line)}</p>" for line in _notice(site))
        html += f'<div class="site-notice">{lines}</div>\n'
    if "breadcrumb" in shapes:
        steps = "".join(f"<li>{esc(step)}</li>" for step in _trail(release))
        html += f'<div class="breadcrumb"><p>Sie sind hier:</p><ul>{steps}</ul></div>\n'
    return html


def _after_title(blocks: list[str], release: Release, inserted: list[str]) -> list[str]:
    at = blocks.index(release.title) + 1
    return blocks[:at] + inserted + blocks[at:]


def _widgets(blocks, site, release, ministry, argument, edited):
    minutes = reading_minutes(release.words(edited))
    return _after_title(blocks, release, [f"Lesezeit: {minutes} Min.\n• Teilen\n• Drucken"])


def _first_body_block(blocks: list[str], release: Release) -> int:
    return next(i for i, block in enumerate(blocks) if block.startswith(f"{release.dateline}. "))


def _wire(blocks, site, release, ministry, argument, edited):
    at = _first_body_block(blocks, release)
    opener = f"{release.dateline} (ots) - " + blocks[at].removeprefix(f"{release.dateline}. ")
    footer = f"Original-Content von: {ministry}, übermittelt durch news aktuell"
    return [*blocks[:at], opener, *blocks[at + 1 :], footer]


def _repost(blocks, site, release, ministry, argument, edited):
    article = "der" if ministry.split(" ")[0].lower().endswith(_FEMININE) else "dem"
    blocks = [block for block in blocks if block != ministry]
    source = f"Zur vollständigen Pressemitteilung: https://{site.host}/presse/{release.slug}"
    blocks = _after_title(blocks, release, [f"Aus {article} {ministry}:"])
    return [*blocks, source, "Kommentare sind geschlossen."]


def _contact(blocks, site, release, ministry, heading, edited):
    return [heading + block[block.index("\n") :] if _is_heading(block) else block
            for block in blocks]  # fmt: skip


def _is_heading(block: str) -> bool:
    return block.startswith("Kontakt für Pressevertreter\n")


def _printout(blocks, site, release, ministry, argument, edited):
    body = {release.title, *(plain(paragraph) for paragraph in release.text(edited))}
    lines = []
    for block in blocks:
        text = block.removeprefix(f"{release.dateline}. ") if release.dateline else block
        lines.extend(_wrap(block) if block in body or text in body else block.split("\n"))
    return lines


def _wrap(paragraph: str) -> list[str]:
    """A paragraph in lines of about ``_WIDTH`` characters, each broken inside a sentence:
    after a word that ends in a small letter or a comma, before one that starts small."""
    words = paragraph.split(" ")
    lines, current = [], words[0]
    for before, word in zip(words, words[1:], strict=False):
        inside = before[-1:].islower() or before.endswith(",")
        if len(current) >= _WIDTH and inside and word[:1].islower():
            lines.append(current)
            current = word
        else:
            current += " " + word
    return [*lines, current]


_SHAPES = {
    "banner": _banner, "breadcrumb": _breadcrumb, "widgets": _widgets, "wire": _wire,
    "repost": _repost, "contact": _contact, "printout": _printout,
}  # fmt: skip
