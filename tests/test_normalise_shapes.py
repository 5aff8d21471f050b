"""Plain-text releases in the shapes real pages and printouts have (texts written for these
tests): banners, hard-wrapped lines, glued header lines, wire datelines, contact blocks in
many wordings, widgets and footers, speaker labels. One small test per shape and field."""

from __future__ import annotations

import pytest

from scraper.normalise import normalise_text


def _text(*blocks: str) -> str:
    return "\n\n".join(blocks)


BODY = "Das Land fördert in diesem Jahr zahlreiche Projekte in allen Landkreisen."
MORE = "Anträge können ab dem 1. Juli bei den Bewilligungsstellen gestellt werden."

BANNERED = _text(
    "Hitzeschutz in der Stadt",
    "Alle Informationen zum Hitzeschutz finden Sie unter:",
    "stadt.example.de/hitze",
    "EINLADUNG ZUM FACHGESPRÄCH - SCHULWEGE SICHERER MACHEN",
    "Pressemitteilung vom 14.03.2023",
    "Die Senatsverwaltung für Mobilität teilt mit:",
    "Mehr als 300 Schulen haben sich an der Befragung beteiligt. Die Ergebnisse werden nun "
    "mit den Bezirken ausgewertet und in ein Maßnahmenpaket übertragen.",
    "Das Fachgespräch findet am Donnerstag, den 23.03.2023 um 10.00 Uhr im Rathaus statt.",
    "Rückfragen:\nJana Beispiel\nTelefon: 030 9025-1234\nE-Mail: jana.beispiel@stadt.example.de",
)


@pytest.fixture(scope="module")
def bannered():
    return normalise_text(BANNERED)


def test_banner_above_the_title_is_neither_title_nor_kicker(bannered):
    assert bannered.title == "EINLADUNG ZUM FACHGESPRÄCH - SCHULWEGE SICHERER MACHEN"
    assert bannered.kicker is None


def test_banner_leaves_the_body(bannered):
    assert "Hitzeschutz" not in bannered.body and "stadt.example.de/hitze" not in bannered.body


def test_label_line_with_date_gives_kind_and_published(bannered):
    assert (bannered.kind, bannered.published) == ("Pressemitteilung", "2023-03-14")
    assert bannered.sources["published"] == "header"


def test_event_date_in_the_body_is_not_the_date_of_issue(bannered):
    assert "2023-03-23" not in (bannered.published or "")


def test_statement_opener_may_open_the_body(bannered):
    assert bannered.body.startswith("Die Senatsverwaltung für Mobilität teilt mit:")
    assert bannered.body.endswith("im Rathaus statt.")


def test_rueckfragen_block_is_the_contact(bannered):
    assert "Rückfragen" not in bannered.body and "9025-1234" not in bannered.body
    assert bannered.contact.splitlines() == [
        "Jana Beispiel", "Telefon: 030 9025-1234", "E-Mail: jana.beispiel@stadt.example.de",
    ]  # fmt: skip
    assert bannered.sources["contact"] == "contact-block"


WRAPPED = """Nr. 45/2024 | 03.05.2024 | STK | Staatskanzlei
Landesregierung beschließt neues
Förderprogramm für den ländlichen Raum
Die Landesregierung hat in ihrer heutigen Sitzung ein Förderprogramm
für Dörfer und kleine Gemeinden beschlossen. Bis 2027 stehen dafür
insgesamt 80 Millionen Euro zur Verfügung.
Ministerpräsidentin Anna Muster sagte nach der Sitzung: „Wir stärken
die Orte, in denen die Menschen zuhause sind.“
"""


@pytest.fixture(scope="module")
def wrapped():
    return normalise_text(WRAPPED)


def test_meta_line_of_pieces(wrapped):
    assert (wrapped.number, wrapped.published) == ("45/2024", "2024-05-03")
    assert wrapped.ministry == "Staatskanzlei"


def test_title_wrapped_over_two_lines_is_one_title(wrapped):
    title = "Landesregierung beschließt neues Förderprogramm für den ländlichen Raum"
    assert wrapped.title == title


