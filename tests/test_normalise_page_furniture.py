"""Furniture inside the article of a page that no profile knows (pages written for these
tests in the shapes of real news and association pages): newsletter sign-ups, affiliate
notes, teaser lines and teaser lists, embed placeholders, credits, comment-login lines.
trafilatura keeps them inside the article; the layout rules take them out."""

from __future__ import annotations

import pytest

from scraper.normalise import normalise_html

PARAGRAPHS = [
    "Die Gemeinde hat am Montag den neuen Radweg entlang des Flusses eröffnet. Er verbindet "
    "die beiden Ortsteile auf einer Länge von vier Kilometern und ist durchgehend beleuchtet.",
    "Der Bau hat knapp zwei Jahre gedauert und rund drei Millionen Euro gekostet. Das Land "
    "hat davon mehr als die Hälfte übernommen, den Rest trägt der Landkreis.",
    "Im Frühjahr sollen entlang der Strecke noch Bänke und Infotafeln aufgestellt werden. "
    "Auch eine Ladestation für Pedelecs ist am Bahnhof geplant.",
]


def _page(*inserted: str, after: tuple[str, ...] = ()) -> str:
    paragraphs = [PARAGRAPHS[0], *inserted, *PARAGRAPHS[1:], *after]
    article = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        "<html lang='de'><head><title>Neuer Radweg eröffnet | Kreisblatt</title></head><body>"
        "<nav><a href='/'>Start</a> <a href='/lokal'>Lokales</a></nav>"
        f"<main><article><h1>Neuer Radweg eröffnet</h1>{article}</article></main>"
        "<footer><p>Impressum · Datenschutz · Kontakt</p></footer></body></html>"
    )


@pytest.mark.parametrize(
    "line",
    ["Mit unserem Newsletter erhalten Sie jede Woche die wichtigsten Nachrichten aus dem Kreis!",
     "Zum Newsletter anmelden",
     "Verpassen Sie nichts mehr? Dann tragen Sie sich in unseren Newsletter ein!",
     "Mit der Registrierung akzeptieren Sie unsere Datenschutzbestimmungen. Ihre Daten "
     "werden nicht weitergegeben.",
     "Anzeige, dieser Beitrag enthält Affiliate Links",
     "Letzte Aktualisierung am 3.03.2025 / Bei den Verlinkungen handelt es sich um Affiliate "
     "Links / Bilder von einem Partnerprogramm",
     "Auch lesen: Neue Bushaltestellen für das Gewerbegebiet",
     "Lesen Sie hier: Wie der Kreis seine Brücken saniert",
     ">> Kreistag beschließt Haushalt für das kommende Jahr <<",
     "(Alle Angaben ohne Gewähr)",
     "Titelbild: Anna Beispiel / Kreisblatt",
     "Klicken Sie auf den unteren Button, um den Inhalt von www.karten.example zu laden.",
     "Short-URL: https://kb.example/r123", "Mehr zum Thema Verkehr:"],
)  # fmt: skip
def test_furniture_line_inside_the_article_leaves_the_body(line):
    rec = normalise_html(_page(line))
    assert line not in rec.body and line[:30] not in rec.body
    assert rec.body.startswith("Die Gemeinde hat am Montag")
    assert rec.body.endswith("am Bahnhof geplant.")


@pytest.mark.parametrize(
    "heading",
    ["Weiterlesen:", "Empfohlene Beiträge", "Mehr zum Thema auf kreisblatt.example",
     "Weitere aktuelle Themen aus dem Landkreis", "Top-Themen im Kreisblatt",
     "Vorschau auf den nächsten Artikel"],
)  # fmt: skip
def test_teaser_list_after_the_article_leaves_the_body(heading):
    teasers = ("Brückensanierung im Ortskern dauert länger", "Neue Kita öffnet im Herbst")
    rec = normalise_html(_page(after=(heading, *teasers)))
    assert rec.body.endswith("am Bahnhof geplant.")
    assert not any(teaser in rec.body for teaser in teasers)


@pytest.mark.parametrize(
    "line",
    ["Weitere Themen der Sitzung waren der Haushalt und die Schulen.",
     "Der Newsletter der Gemeinde erscheint künftig monatlich.",
     "Anzeigen gegen Unbekannt hat die Polizei bisher nicht aufgenommen."],
)  # fmt: skip
def test_sentences_that_resemble_furniture_stay(line):
    assert line in normalise_html(_page(line)).body


LEAD = (
    "Vier Kilometer lang, beleuchtet und breit genug für Lastenräder: Der neue Radweg verbindet "
    "die beiden Ortsteile."
)


# a meta box between the heading and the text: author, rubric, tags, counters
_META_ITEMS = [
    "Von Anna Beispiel", "Lokales", "Verkehr", "Radwege", "Neustadt", "Landkreis",
    "3 Kommentare", "12 Bilder", "Lesezeit 3 Min.", "Artikel merken", "Teilen",
]  # fmt: skip


def _page_with_intro(description: str) -> str:
    article = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    return (
        "<html lang='de'><head><title>Neuer Radweg eröffnet | Kreisblatt</title>"
        f"<meta property='og:description' content='{description}'></head><body>"
        "<nav><a href='/'>Start</a></nav><main><header class='article-head'>"
        "<h1>Neuer Radweg eröffnet</h1><time>03.03.2025</time></header>"
        + "".join(f"<div class='meta'>{item}</div>" for item in _META_ITEMS)
        + f"<div class='intro'>{LEAD}</div><div class='article-body'>{article}</div>"
        "</main><aside class='related'><p>Neue Kita öffnet im Herbst</p></aside></body></html>"
    )


def test_intro_that_the_page_describes_itself_with_is_kept():
    rec = normalise_html(_page_with_intro(LEAD))
    assert (rec.title, rec.subtitle) == ("Neuer Radweg eröffnet", LEAD)
    assert rec.body.startswith("Die Gemeinde hat am Montag")


def test_a_description_the_page_does_not_show_adds_nothing():
    rec = normalise_html(_page_with_intro("Ein Radweg, den die Gemeinde lange geplant hat, ist "
                                          "nun endlich fertig und freigegeben."))  # fmt: skip
    assert "lange geplant" not in (rec.subtitle or "") + rec.body


@pytest.mark.parametrize(
    "line",
    ["Wer den Radweg zuerst befahren hat, ist nicht überliefert (Symbolbild).",
     "Abbildung 2: Der Verlauf des Radwegs entlang des Flusses.",
     "Merkblatt zum Radwegebau vom 3. März 2025PDF | 38 KB | Datei ist nicht barrierefrei",
     "Unterstütze das Kreisblatt schon mit 2,50 €!"],
)  # fmt: skip
def test_symbol_pictures_figure_captions_file_links_and_appeals_leave_the_body(line):
    rec = normalise_html(_page(line))
    assert line[:30] not in rec.body and rec.body.endswith("am Bahnhof geplant.")
