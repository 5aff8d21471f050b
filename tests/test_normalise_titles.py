"""Titles of pages no profile knows: the article's heading, not the site's name or a
shortened metadata title. Pages of our own in the shapes real sites have."""

from __future__ import annotations

from scraper.normalise import normalise_html

TEXT = (
    "<p>Der Landkreis baut in den kommenden zwei Jahren vierzig Kilometer neue Radwege "
    "zwischen den Ortsteilen. Die Kosten von zwölf Millionen Euro teilen sich Land und Kreis, "
    "wie die Verwaltung am Dienstag mitteilte.</p>"
    "<p>Die ersten Abschnitte sollen noch in diesem Sommer fertig werden. Anwohner können "
    "ihre Vorschläge bis Ende Mai im Rathaus oder online einreichen.</p>"
)


def page(head: str, body: str) -> bytes:
    return (f'<html lang="de"><head><meta charset="utf-8">{head}</head><body>{body}'
            "</body></html>").encode()  # fmt: skip


def test_blog_name_heading_linked_home_is_not_the_title():
    html = page(
        "<title>Radwege im Kreis: vierzig Kilometer bis 2026 » Kreisblog</title>",
        '<div id="header"><h1><a href="https://kreisblog.example.de/">Kreisblog</a></h1>'
        "<p>Notizen aus dem Landkreis</p></div>"
        f'<div class="post"><h2>Radwege im Kreis: vierzig Kilometer bis 2026</h2>{TEXT}</div>',
    )
    rec = normalise_html(html)
    assert rec.title == "Radwege im Kreis: vierzig Kilometer bis 2026"
    assert "Kreisblog" not in (rec.body or "")


def test_logo_and_widget_headings_give_way_to_the_article_heading():
    html = page(
        "<title>Kreiszeitung</title>",
        '<header class="site-header"><a class="logo" href="/"><h1 class="visuallyhidden">'
        "Kreiszeitung</h1></a></header>"
        '<nav><h1 class="menu-toggle">Menü</h1></nav>'
        f'<main><article><h1 class="entry-title">Vierzig Kilometer neue Radwege</h1>{TEXT}'
        '</article><aside><h1 class="widget-title">Neueste Beiträge</h1></aside></main>',
    )
    assert normalise_html(html).title == "Vierzig Kilometer neue Radwege"


def test_visible_heading_beats_a_shortened_metadata_title():
    html = page(
        '<meta property="og:title" content="Kreis baut neue Radwege">'
        "<title>Kreis baut neue Radwege | Kreiszeitung</title>",
        f"<article><h1>Kreis baut neue Radwege für zwölf Millionen Euro</h1>{TEXT}</article>",
    )
    rec = normalise_html(html)
    assert (rec.title, rec.sources["title"]) == (
        "Kreis baut neue Radwege für zwölf Millionen Euro",
        "h1",
    )


def test_heading_with_its_own_kicker_element_confirmed_by_wording():
    html = page(
        '<meta property="og:title" content="Verkehr: Kreis baut vierzig Kilometer Radwege">',
        '<article><h1><span class="kicker">Mobilität im Landkreis:</span> '
        f"Kreis baut vierzig Kilometer neue Radwege bis 2026</h1>{TEXT}</article>",
    )
    rec = normalise_html(html)
    assert rec.title == "Kreis baut vierzig Kilometer neue Radwege bis 2026"
    assert rec.kicker == "Mobilität im Landkreis:"


def test_an_unrelated_heading_does_not_replace_the_declared_title():
    html = page(
        '<meta property="og:title" content="Vierzig Kilometer neue Radwege">',
        f"<div><h1>Detailansicht</h1>{TEXT}</div>",
    )
    assert normalise_html(html).title == "Vierzig Kilometer neue Radwege"


def test_breadcrumb_heading_names_the_page():
    html = page(
        '<meta property="og:title" content="Radwege: Kreis baut vierzig Kilometer">',
        '<nav class="Breadcrumb"><a href="/">Start</a> <h1>Verkehr: Kreis baut vierzig '
        f"Kilometer neue Radwege</h1></nav><article>{TEXT}</article>",
    )
    assert normalise_html(html).title == "Verkehr: Kreis baut vierzig Kilometer neue Radwege"


def test_question_heading_ending_in_the_metadata_title_is_no_kicker():
    html = page(
        '<meta property="og:title" content="Radwege im Landkreis">',
        f"<article><h1>Lohnen sich neue Radwege im Landkreis?</h1>{TEXT}</article>",
    )
    rec = normalise_html(html)
    assert (rec.title, rec.kicker) == ("Lohnen sich neue Radwege im Landkreis?", None)


def test_rubric_glued_to_the_title_is_the_kicker():
    html = page(
        '<meta property="og:title" content="Kreis baut vierzig Kilometer Radwege">',
        "<article><h1>Thema der Woche<br>Kreis baut vierzig Kilometer Radwege</h1>"
        f"{TEXT}</article>",
    )
    rec = normalise_html(html)
    assert (rec.title, rec.kicker) == ("Kreis baut vierzig Kilometer Radwege", "Thema der Woche")


def test_page_without_main_heading_takes_the_subheading_that_extends_the_metadata_title():
    html = page(
        '<meta property="og:title" content="Radwege im Landkreis">'
        "<title>Radwege im Landkreis</title>",
        '<div class="post"><h2>Radwege im Landkreis – vierzig Kilometer bis 2026</h2>'
        f"{TEXT}<h2>Weitere Beiträge</h2></div>",
    )
    assert normalise_html(html).title == "Radwege im Landkreis – vierzig Kilometer bis 2026"