def test_lines_broken_mid_sentence_are_joined(wrapped):
    first, second = wrapped.body.split("\n\n")
    assert first == (
        "Die Landesregierung hat in ihrer heutigen Sitzung ein Förderprogramm für Dörfer und "
        "kleine Gemeinden beschlossen. Bis 2027 stehen dafür insgesamt 80 Millionen Euro zur "
        "Verfügung."
    )
    assert "\n" not in second and second.endswith("zuhause sind.“")


def test_person_quoted_across_a_line_break(wrapped):
    assert wrapped.persons == [{"name": "Anna Muster", "role": "Ministerpräsidentin"}]


PRINTOUT = """Schulbau: Land fördert
48 neue Schulen
12.05.2011, Magdeburg – 88
- Ministerium für Bildung
Ministerium für Bildung - Pressemitteilung Nr.: 88/11
Ministerium für Bildung -
Pressemitteilung Nr.: 88/11
Magdeburg, den 12. Mai 2011
Schulbau: Land fördert
48 neue Schulen
Am 16.05.2011 übergibt der Minister in Halle die ersten Bescheide. Die Schulträger
erhalten zusammen 60 Millionen Euro.
Impressum:
Verantwortlich: Paul Beispiel
Pressestelle
Tel: (0391) 000-1111
Mail: presse@mb.example.de
"""


@pytest.fixture(scope="module")
def printout():
    return normalise_text(PRINTOUT)


def test_printout_header_lines(printout):
    assert (printout.kind, printout.number, printout.place, printout.published) == (
        "Pressemitteilung", "88/11", "Magdeburg", "2011-05-12",
    )  # fmt: skip


def test_printout_title_printed_twice(printout):
    assert printout.title == "Schulbau: Land fördert 48 neue Schulen"
    assert printout.body.startswith("Am 16.05.2011 übergibt der Minister")


def test_printout_impressum_is_the_contact(printout):
    assert printout.body.endswith("60 Millionen Euro.")
    assert "Verantwortlich: Paul Beispiel" in printout.contact


GLUED = _text(
    "Land stärkt das Ehrenamt",
    "Staatskanzlei - Pressemitteilung Nr.: 102/11 Staatskanzlei - Pressemitteilung Nr.: 102/11 "
    "Magdeburg, den 4. April 2011 Land stärkt das Ehrenamt "
    + BODY
    + " "
    + MORE
    + " Impressum: Staatskanzlei Pressestelle Domplatz 1 39104 Magdeburg Tel: (0391) 000-0000",
    "Impressum:StaatskanzleiVerantwortlich:AnnaBeispielTel:(0391)000-0000Mail:presse@stk.example.de",
)


@pytest.fixture(scope="module")
def glued():
    return normalise_text(GLUED)


def test_glued_label_chain_printed_twice(glued):
    assert (glued.kind, glued.number, glued.place, glued.published) == (
        "Pressemitteilung", "102/11", "Magdeburg", "2011-04-04",
    )  # fmt: skip


def test_glued_paragraph_loses_header_and_repeated_title(glued):
    assert glued.title == "Land stärkt das Ehrenamt"
    assert glued.body == BODY + " " + MORE


def test_glued_impressum_and_the_portal_impressum_are_contact(glued):
    lines = glued.contact.splitlines()
    assert lines[0].startswith("Impressum: Staatskanzlei Pressestelle")
    assert "Verantwortlich: AnnaBeispiel" in lines and "Mail: presse@stk.example.de" in lines


def test_place_and_date_stuck_to_the_title():
    rec = normalise_text(_text("Magdeburg, den 13. Mai 2009 Neue Schulen für das Land", BODY))
    assert (rec.place, rec.published, rec.title) == (
        "Magdeburg", "2009-05-13", "Neue Schulen für das Land",
    )  # fmt: skip


