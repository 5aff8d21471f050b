"""The article head of pages no profile knows: the byline date between the heading and the
text, however much sits around it. Pages of our own in the shapes real sites have."""

from __future__ import annotations

import json

from scraper.normalise import normalise_html

TEXT = (
    "<p>Der Landkreis baut in den kommenden zwei Jahren vierzig Kilometer neue Radwege "
    "zwischen den Ortsteilen. Die Kosten von zwölf Millionen Euro teilen sich Land und Kreis, "
    "wie die Verwaltung am Dienstag mitteilte.</p>"
    "<p>Die ersten Abschnitte sollen noch in diesem Sommer fertig werden. Anwohner können "
    "ihre Vorschläge bis Ende Mai im Rathaus oder online einreichen.</p>"
)
ARTICLE_BODY = (
    "Der Landkreis baut in den kommenden zwei Jahren vierzig Kilometer neue Radwege zwischen "
    "den Ortsteilen."
)


def page(body: str, created: str = "2021-12-06T09:00:00+01:00") -> bytes:
    data = {"@context": "https://schema.org", "@type": "NewsArticle",
            "headline": "Vierzig Kilometer neue Radwege", "datePublished": created,
            "articleBody": ARTICLE_BODY}  # fmt: skip
    script = f'<script type="application/ld+json">{json.dumps(data, ensure_ascii=False)}</script>'
    return (f'<html lang="de"><head><meta charset="utf-8"><title>Radwege</title></head>'
            f"<body>{script}{body}</body></html>").encode()  # fmt: skip


def test_byline_date_under_the_heading_beats_a_stale_structured_date():
    """The page shows the day it was (re)published under the heading; the JSON-LD still
    carries the day the draft was created, and repeats the text in a script in the body."""
    html = page(
        '<div class="page"><div class="head"><h1>Vierzig Kilometer neue Radwege</h1>'
        '<p class="byline">Anna Beispiel | 15.12.2022</p></div>'
        f'<div class="content">{TEXT}</div></div>'
    )
    rec = normalise_html(html)
    assert rec.title == "Vierzig Kilometer neue Radwege"
    assert (rec.published, rec.sources["published"]) == ("2022-12-15", "header")
    assert "date-conflict" in rec.flags
    assert rec.body.startswith("Der Landkreis baut")


def test_byline_date_found_past_an_author_box_and_share_links():
    html = page(
        '<article><p class="rubric">Verkehr</p><h1>Vierzig Kilometer neue Radwege</h1>'
        "<p>03.04.2023</p><p>Von Anna Beispiel (Redaktion)</p>"
        "<p>Anna Beispiel schreibt über Verkehr und Umwelt.</p><p>Alle Artikel der Autorin</p>"
        "<p>E-Mail: Teilen:</p><p>Weniger Autos, mehr Räder: der Kreis setzt auf das Rad.</p>"
        f"<div>{TEXT}</div></article>"
    )
    rec = normalise_html(html)
    assert (rec.published, rec.sources["published"]) == ("2023-04-03", "header")


def test_drop_cap_heading_is_one_title():
    html = page(
        f'<article><h1><span class="initial">Vierzig K</span>ilometer neue Radwege</h1>{TEXT}'
        "</article>"
    )
    rec = normalise_html(html)
    assert (rec.title, rec.kicker) == ("Vierzig Kilometer neue Radwege", None)


def test_date_under_a_title_in_a_subheading_past_a_photo_credit():
    html = page(
        '<div class="stage"><p>© Foto: Anna Beispiel</p></div>'
        '<div class="article"><p class="rubric">Meldungen</p>'
        "<h2>Vierzig Kilometer neue Radwege</h2><p>Erscheinungsdatum 25.01.2023</p>"
        f"<div>{TEXT}</div></div>",
        created="2023-01-15T08:00:00+01:00",
    )
    rec = normalise_html(html)
    assert (rec.title, rec.published, rec.sources["published"]) == (
        "Vierzig Kilometer neue Radwege", "2023-01-25", "header",
    )  # fmt: skip
