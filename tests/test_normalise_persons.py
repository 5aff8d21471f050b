"""People quoted or speaking, with their office as written, once each."""

from __future__ import annotations

from scraper.normalise.persons import find_persons


def test_role_name_colon_quote():
    assert find_persons("Staatssekretär Kai Klose: „Wir fördern das.“") == [
        {"name": "Kai Klose", "role": "Staatssekretär"}
    ]


def test_speech_verb_before_role_and_name():
    text = "„Das ist gut“, betonte Ministerin Anna Beispiel."
    assert find_persons(text) == [{"name": "Anna Beispiel", "role": "Ministerin"}]


def test_so_der_minister_weiter_resolves_to_the_named_person():
    text = "Minister Peter Muster eröffnete das Haus. „Es ist fertig“, so der Minister weiter."
    assert find_persons(text) == [{"name": "Peter Muster", "role": "Minister"}]


def test_bare_role_without_a_named_person_invents_nobody():
    assert find_persons("„Es ist fertig“, sagte der Minister. Die Ministerin schwieg.") == []


def test_one_entry_per_person():
    text = (
        "Staatssekretär Kai Klose: „Eins.“ „Zwei“, betonte der Staatssekretär. "
        "Klose: „Drei.“ „Vier“, lobte Kai Klose."
    )
    assert find_persons(text) == [{"name": "Kai Klose", "role": "Staatssekretär"}]


def test_compound_and_federal_offices():
    text = (
        "Bundesminister Hubertus Heil sagte, es gehe voran. "
        "„Wir handeln“, erklärte Sozialministerin Heike Hofmann."
    )
    assert find_persons(text) == [
        {"name": "Hubertus Heil", "role": "Bundesminister"},
        {"name": "Heike Hofmann", "role": "Sozialministerin"},
    ]


def test_government_spokesman_statement():
    text = "Der Sprecher der Bundesregierung, Steffen Muster, teilt mit: Der Kanzler reist."
    assert find_persons(text) == [{"name": "Steffen Muster", "role": "Regierungssprecher"}]


def test_english_spokesperson():
    text = '"It matters," said Government Spokesperson Martin Muster on Monday.'
    assert find_persons(text) == [{"name": "Martin Muster", "role": "Government Spokesperson"}]


def test_office_in_apposition_after_the_name():
    text = "Markus Feld, Geschäftsführer der Aidshilfe Frankfurt: „Die Nachfrage steigt.“"
    role = "Geschäftsführer der Aidshilfe Frankfurt"
    assert find_persons(text) == [{"name": "Markus Feld", "role": role}]


def test_agent_noun_office_before_the_name():
    text = "Landesbranddirektor Uwe Scholz betonte: „Einheitliche Fahrzeuge helfen.“"
    assert find_persons(text) == [{"name": "Uwe Scholz", "role": "Landesbranddirektor"}]


def test_office_in_the_nominative():
    text = "„Hitze ist gefährlich“, sagte der Parlamentarische Staatssekretär Timo Muster."
    role = "Parlamentarischer Staatssekretär"
    assert find_persons(text) == [{"name": "Timo Muster", "role": role}]


def test_speech_by():
    text = "Rede von Bundesministerin Lea Muster auf der Konferenz"
    assert find_persons(text) == [{"name": "Lea Muster", "role": "Bundesministerin"}]


def test_apposition_role():
    text = "Die Leiterin der Fachstelle, Tanja Reinhardt: „Wir sind erreichbar.“"
    assert find_persons(text) == [{"name": "Tanja Reinhardt", "role": "Leiterin der Fachstelle"}]


def test_speaker_label_line():
    assert find_persons("Hubertus Heil:\nWir machen das.") == [
        {"name": "Hubertus Heil", "role": None}
    ]


def test_mentioned_but_not_speaking_is_not_a_person():
    assert find_persons("Das Treffen fand bei Bürgermeister Hans Muster im Rathaus statt.") == []
