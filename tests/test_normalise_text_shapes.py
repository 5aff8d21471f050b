"""Title, date of issue and persons in the many shapes real release texts print them (texts
written for these tests): glued and wrapped titles, capitals, dates in words, with a weekday,
in the dateline or under the text, event dates beside the date of issue, people with academic
titles and quotations attributed in many wordings. One small test per shape and field."""

from __future__ import annotations

import pytest

from scraper.normalise import normalise_text

TITLE = "Land fördert neue Radwege"
BODY = (
    "Das Land fördert in diesem Jahr den Bau von Radwegen in allen Landkreisen. Insgesamt "
    "stehen zwölf Millionen Euro bereit, die Hälfte davon für sichere Schulwege."
)
MORE = (
    "Anträge können die Kommunen ab sofort stellen. Das Ministerium berät sie dabei in allen "
    "Fragen der Förderung und der Planung."
)
QUOTE = "„Wir bauen Wege, auf denen Kinder sicher zur Schule kommen.“"


def _text(*blocks: str) -> str:
    return "\n\n".join(blocks)


# -- titles ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "header",
    ["Pressemitteilung Nr. 45/2025", "Nr. 45/2025", "PRESSEMITTEILUNG NR. 45/2025"],
)
def test_title_after_a_release_number_line(header):
    rec = normalise_text(_text(header, TITLE, BODY, MORE))
    assert (rec.title, rec.number, rec.kicker) == (TITLE, "45/2025", None)
    assert rec.body.startswith("Das Land fördert")


@pytest.mark.parametrize(
    "line",
    [f"Pressemitteilung Nr. 45/2025 {TITLE}", f"Pressemitteilung: {TITLE}",
     f"Pressemitteilung vom 3. März 2025 – {TITLE}", f"Nr. 45/2025 | 3. März 2025 | {TITLE}",
     f"03.03.2025 – {TITLE}", f"Erfurt, 3. März 2025: {TITLE}"],
)  # fmt: skip
def test_title_glued_to_a_header_line(line):
    rec = normalise_text(_text(line, BODY, MORE))
    assert rec.title == TITLE and rec.kicker is None
    assert rec.body.startswith("Das Land fördert")


def test_all_caps_label_is_the_kind_not_the_kicker():
    rec = normalise_text(_text("PRESSEMITTEILUNG", "LAND FÖRDERT NEUE RADWEGE", BODY, MORE))
    assert (rec.kind, rec.kicker, rec.title) == (
        "Pressemitteilung", None, "LAND FÖRDERT NEUE RADWEGE",
    )  # fmt: skip


@pytest.mark.parametrize(
    "printed,title",
    [("LAND FÖRDERT NEUE RADWEGE\nIN ALLEN LANDKREISEN",
      "LAND FÖRDERT NEUE RADWEGE IN ALLEN LANDKREISEN"),
     ("Land fördert neue Radwege\nin allen Landkreisen und\nkreisfreien Städten",
      "Land fördert neue Radwege in allen Landkreisen und kreisfreien Städten"),
     ("Landes-\nregierung fördert neue Radwege", "Landesregierung fördert neue Radwege")],
)  # fmt: skip
def test_title_over_several_lines_is_one_title(printed, title):
    rec = normalise_text(_text(printed, BODY, MORE))
    assert rec.title == title and rec.body.startswith("Das Land fördert")


def test_title_over_two_lines_in_a_text_without_blank_lines():
    rec = normalise_text(
        "Pressemitteilung Nr. 45/2025\n3. März 2025\nLand fördert neue Radwege\nin allen "
        "Landkreisen\n" + BODY + "\n" + MORE
    )
    assert rec.title == "Land fördert neue Radwege in allen Landkreisen"
    assert (rec.number, rec.published) == ("45/2025", "2025-03-03")
    assert rec.body.startswith("Das Land fördert")


def test_joint_release_label_naming_its_issuers_is_no_title():
    rec = normalise_text(_text(
        "Gemeinsame Pressemitteilung des Ministeriums für Verkehr und der Staatskanzlei",
        TITLE, BODY, MORE,
    ))  # fmt: skip
    assert (rec.kind, rec.title) == ("Gemeinsame Pressemitteilung", TITLE)


def test_embargo_line_is_neither_title_nor_date_of_issue():
    rec = normalise_text(_text("Sperrfrist: 3. März 2025, 12 Uhr", TITLE, BODY, MORE))
    assert (rec.title, rec.published) == (TITLE, None)


