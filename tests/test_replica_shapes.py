"""The replica's plain-text copies in the shapes real copies have (``replica.shapes``): each
shape shows up in its text, and the normaliser reads the page's fields from every one."""

from __future__ import annotations

import pytest

from scraper.normalise import FIELDS, normalise_text
from scraper.replica import catalogue, text_version

ENTRIES = {f"{e['site']}:{e['slug']}": e for e in catalogue()}
SHAPES = {
    "banner": "bund-breg:soforthilfe-fuer-die-hochwassergebiete-beschlossen",
    "breadcrumb": "nrw-land:sicherheit-im-bahnhofsumfeld-gemeinsame-streifen",
    "widgets": "hessen-innen:feuerwehren-erhalten-82-neue-fahrzeuge",
    "wire": "hessen-innen:verfassungsschutzbericht-2022-vorgestellt",
    "repost": "bund-bmas:buergergeld-neue-regeln-fuer-mitwirkungspflichten",
    "printout": "lsa-mb:lehrereinstellung-zum-schuljahr-2013-14",
}


def _text(key: str) -> str:
    return text_version(*key.split(":"))


def test_banner_stands_above_everything():
    assert _text(SHAPES["banner"]).startswith("Hinweis zum Hochwasser\n\n")


def test_breadcrumb_trail_ends_in_the_title():
    text = _text(SHAPES["breadcrumb"])
    title = ENTRIES[SHAPES["breadcrumb"]]["title"]
    assert text.startswith("Sie sind hier:\n• Startseite\n• Presse\n• " + title + "\n\n")


def test_widgets_follow_the_title():
    text = _text(SHAPES["widgets"])
    title = ENTRIES[SHAPES["widgets"]]["title"]
    assert f"{title}\n\nLesezeit: 1 Min.\n• Teilen\n• Drucken\n\n" in text
    assert "\n\nRückfragen & Kontakt:\n" in text


def test_wire_copy_has_the_distributors_mark_and_footer():
    text = _text(SHAPES["wire"])
    assert "\n\nWiesbaden (ots) - " in text and "übermittelt durch news aktuell" in text
    assert "\n\nAnsprechpartnerin für die Medien:\n" in text


def test_repost_names_its_source_and_closes_comments():
    text = _text(SHAPES["repost"])
    assert "\n\nAus dem Bundesministerium für Arbeit und Soziales:\n\n" in text
    assert text.endswith("\n\nKommentare sind geschlossen.\n")


def test_printout_has_no_blank_lines_and_breaks_sentences():
    lines = _text(SHAPES["printout"]).splitlines()
    assert "" not in lines
    broken = [line for line in lines if line[-1:].isalpha() and line[-1:].islower()]
    assert len(broken) >= 2


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_shaped_text_gives_the_pages_fields(shape):
    entry = ENTRIES[SHAPES[shape]]
    got = normalise_text(_text(SHAPES[shape])).fields()
    assert {name: got[name] for name in FIELDS} == {name: entry[name] for name in FIELDS}
