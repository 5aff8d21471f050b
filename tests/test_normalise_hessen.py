"""The normaliser on saved hessen.de pages, field by field, for both layouts."""

from __future__ import annotations

import pytest
from conftest import file_response

from scraper.normalise import normalise_html

SEED = "hessen/integrationskonferenz-in-wetzlar.html"
CURRENT = "hessen/kinderschutz-neue-fachstelle-in-darmstadt-nimmt-arbeit-auf.html"
NUMBERED = "hessen/sozialbudget-2026-rekordmittel-fuer-kitas-und-pflege.html"
HMSI = "Hessisches Ministerium für Arbeit, Integration, Jugend und Soziales"


def _normalise(path):
    response = file_response(path)
    return normalise_html(response.body, url=response.url)


@pytest.fixture(scope="module")
def seed():
    return _normalise(SEED)


@pytest.fixture(scope="module")
def current():
    return _normalise(CURRENT)


@pytest.fixture(scope="module")
def numbered():
    return _normalise(NUMBERED)


# -- 2018 layout (the seed release) ---------------------------------------------------------
def test_seed_kind(seed):
    assert seed.kind == "Presseinformation"


def test_seed_place(seed):
    assert seed.place == "Wiesbaden"


def test_seed_published(seed):
    assert seed.published == "2018-09-25"
    assert seed.sources.get("published") in {"attribute", "header"}


def test_seed_title(seed):
    assert seed.title == "Integrationskonferenz in Wetzlar"


def test_seed_subtitle(seed):
    assert seed.subtitle.startswith("Staatssekretär Kai Klose: „Landesprogramm WIR")
    assert seed.subtitle.endswith("Hessen investiert erheblich in Integration“")


def test_seed_dateline(seed):
    assert seed.dateline == "Wetzlar"


def test_seed_body(seed):
    assert seed.body.startswith("Anlässlich der diesjährigen Integrationskonferenz")
    assert seed.body.endswith("mögliche Zugangsbarrieren abzubauen.")
    assert "Kanälen" not in seed.body and "Facebook" not in seed.body
    assert "\n\n\n" not in seed.body and seed.body.count("\n\n") == 3


def test_seed_persons(seed):
    assert seed.persons == [{"name": "Kai Klose", "role": "Staatssekretär"}]


def test_seed_number_kicker_contact(seed):
    assert (seed.number, seed.kicker, seed.contact) == (None, None, None)


def test_seed_ministry(seed):
    assert seed.ministry == HMSI


def test_seed_provenance(seed):
    assert seed.profile == "hessen-soziales"
    assert seed.flags == []


# -- current layout -------------------------------------------------------------------------
def test_current_kind(current):
    assert current.kind == "Pressemitteilung"


def test_current_place_is_absent(current):
    assert current.place is None


def test_current_published_from_the_header_line_which_the_time_tag_confirms(current):
    assert (current.published, current.sources.get("published")) == ("2020-11-19", "header")
    assert "date-conflict" not in current.flags


def test_current_kicker(current):
    assert current.kicker == "Kinderschutz"


def test_current_title(current):
    assert current.title == "Neue Fachstelle in Darmstadt nimmt Arbeit auf"


def test_current_subtitle(current):
    assert current.subtitle == "Land fördert Beratung bei Verdacht auf sexualisierte Gewalt"


def test_current_dateline(current):
    assert current.dateline == "Darmstadt"
    assert current.body.startswith("In Darmstadt hat eine neue Fachstelle")


def test_current_body_link_titles_removed(current):
    assert "Fenster" not in current.body
    assert "www.kinderschutz.hessen.de abrufbar" in current.body


def test_current_body_has_no_chrome(current):
    for chrome in ("Lesedauer", "© HMSI", "Schließen", "Seite teilen", "Kontakt für"):
        assert chrome not in current.body


def test_current_contact(current):
    assert current.contact.splitlines() == [
        "Pressesprecherin: Lena Hoffmann",
        HMSI,
        "Telefon: 0611 3219-3400",
        "Fax: 0611 3219-3499",
        "E-Mail: presse@soziales.hessen.de",
    ]


def test_current_persons(current):
    assert current.persons == [
        {"name": "Helga Sommer", "role": "Ministerin"},
        {"name": "Tanja Reinhardt", "role": "Leiterin der Fachstelle"},
    ]


def test_current_ministry(current):
    assert current.ministry == HMSI


def test_numbered_number(numbered):
    assert numbered.number == "41/2025"


def test_numbered_subheading_is_its_own_paragraph(numbered):
    assert "\n\nSchwerpunkte 2026\n\n" in numbered.body


def test_profile_chosen_by_mirror_url():
    response = file_response(CURRENT)
    mirror = "http://127.0.0.1:8123/soziales.hessen.de/presse/x"
    assert normalise_html(response.body, url=mirror).profile == "hessen-soziales"


def test_profile_chosen_without_url_by_page():
    assert normalise_html(file_response(CURRENT).body).profile is not None