def test_a_text_of_short_paragraphs_keeps_them_in_the_body():
    short = ["Das Kabinett hat heute das Programm beschlossen.",
             "Es gilt ab dem 1. Juli für alle Kommunen.", "Anträge stellen die Ämter."]  # fmt: skip
    rec = normalise_text(_text(TITLE, *short, BODY))
    assert (rec.title, rec.subtitle) == (TITLE, None)
    assert rec.body.split("\n\n") == [*short, BODY]


def test_one_lead_sentence_above_the_text_stays_the_subtitle():
    rec = normalise_text(_text(TITLE, "Zwölf Millionen Euro für sichere Schulwege.", BODY, MORE))
    assert rec.subtitle == "Zwölf Millionen Euro für sichere Schulwege."
    assert rec.body.startswith("Das Land fördert")


# -- date of issue ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    ["3. März 2025", "03. März 2025", "Montag, 3. März 2025", "Montag, den 3. März 2025",
     "03.03.2025, 10:30 Uhr", "03.03.2025 | 10:30 Uhr", "Datum: 03.03.2025",
     "Veröffentlicht am 3. März 2025", "03.03.25", "Pressemitteilung vom 03. März 2025",
     "Pressemitteilung – 3. März 2025", "3. März 2025 – Nr. 45/2025",
     "Nr. 45/2025 vom 3. März 2025", "3.März 2025", "Mo., 3. März 2025",
     "03.03.2025 - 10:30", "Datum: Montag, 3. März 2025"],
)  # fmt: skip
def test_date_line_under_the_title(line):
    rec = normalise_text(_text(TITLE, line, BODY, MORE))
    assert (rec.published, rec.title, rec.kicker) == ("2025-03-03", TITLE, None)
    assert rec.sources["published"] == "header" and line not in rec.body


@pytest.mark.parametrize(
    "opener",
    ["Berlin, 3. März 2025 – ", "Berlin, 3. März 2025 - ", "Berlin, den 3. März 2025. ",
     "Berlin, 03.03.2025 – ", "Berlin, Montag, 3. März 2025 – "],
)  # fmt: skip
def test_date_in_the_dateline(opener):
    rec = normalise_text(_text(TITLE, opener + BODY, MORE))
    assert (rec.published, rec.place, rec.title) == ("2025-03-03", "Berlin", TITLE)
    assert rec.body.startswith("Das Land fördert")


@pytest.mark.parametrize("line", ["Stand: 03.03.2025", "Stand: 3. März 2025"])
def test_date_under_the_text(line):
    rec = normalise_text(_text(TITLE, BODY, MORE, line))
    assert (rec.title, rec.subtitle, rec.published) == (TITLE, None, "2025-03-03")
    assert rec.body == BODY + "\n\n" + MORE


def test_date_line_above_the_title_beats_a_date_under_the_text():
    rec = normalise_text(_text("28.02.2025", TITLE, BODY, MORE, "Stand: 03.03.2025"))
    assert rec.published == "2025-02-28"


def test_event_date_in_title_and_text_is_not_the_date_of_issue():
    rec = normalise_text(_text(
        "Pressemitteilung vom 3. März 2025", "Einladung zur Fachtagung am 12. März 2025",
        "Die Fachtagung beginnt am 12. März 2025 um 10 Uhr im Landtag.", BODY,
    ))  # fmt: skip
    assert (rec.published, rec.title) == ("2025-03-03", "Einladung zur Fachtagung am 12. März 2025")
    assert "Die Fachtagung beginnt" in (rec.subtitle or "") + rec.body


def test_event_date_alone_gives_no_date_of_issue():
    rec = normalise_text(_text(TITLE, "Die Fachtagung beginnt am 12. März 2025 im Landtag.", BODY))
    assert rec.published is None and "no-date" in rec.flags


# -- persons ---------------------------------------------------------------------------------


def _persons(*paragraphs: str) -> list[dict]:
    return normalise_text(_text(TITLE, BODY, *paragraphs)).persons


