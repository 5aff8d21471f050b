"""Pages of unknown sites, and profiles whose selectors no longer match."""

from __future__ import annotations

import dataclasses

from conftest import file_response

from scraper.normalise import normalise_html
from scraper.normalise.html import selector_report
from scraper.profiles import get_profile

UNKNOWN = "generic/landesamt-beispiel.html"
HESSEN = "hessen/kinderschutz-neue-fachstelle-in-darmstadt-nimmt-arbeit-auf.html"


def test_unknown_site_uses_the_generic_fallback():
    response = file_response(UNKNOWN)
    rec = normalise_html(response.body, url=response.url)
    assert rec.profile is None and "profile-mismatch" not in rec.flags


def test_generic_title_date_body():
    rec = normalise_html(file_response(UNKNOWN).body)
    assert rec.title == "Neues Förderprogramm für Dorfläden startet"
    assert (rec.published, rec.sources.get("published")) == ("2023-06-14", "article-meta")
    assert rec.body.startswith("Das Land fördert ab Juli")
    assert rec.body.endswith("www.dorfladen.example.de.")
    for chrome in ("Weitere Meldungen", "Brückensanierung", "Seite teilen", "Startseite"):
        assert chrome not in rec.body


def test_generic_title_from_title_tag_without_site_suffix():
    page = (
        "<html><head><title>Mehr Geld für Schulen | Ministerium Beispiel</title></head>"
        "<body><div><p>Mainz. Das Land gibt den Schulen mehr Geld für Ausstattung und Personal."
        "</p></div></body></html>"
    )
    assert normalise_html(page).title == "Mehr Geld für Schulen"


def test_relaunched_site_is_detected_as_profile_mismatch():
    profile = get_profile("hessen-soziales")
    relaunched = dataclasses.replace(
        profile, release={**profile.release, "body": ".relaunch-body", "title": ".relaunch-h1"}
    )
    rec = normalise_html(file_response(HESSEN).body, profile=relaunched)
    assert rec.profile is None and "profile-mismatch" in rec.flags
    assert rec.title == "Neue Fachstelle in Darmstadt nimmt Arbeit auf"
    assert rec.body.startswith("In Darmstadt hat eine neue Fachstelle")


def test_selector_report_counts_matches():
    report = selector_report(file_response(HESSEN).text, get_profile("hessen-soziales"))
    assert report["title"] == 1 and report["body"] == 1


def test_drop_selectors_of_every_form():
    from scraper.normalise.select import css, matcher, parse

    root = parse(
        '<html><body><nav id="n">a</nav><div class="x y">b</div><p hidden>c</p>'
        '<p aria-hidden="true">d</p><header class="bpa-header">e</header><header>f</header>'
        '<ul class="list"><li>g</li></ul><p data-k="v1">h</p><p>i</p></body></html>'
    )
    drop = matcher(
        ("nav, .y, [hidden], [aria-hidden=true]", "header.bpa-header", ".list li", "[data-k*=v]")
    )
    dropped = drop.found_by_paths(root)
    kept = [
        el.text
        for el in css(root, "body *")
        if el not in dropped and not drop.matches(el.tag, dict(el.items()))
    ]
    assert kept == ["f", None, "i"]  # header without the class, the <ul> itself, the plain <p>
