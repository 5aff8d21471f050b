"""The generic fallback on layouts that no profile and no replica family resembles.

These pages (tests/files/generic/) imitate CMS layouts the project has no profile for: an
old table-less div layout (Bavarian interior ministry style) and a TYPO3 article (Baden-
Württemberg style). The fallback must find title, date, lead, body and the header fields.
"""

from __future__ import annotations

import pytest
from conftest import file_response

from scraper.normalise import normalise_html

BAYERN = "generic/bayern-stmi-beispiel.html"
BW = "generic/bw-typo3-beispiel.html"


@pytest.fixture(scope="module")
def bayern():
    return normalise_html(file_response(BAYERN, url="https://www.stmi.bayern.de/med/aktuell/").body)


@pytest.fixture(scope="module")
def bw():
    return normalise_html(file_response(BW, url="https://km.baden-wuerttemberg.de/x").body)


def test_no_profile_is_claimed(bayern, bw):
    assert bayern.profile is None and bw.profile is None


def test_title(bayern, bw):
    assert bayern.title == "Herrmann: Mehr Stellen für die Grenzpolizei"
    assert bw.title == "Land fördert Schulsozialarbeit mit 30 Millionen Euro"


def test_date_from_the_header_line_or_the_time_attribute(bayern, bw):
    assert (bayern.published, bayern.sources.get("published")) == ("2022-10-17", "header")
    assert (bw.published, bw.sources.get("published")) == ("2021-03-05", "header")


def test_kind_number_and_place_from_the_header(bayern):
    assert (bayern.kind, bayern.number, bayern.place) == ("Pressemitteilung", "212/2022", "München")


def test_dateline(bayern, bw):
    assert bayern.dateline is None and bw.dateline == "Stuttgart"


def test_body_is_the_release_text_only(bayern, bw):
    assert bayern.body.startswith("Die Bayerische Grenzpolizei erhält")
    assert bayern.body.endswith("rund 1.200 Stellen umfassen.")
    assert bw.body.startswith("Das Land Baden-Württemberg unterstützt")
    assert bw.body.endswith("bis zum 30. April gestellt werden.")
    for chrome in ("Weitere Pressemitteilungen", "Drucken", "StMI / Max", "Jetzt teilen",
                   "Pressestelle des Kultusministeriums", "Cookies"):  # fmt: skip
        assert chrome not in bayern.body + bw.body


def test_persons(bayern, bw):
    assert bayern.persons == [{"name": "Joachim Herrmann", "role": "Innenminister"}]
    assert bw.persons == [{"name": "Dr. Susanne Eisenmann", "role": "Kultusministerin"}]


def test_lead_paragraph_becomes_the_subtitle(bw):
    lead = "Kultusministerin Dr. Susanne Eisenmann: „Schulsozialarbeit ist unverzichtbar“"
    assert bw.subtitle == lead
    assert lead not in bw.body


LEAD_PAGE = """<html><body><article><h1>Neue Radwege im Kreis</h1>{after}
<div class="text"><p>Kassel. Der Kreis baut in diesem Jahr zwölf Kilometer neue Radwege entlang
der Landesstraßen. Die Arbeiten beginnen im April und sollen im Herbst abgeschlossen sein.</p>
<p>Die Kosten von 3,4 Millionen Euro trägt zu zwei Dritteln das Land.</p></div>
</article></body></html>"""


LONG = "Wiesbaden. " + "Der Kreis legt dazu ein Programm auf, das viele Orte verbindet. " * 6


@pytest.mark.parametrize(
    ("after", "lead", "body_start"),
    [
        ("<p>Landrat: „Sicher zur Schule und zur Arbeit“</p>",
         "Landrat: „Sicher zur Schule und zur Arbeit“", "Der Kreis baut"),
        (f"<p>{LONG}</p>", None, "Der Kreis legt dazu"),  # too long for a lead: body text
        ("<div class='meta'>Pressemitteilung</div>", None, "Der Kreis baut"),
        ("", None, "Der Kreis baut"),
    ],
)  # fmt: skip
def test_a_short_paragraph_between_title_and_body_is_the_lead(after, lead, body_start):
    rec = normalise_html(LEAD_PAGE.format(after=after))
    assert rec.subtitle == lead
    assert rec.body.startswith(body_start)