@pytest.mark.parametrize(
    "paragraph,person",
    [(QUOTE[:-2] + "“, sagte Staatssekretärin Dr. Eva Beispiel.",
      {"name": "Dr. Eva Beispiel", "role": "Staatssekretärin"}),
     ("Prof. Dr. Paul Beispiel, Präsident der Hochschule, erklärte: " + QUOTE,
      {"name": "Prof. Dr. Paul Beispiel", "role": "Präsident der Hochschule"}),
     ("Oberbürgermeister Dr. Paul Beispiel sagte: " + QUOTE,
      {"name": "Dr. Paul Beispiel", "role": "Oberbürgermeister"}),
     ("Der Parlamentarische Staatssekretär Paul Beispiel sagte: " + QUOTE,
      {"name": "Paul Beispiel", "role": "Parlamentarischer Staatssekretär"}),
     (QUOTE[:-2] + "“, sagte Ministerpräsident Dr. h. c. Paul Beispiel.",
      {"name": "Dr. h. c. Paul Beispiel", "role": "Ministerpräsident"})],
)  # fmt: skip
def test_person_with_academic_title_and_office(paragraph, person):
    assert _persons(paragraph) == [person]


@pytest.mark.parametrize(
    "paragraph",
    [QUOTE[:-2] + "“, so Ministerin Anna Muster.",
     QUOTE + " – so Ministerin Anna Muster.",
     "Ministerin Anna Muster betonte: " + QUOTE,
     "Ministerin Anna Muster erklärt dazu: " + QUOTE,
     "Ministerin Anna Muster äußerte sich zufrieden: " + QUOTE,
     "Ministerin Anna Muster kommentierte: " + QUOTE,
     "Dazu Ministerin Anna Muster: " + QUOTE,
     QUOTE[:-2] + "“, erklärte Ministerin Anna Muster am Montag in Neustadt.",
     QUOTE[:-2] + "“, sagte die Ministerin für Verkehr, Anna Muster.",
     "„Das ist gut“, sagte Ministerin Anna Muster. „Wir machen weiter.“"],
)  # fmt: skip
def test_quotation_attributed_in_many_wordings(paragraph):
    assert [p["name"] for p in _persons(paragraph)] == ["Anna Muster"]


@pytest.mark.parametrize(
    "paragraph",
    ["Muster weiter: " + QUOTE, "Muster abschließend: " + QUOTE,
     QUOTE[:-2] + "“, so die Ministerin.", QUOTE[:-2] + "“, sagte Frau Dr. Muster.",
     "Sie sagte: " + QUOTE, "Dazu sagte sie: " + QUOTE],
)  # fmt: skip
def test_later_quotation_by_surname_or_office_resolves_to_the_person_named_before(paragraph):
    named = "Ministerin Dr. Anna Muster eröffnete am Montag die neue Radbrücke in Neustadt."
    assert [p["name"] for p in _persons(named, paragraph)] == ["Dr. Anna Muster"]


def test_party_between_name_and_verb():
    assert _persons("Anna Muster (SPD) sagte: " + QUOTE) == [{"name": "Anna Muster", "role": None}]


@pytest.mark.parametrize(
    "paragraph",
    ["Ministerin Anna Muster eröffnete die Tagung in Neustadt.",
     "Staatssekretär Paul Beispiel zufolge ist das Programm ein Erfolg.",
     QUOTE[:-2] + "“, sagte Frau Dr. Muster."],
)  # fmt: skip
def test_mentioned_or_unknown_people_are_no_speakers(paragraph):
    assert _persons(paragraph) == []


def test_hard_wrapped_line_opening_with_an_event_date_is_text():
    rec = normalise_text(
        "Pressemitteilung Nr. 45/2025\n03.03.2025\nMinisterin eröffnet Radweg\n"
        "Am 12.03.2025, um 10.00 Uhr\neröffnet die Ministerin den neuen Radweg in Neustadt. "
        "Gäste sind herzlich eingeladen.\n"
    )
    assert rec.published == "2025-03-03"
    assert rec.body.startswith("Am 12.03.2025, um 10.00 Uhr eröffnet die Ministerin")


# -- header and furniture shapes of portals and distributors ----------------------------------


def test_date_line_with_time_and_version_note():
    rec = normalise_text(
        "Aus dem Ministerium\n03.03.2025, 10:30 Uhr — Erstveröffentlichung (aktuell)\n"
        + TITLE + "\n" + BODY + "\n" + MORE
    )  # fmt: skip
    assert (rec.published, rec.title) == ("2025-03-03", TITLE)


def test_portal_meta_line_inside_the_text_is_header_material():
    rec = normalise_text(_text(
        TITLE, BODY, "03.03.2025 Thüringen Pressemeldung Ministerium für Verkehr und Bau", MORE,
    ))  # fmt: skip
    assert (rec.published, rec.title) == ("2025-03-03", TITLE)
    assert rec.body == BODY + "\n\n" + MORE