def test_date_and_topic_glued_to_the_title():
    rec = normalise_text(_text("08.01.2020 | NATURSCHUTZ: Land verdoppelt Mittel", BODY))
    assert (rec.published, rec.title) == ("2020-01-08", "NATURSCHUTZ: Land verdoppelt Mittel")


def test_date_and_office_code_glued_to_the_title():
    rec = normalise_text(_text("28. August 2012/ab28 Mehr Schutz vor Lärm", BODY))
    assert (rec.published, rec.number, rec.title) == ("2012-08-28", None, "Mehr Schutz vor Lärm")


@pytest.mark.parametrize(
    "opener,dateline",
    [("Wien (OTS) - ", "Wien"), ("Wien (OTS) ", "Wien"), ("Stuttgart (ots) - ", "Stuttgart"),
     ("KIEL. ", "Kiel"), ("Wetzlar. ", "Wetzlar")],
)  # fmt: skip
def test_wire_and_caps_datelines(opener, dateline):
    rec = normalise_text(_text("Neue Beratungsstellen", opener + BODY))
    assert (rec.dateline, rec.body, rec.place) == (dateline, BODY, None)
    assert "agency-copy" not in rec.flags


def test_wire_mark_on_a_line_of_its_own():
    rec = normalise_text(_text("Neue Beratungsstellen", "Düsseldorf (ots)", BODY))
    assert (rec.dateline, rec.body) == ("Düsseldorf", BODY)


def test_place_and_date_opening_the_body_is_the_place_line():
    rec = normalise_text(_text("Mehr Geld für Gründerinnen", "Potsdam, 12.03.2019. " + BODY))
    assert (rec.place, rec.published, rec.dateline, rec.body) == (
        "Potsdam", "2019-03-12", None, BODY,
    )  # fmt: skip


CONTACT = "Lena Muster, Pressesprecherin\nTelefon: 0611 123-456\nE-Mail: presse@example.de"


@pytest.mark.parametrize(
    "heading",
    ["Rückfragen:", "Rückfragen & Kontakt:", "Rückfragen & Kontakt", "Pressekontakt:",
     "Medienkontakt:", "Adresse für Rückfragen:", "Ansprechpartnerin für die Medien:",
     "Ansprechpartner(in) für die Medien:", "Ansprechpersonen für die Medien:",
     "Kontakt für Pressevertreterinnen und -vertreter", "Pressestelle", "Für Rückfragen:"],
)  # fmt: skip
def test_contact_block_in_every_wording(heading):
    rec = normalise_text(_text("Ein Titel", "Kassel. " + BODY, heading, CONTACT))
    assert rec.body == BODY
    assert rec.contact.endswith(CONTACT)


@pytest.mark.parametrize(
    "line",
    ["Verantwortlich für diesen Pressetext: Lena Muster, Hauptstraße 1, 24105 Kiel",
     "Ansprechpartnerin für die Medien: Lena Muster, Tel.: (0421) 361-0000",
     "Rückfragen bitte an: Pressestelle, Telefon 0211 000-0000"],
)  # fmt: skip
def test_one_line_contact(line):
    rec = normalise_text(_text("Ein Titel", "Kiel. " + BODY, line))
    assert (rec.body, rec.contact) == (BODY, line)


def test_contact_heading_without_contact_details_stays_text():
    rec = normalise_text(_text("Ein Titel", "Kassel. " + BODY, "Kontakt", MORE))
    assert rec.body == "\n\n".join([BODY, "Kontakt", MORE]) and rec.contact is None


def test_distributor_footer_after_the_contact_is_dropped():
    rec = normalise_text(_text(
        "Ein Titel", "Wien (OTS) - " + BODY, "Rückfragen & Kontakt:", CONTACT,
        "OTS-ORIGINALTEXT PRESSEAUSSENDUNG UNTER AUSSCHLIESSLICHER INHALTLICHER VERANTWORTUNG "
        "DES AUSSENDERS | XYZ0001",
    ))  # fmt: skip
    assert rec.body == BODY and "ORIGINALTEXT" not in rec.contact


