"""Plain-text releases: the seed field by field, and the layout rules of boilerplate.md."""

from __future__ import annotations

import pytest
from conftest import FILES

from scraper.normalise import normalise_text

SEED = FILES / "text" / "seed-integrationskonferenz-in-wetzlar.txt"


@pytest.fixture(scope="module")
def seed():
    return normalise_text(SEED.read_text(encoding="utf-8"))


def test_seed_kind(seed):
    assert seed.kind == "Presseinformation"


def test_seed_place(seed):
    assert seed.place == "Wiesbaden"


def test_seed_published(seed):
    assert (seed.published, seed.sources.get("published")) == ("2018-09-25", "header")


def test_seed_title(seed):
    assert seed.title == "Integrationskonferenz in Wetzlar"


def test_seed_subtitle_is_the_whole_quote_line(seed):
    assert seed.subtitle == (
        "Staatssekretär Kai Klose: „Landesprogramm WIR unterstützt gezielt Teilhabe von "
        "geflüchteten Frauen und Mädchen – Hessen investiert erheblich in Integration“"
    )


def test_seed_dateline(seed):
    assert seed.dateline == "Wetzlar"


def test_seed_body(seed):
    assert seed.body.startswith("Anlässlich der diesjährigen Integrationskonferenz")
    assert seed.body.endswith("mögliche Zugangsbarrieren abzubauen.")
    assert "Facebook" not in seed.body and "Kanälen" not in seed.body


def test_seed_persons(seed):
    assert seed.persons == [{"name": "Kai Klose", "role": "Staatssekretär"}]


def test_seed_has_no_profile_and_no_flags(seed):
    assert (seed.profile, seed.flags) == (None, [])


def _text(*blocks):
    return "\n\n".join(blocks)


BODY = "Das Land fördert in diesem Jahr zahlreiche Projekte in allen Landkreisen."


def test_kicker_title_subtitle():
    quote = "Ministerin Anna Beispiel: „Jeder Euro kommt an“"
    rec = normalise_text(
        _text("Hessisches Sozialbudget", "Rekordmittel für Kitas", quote, "Kassel. " + BODY)
    )
    assert (rec.kicker, rec.title) == ("Hessisches Sozialbudget", "Rekordmittel für Kitas")
    assert rec.subtitle == "Ministerin Anna Beispiel: „Jeder Euro kommt an“"


def test_bullet_subtitle():
    rec = normalise_text(_text("Neue Regeln", "- erstens mehr Geld\n- zweitens weniger Papier",
                               "Hannover. " + BODY))  # fmt: skip
    assert rec.subtitle == "- erstens mehr Geld\n- zweitens weniger Papier"


@pytest.mark.parametrize(
    "line,number",
    [("Nr. 07/2020", "07/2020"), ("Nr.: 584/02", "584/02"), ("K 31/2013", "K 31/2013"),
     ("158/2025", "158/2025"), ("Pressemitteilung 305", "305"),
     ("Presseinformation Nr. 6/2020", "6/2020")],
)  # fmt: skip
def test_release_numbers(line, number):
    assert normalise_text(_text(line, "Ein Titel", "Kassel. " + BODY)).number == number


def test_number_glued_to_title():
    rec = normalise_text(_text("Ein Titel (133/2018)", "Kassel. " + BODY))
    assert (rec.title, rec.number) == ("Ein Titel", "133/2018")


def test_label_number_place_and_date_glued_into_first_paragraph():
    rec = normalise_text(_text(
        "Landesregierung beschließt Programm",
        "Staatskanzlei - Pressemitteilung Nr.: 584/02 Magdeburg, den 18. September 2002 " + BODY,
    ))  # fmt: skip
    assert (rec.kind, rec.number, rec.place) == ("Pressemitteilung", "584/02", "Magdeburg")
    assert rec.published == "2002-09-18" and rec.body == BODY


def test_label_with_authority_and_date():
    rec = normalise_text(_text("PresseInformation der Polizeidirektion Musterstadt vom 03.02.2021",
                               "Ein Titel", BODY))  # fmt: skip
    assert (rec.kind, rec.published) == ("PresseInformation", "2021-02-03")


@pytest.mark.parametrize("place", ["Wetzlar", "Breuberg-Neustadt", "Wiesbaden/Quedlinburg"])
def test_datelines(place):
    rec = normalise_text(_text("Ein Titel", f"{place}. {BODY}"))
    assert (rec.dateline, rec.body) == (place, BODY)