def test_date_and_office_code_line_gives_no_kicker():
    rec = normalise_text(_text("03.03.2025/vm12", TITLE, BODY, MORE))
    assert (rec.published, rec.kicker, rec.title, rec.number) == ("2025-03-03", None, TITLE, None)


def test_distributor_meta_line_of_an_english_wrapper():
    rec = normalise_text(_text(
        "German Federal Government",
        "03/04/2025 | Press release | Distributed by Example on 03/04/2025 09:32", TITLE, BODY,
    ))  # fmt: skip
    assert (rec.published, rec.title, rec.kicker) == ("2025-03-04", TITLE, None)
    assert rec.ministry == "German Federal Government"


def test_wire_line_with_a_postal_code_opens_the_body():
    rec = normalise_text(_text("Ministerium für Verkehr", TITLE, "99084 Erfurt (ots)", BODY, MORE))
    assert (rec.title, rec.kicker, rec.dateline) == (TITLE, None, "Erfurt")
    assert rec.body.startswith("Das Land fördert")


@pytest.mark.parametrize(
    "title",
    ["Einblicke in die Arbeit des Verkehrsministeriums",
     "Verkehrsministerium: Einladung zur Vorstellung des Radwegeplans"],
)  # fmt: skip
def test_title_naming_a_ministry_is_no_issuer_line(title):
    rec = normalise_text(_text(title, BODY, MORE))
    assert rec.title == title


def test_placeholder_of_an_embedded_video_leaves_the_text():
    rec = normalise_text(_text(
        TITLE, "03.03.2025", "Klicken Sie auf den Button, um den Inhalt nachzuladen.", BODY, MORE,
    ))  # fmt: skip
    assert (rec.subtitle, rec.body) == (None, BODY + "\n\n" + MORE)


def test_title_naming_an_office_inside_a_ministry_is_no_issuer_line():
    rec = normalise_text(_text("Neue Pressestelle im Verkehrsministerium", "03.03.2025", BODY))
    assert (rec.title, rec.ministry) == ("Neue Pressestelle im Verkehrsministerium", None)


def test_joint_release_of_companies_and_an_office_names_no_title():
    rec = normalise_text(_text(
        TITLE,
        "Gemeinsame Presseerklärung der radWerk eG, der Stadtwerke Neustadt AG (SWN) und der "
        "Beauftragten für Radverkehr des Landes",
        BODY, MORE,
    ))  # fmt: skip
    assert (rec.title, rec.kind, rec.kicker) == (TITLE, "Gemeinsame Presseerklärung", None)


def test_speaker_in_brackets_after_a_pull_quote():
    assert _persons(QUOTE + " (Anna Muster, Vorständin des Radvereins)") == [
        {"name": "Anna Muster", "role": None}
    ]


def test_office_alone_before_the_verb_of_a_quotation():
    assert _persons(
        "Ministerin Anna Muster besuchte Neustadt.",
        "Die Ministerin verwies darauf, dass die Wege „für alle Generationen“ gebaut würden.",
    ) == [{"name": "Anna Muster", "role": "Ministerin"}]


def test_a_place_after_a_name_is_not_part_of_it():
    assert _persons(
        "Im Mai besuchte Ministerin Anna Muster Thüringen.", "Sie sagte dort: " + QUOTE
    ) == [{"name": "Anna Muster", "role": "Ministerin"}]


def test_bullets_glued_in_front_of_a_speaker_are_the_subtitle():
    rec = normalise_text(_text(
        TITLE,
        "Ministerium für Verkehr - Pressemitteilung Nr.: 45/25 Erfurt, den 3. März 2025 " + TITLE
        + " · zwölf Millionen Euro für Radwege · Anträge ab sofort möglich Ministerin Anna "
        "Muster (SPD): „Wir bauen sichere Wege für alle.“ " + BODY,
    ))  # fmt: skip
    assert rec.subtitle == "· zwölf Millionen Euro für Radwege\n· Anträge ab sofort möglich"
    assert rec.body.startswith("Ministerin Anna Muster (SPD): „Wir bauen")
    assert (rec.number, rec.published, rec.persons[0]["name"]) == (
        "45/25",
        "2025-03-03",
        "Anna Muster",
    )