def test_news_agency_footer_ends_the_text():
    rec = normalise_text(_text(
        "Ein Titel", "Stuttgart (ots) - " + BODY, "Rückfragen bitte an:", CONTACT,
        "Original-Content von: Innenministerium, übermittelt durch news aktuell",
    ))  # fmt: skip
    assert rec.body == BODY and "news aktuell" not in rec.contact


@pytest.mark.parametrize(
    "furniture",
    [["Sie sind hier:\n• Ein Titel"], ["Startseite > Presse > Ein Titel"],
     ["Lesezeit: 5 Minuten\n• Teilen\n•"], ["Drucken | Seite teilen | Artikel merken"],
     ["Pressemitteilungen"], ["Video abspielen"]],
)  # fmt: skip
def test_page_furniture_around_the_title_leaves(furniture):
    rec = normalise_text(_text(*furniture, "Ein Titel", "Kassel. " + BODY, MORE))
    assert (rec.title, rec.body) == ("Ein Titel", BODY + "\n\n" + MORE)


@pytest.mark.parametrize(
    "caption",
    ["Die Ministerin (Mitte) bei der Eröffnung der Ausstellung.",
     "Ein Windrad vor einer Bergkulisse.\nEin Windrad vor einer Bergkulisse. © Beispielbild",
     "Blick in den neuen Lesesaal (Foto: Max Beispiel)"],
)  # fmt: skip
def test_captions_and_credits_leave_the_body(caption):
    rec = normalise_text(_text("Ein Titel", "Kassel. " + BODY, caption, MORE))
    assert rec.body == BODY + "\n\n" + MORE


@pytest.mark.parametrize(
    "tail",
    [["Zur vollständigen Pressemitteilung: https://example.de/presse",
      "Kommentare sind geschlossen."],
     ["Schreiben Sie einen Kommentar"], ["Keine Kommentare"],
     ["Pressemitteilung als PDF (application/pdf 120 KB)"],
     ["Das könnte Sie auch interessieren", "Land fördert Sportvereine", "Neue Radwege im Kreis"]],
)  # fmt: skip
def test_widgets_links_and_teasers_after_the_text_leave_the_body(tail):
    rec = normalise_text(_text("Ein Titel", "Kassel. " + BODY, MORE, *tail))
    assert rec.body == BODY + "\n\n" + MORE


def test_issuer_line_above_the_title_names_the_ministry():
    rec = normalise_text(_text("Aus dem Ministerium für Wirtschaft:", "Ein Titel", BODY))
    assert (rec.ministry, rec.title, rec.body) == ("Ministerium für Wirtschaft", "Ein Titel", BODY)


def test_department_line_and_bare_date_around_the_title():
    rec = normalise_text(_text("Die Senatorin für Umwelt und Klima", "Ein Titel", "05.06.2024",
                               BODY))  # fmt: skip
    assert (rec.ministry, rec.title, rec.published, rec.kicker) == (
        "Die Senatorin für Umwelt und Klima", "Ein Titel", "2024-06-05", None,
    )  # fmt: skip


def test_topic_line_above_a_quoted_title_is_the_kicker():
    rec = normalise_text(_text("Rentenreform", "„Wir sichern die Rente“", "Berlin. " + BODY))
    assert (rec.kicker, rec.title) == ("Rentenreform", "„Wir sichern die Rente“")


def test_title_broken_after_its_colon_is_one_title():
    rec = normalise_text("Schulbau:\nLand fördert neue Schulen\n12.05.2011\n" + BODY)
    assert (rec.title, rec.kicker) == ("Schulbau: Land fördert neue Schulen", None)


@pytest.mark.parametrize(
    "line,kind,published",
    [("Medienmitteilung, 14.12.2023", "Medienmitteilung", "2023-12-14"),
     ("veröffentlicht am 02.07.2018", None, "2018-07-02"),
     ("27.08.2015, 13:22 Uhr", None, "2015-08-27"),
     ("PresseInformation der Polizeidirektion Musterstadt vom 03.02.2021", "PresseInformation",
      "2021-02-03")],
)  # fmt: skip
def test_kind_and_date_lines(line, kind, published):
    rec = normalise_text(_text(line, "Ein Titel", BODY))
    assert (rec.kind, rec.published, rec.title) == (kind, published, "Ein Titel")