@pytest.mark.parametrize("start", ["Dr. Anna Beispiel eröffnete", "St. Georg erhielt", "z. B. das"])
def test_abbreviations_are_not_datelines(start):
    rec = normalise_text(_text("Ein Titel", f"{start} heute ein neues Zentrum mit vielen Gästen."))
    assert rec.dateline is None and rec.body.startswith(start)


def test_social_footer_and_newsletter_promo_dropped():
    rec = normalise_text(_text("Ein Titel", "Kassel. " + BODY,
                               "Sie finden unser Ministerium auf folgenden Kanälen:",
                               "Facebook", "Instagram", "Mastodon",
                               "Immer sofort informiert!",
                               "Abonnieren Sie unseren Newsletter."))  # fmt: skip
    assert rec.body == BODY


@pytest.mark.parametrize(
    "chrome",
    ["Lesedauer:8 Minuten", "2 Minuten Lesezeit", "6 Min. Lesedauer", "© HMSI", "Schließen",
     "Startseite » Presse » Pressemitteilungen » Titel", "Sie sind hier:", "mehr", "weiterlesen",
     "Mehr anzeigen", "zur Fotoreihe", "Jetzt teilen:", "Druckversion", "2 / 7",
     "Bild (16:9) 2 Von 7", "Springe zum Inhalt", "Zurück zum Seitenanfang", "A A A",
     "Diese Webseite verwendet Cookies, um die Nutzung zu verbessern.", "Hinweis schliessen",
     "Foto: Max Muster", "(Bild: Muster)", "Bildrechte: Land", "bild_2020_04.jpg",
     "Vorheriger Beitrag Nächster Beitrag", "Zu den Bildnachweisen", "Quelle: dpa"],
)  # fmt: skip
def test_chrome_lines_dropped(chrome):
    rec = normalise_text(_text("Ein Titel", "Kassel. " + BODY, chrome, "Ende."))
    assert rec.body == BODY + "\n\nEnde."


def test_contact_block_split_off():
    rec = normalise_text(_text("Ein Titel", "Kassel. " + BODY, "Kontakt für Pressevertreter",
                               "Pressesprecherin: Lena Muster\nTelefon: 0611 123\n"
                               "E-Mail: presse@example.de"))  # fmt: skip
    assert rec.body == BODY
    assert (
        rec.contact == "Pressesprecherin: Lena Muster\nTelefon: 0611 123\nE-Mail: presse@example.de"
    )


def test_glued_impressum_split_on_labels():
    glued = "Impressum:MinisteriumfürMusterVerantwortlich:LenaMuster"
    glued += "Tel:0391567Fax:0391568Mail:presse@ex.de"
    rec = normalise_text(_text("Ein Titel", "Magdeburg. " + BODY + " " + glued))
    assert rec.body == BODY
    assert rec.contact.splitlines() == [
        "Impressum: MinisteriumfürMuster", "Verantwortlich: LenaMuster", "Tel: 0391567",
        "Fax: 0391568", "Mail: presse@ex.de",
    ]  # fmt: skip


def test_attachments_and_downloads_leave_the_body():
    rec = normalise_text(_text("Ein Titel", "Kassel. " + BODY, "Anhänge zur Pressemitteilung",
                               "Download (PDF, 620 KB, nicht barrierefrei)"))  # fmt: skip
    assert rec.body == BODY


def test_speech_marker_is_a_flag():
    rec = normalise_text(_text("Rede des Ministers", "Es gilt das gesprochene Wort.", BODY))
    assert "speech" in rec.flags and "gesprochene" not in rec.body


@pytest.mark.parametrize("prefix,place", [("Wiesbaden (dpa/lhe) - ", "Wiesbaden"),
                                          ("WIESBADEN – ", "Wiesbaden")])  # fmt: skip
def test_agency_copy_flagged(prefix, place):
    rec = normalise_text(_text("Ein Titel", prefix + BODY))
    assert "agency-copy" in rec.flags and (rec.dateline, rec.body) == (place, BODY)


def test_government_statement_stays_content():
    statement = "Der Sprecher der Bundesregierung, Steffen Muster, teilt mit: " + BODY
    rec = normalise_text(_text("Erklärung", statement))
    assert rec.body == statement and rec.flags == ["no-date"]
    assert rec.persons == [{"name": "Steffen Muster", "role": "Regierungssprecher"}]


def test_text_repeated_after_mehr_anzeigen_is_kept_once():
    rec = normalise_text(_text("Ein Titel", "Kassel. " + BODY, "Mehr anzeigen", BODY, "Ende."))
    assert rec.body == BODY + "\n\nEnde."
