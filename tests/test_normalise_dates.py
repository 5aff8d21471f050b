"""German (and English) dates: every month, weekday and ``den`` forms, locale, non-dates."""

from __future__ import annotations

from datetime import date

import pytest

from scraper.normalise import normalise_html, normalise_text
from scraper.normalise.dates import find_date, find_dates, parse_date

MONTHS = [
    "Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September",
    "Oktober", "November", "Dezember",
]  # fmt: skip


@pytest.mark.parametrize("number,name", list(enumerate(MONTHS, start=1)))
def test_every_german_month(number, name):
    assert parse_date(f"7. {name} 2021") == date(2021, number, 7)


@pytest.mark.parametrize(
    "text,expected",
    [
        ("25.09.2018", date(2018, 9, 25)),
        ("5.3.2020", date(2020, 3, 5)),
        ("Mittwoch, 11. Dezember 2024", date(2024, 12, 11)),
        ("den 18. September 2002", date(2002, 9, 18)),
        ("3. Jänner 2020", date(2020, 1, 3)),
        ("1. Maerz 2019", date(2019, 3, 1)),
        ("12. Okt. 2021", date(2021, 10, 12)),
        ("2024-12-11", date(2024, 12, 11)),
        ("2024-12-11T10:00:00+01:00", date(2024, 12, 11)),
        ("12. Oktober 2021, 10:30 Uhr", date(2021, 10, 12)),
    ],
)
def test_parse_date(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "text",
    ["Lesedauer:8 Minuten", "2 Minuten Lesezeit", "6 Min. Lesedauer", "32.13.2020", "", "heute"],
)
def test_not_dates(text):
    assert parse_date(text) is None
    assert find_dates(text) == []


def test_slash_dates_follow_the_locale():
    assert parse_date("05/11/2014", "de") == date(2014, 11, 5)
    assert parse_date("05/11/2014", "en") == date(2014, 5, 11)
    assert parse_date("May 11, 2014", "en") == date(2014, 5, 11)


def test_legal_references_are_not_dates():
    text = "nach § 3 1.2.2003 und dem Gesetz vom 12.03.2005 sowie Art. 5 1.1.2001"
    assert find_dates(text) == []


def test_date_in_running_text():
    assert find_date("Die Ministerin sagte heute (24.11.2022) in Kassel") == date(2022, 11, 24)


def test_header_line_is_the_date_source():
    rec = normalise_text("Pressemitteilung\n\nMagdeburg, den 09.06.2013\n\nTitel\n\nText. " * 1)
    assert (rec.published, rec.sources.get("published"), rec.place) == (
        "2013-06-09",
        "header",
        "Magdeburg",
    )


def test_weekday_header_line():
    rec = normalise_text("Mittwoch, 11. Dezember 2024\n\nEin Titel\n\nBerlin. Der Text beginnt.")
    assert (rec.published, rec.sources.get("published")) == ("2024-12-11", "header")


def test_created_on_box_with_date_on_next_line():
    text = "Ein Titel\n\nHannover. Der Text der Meldung.\n\n"
    text += "Artikel-Informationen\nerstellt am:\n14.11.2019"
    rec = normalise_text(text)
    assert (rec.published, rec.sources.get("published")) == ("2019-11-14", "header")
    assert "erstellt" not in rec.body


def test_date_before_a_paragraph_is_a_body_date():
    rec = normalise_text("Ein Titel\n\n(14.11.2019) Das Land hat heute beschlossen, mehr zu tun.")
    assert (rec.published, rec.sources.get("published")) == ("2019-11-14", "body")
    assert rec.body.startswith("Das Land")


def test_listing_date_is_a_fallback():
    page = "<html><body><main><h1>Titel</h1><p>Der Text der Meldung ist lang genug.</p></main>"
    rec = normalise_html(page, listing={"date": "02.10.2025", "title": "Titel"})
    assert (rec.published, rec.sources.get("published")) == ("2025-10-02", "listing")


def test_no_date_is_never_guessed():
    rec = normalise_text("Ein Titel\n\nDer Text dauert 8 Minuten und nennt § 3 1.2.2003.")
    assert rec.published is None and rec.sources.get("published") is None
    assert "no-date" in rec.flags


def test_english_page_reads_month_first():
    page = (
        '<html lang="en"><body><main><h1>Statement</h1><p>05/11/2014</p>'
        "<p>Berlin. The minister said that this is a long enough sentence here.</p></main>"
    )
    assert normalise_html(page).published == "2014-05-11"


def test_last_update_is_not_the_publication_date():
    text = "Ein Titel\n\nHannover. Der Text der Meldung.\n\n"
    text += "zuletzt aktualisiert am:\n20.11.2019\nerstellt am:\n14.11.2019"
    rec = normalise_text(text)
    assert (rec.published, rec.sources.get("published")) == ("2019-11-14", "header")
    assert "2019" not in rec.body


def test_htmldate_fallback_parser_is_limited_to_the_archive_languages():
    """htmldate's last resort (dateparser) gets German, English and French only: with all 200
    locales every new process spent about 8 CPU seconds compiling word lists."""
    from htmldate import extractors

    from scraper.normalise.readers import dates_htmldate

    parser = extractors.get_external_parser()
    assert parser is dates_htmldate._external_parser()
    assert parser.languages == ["de", "en", "fr"]
    for text in ("Dienstag, 3. März 2021", "March 3, 2021"):
        assert parser.get_date_data(text)["date_obj"].date() == date(2021, 3, 3)