def test_english_header_line_reads_its_date_month_first():
    rec = normalise_text(_text("Federal Government", "Press release 11/04/2025", "Ein Titel", BODY))
    assert (rec.published, rec.ministry, rec.title) == (
        "2025-11-04", "Federal Government", "Ein Titel",
    )  # fmt: skip


@pytest.mark.parametrize(
    "title,body",
    [("Konferenz am 6. Februar 2024", BODY),
     ("Ein Titel", "Am Dienstag, 6. Februar 2024, tagt der Ausschuss im Rathaus zum Haushalt."),
     ("Ein Titel", "Die Ministerin hat heute (18. Juni) die Woche mit vielen Gästen eröffnet.")],
)  # fmt: skip
def test_dates_of_events_titles_and_today_are_not_the_date_of_issue(title, body):
    rec = normalise_text(_text(title, body))
    assert rec.published is None and "no-date" in rec.flags


def test_speech_marker_with_exclamation_mark_is_a_flag():
    rec = normalise_text(_text("Rede", "„Gemeinsam stark“", "Es gilt das gesprochene Wort!",
                               "Sehr geehrte Damen und Herren,", BODY))  # fmt: skip
    assert "speech" in rec.flags and "gesprochene" not in rec.body


def test_speaker_label_with_office():
    statement = "„Gleichstellung betrifft uns alle, jeden Tag und überall.“"
    rec = normalise_text(_text("Zum Weltfrauentag", "Bundesministerin Klara Muster:", statement,
                               BODY))  # fmt: skip
    assert rec.persons == [{"name": "Klara Muster", "role": "Bundesministerin"}]
    assert rec.body.startswith("„Gleichstellung") and rec.sources["persons"] == "speaker-label"


def test_speaker_label_without_office_before_a_quotation():
    rec = normalise_text(_text("Ein Titel", BODY, "Klara Muster:", "„Wir fangen heute an.“"))
    assert rec.persons == [{"name": "Klara Muster", "role": None}]


def test_a_two_word_heading_with_a_colon_is_no_speaker():
    rec = normalise_text(_text("Ein Titel", BODY, "Weitere Informationen:", MORE))
    assert rec.persons == [] and "Weitere Informationen:" in rec.body


def test_sagte_sie_resolves_to_the_woman_named_before():
    text = (
        "Familienministerin Sarah Beispiel hat den Rücktritt von Innenminister Paul Muster "
        "angenommen. Dazu sagte sie: „Er war eine wichtige Stütze im Kabinett.“"
    )
    assert normalise_text(_text("Ein Titel", text)).persons == [
        {"name": "Sarah Beispiel", "role": "Familienministerin"}
    ]


def test_party_between_name_and_quotation():
    rec = normalise_text(_text("Ein Titel", BODY, "Umweltminister Paul Beispiel (Grüne): „Das "
                               "ist ein großer Schritt für das Land.“"))  # fmt: skip
    assert rec.persons == [{"name": "Paul Beispiel", "role": "Umweltminister"}]


def test_a_dateline_place_is_never_a_person():
    rec = normalise_text(_text("Ein Titel", "Neustadt. „Wir bauen weiter“, sagte Bürgermeisterin "
                               "Eva Beispiel bei der Eröffnung."))  # fmt: skip
    assert rec.persons == [{"name": "Eva Beispiel", "role": "Bürgermeisterin"}]


def test_garbled_quotation_marks_still_mark_a_quotation():
    rec = normalise_text(_text("Ein Titel", BODY + " Staatsminister Rainer Beispiel: ¿Das Ehrenamt "
                               "hält unser Land zusammen.¿"))  # fmt: skip
    assert rec.persons == [{"name": "Rainer Beispiel", "role": "Staatsminister"}]
    assert "not-a-release" not in rec.flags
