"""Bad input gives a flagged record, never an exception."""

from __future__ import annotations

import pytest
from conftest import FILES

from scraper.normalise import FIELDS, normalise_html, normalise_text

PAGE = FILES / "hessen" / "kinderschutz-neue-fachstelle-in-darmstadt-nimmt-arbeit-auf.html"


@pytest.mark.parametrize("content", ["", "   \n\t ", b""])
def test_empty(content):
    for normalise in (normalise_html, normalise_text):
        rec = normalise(content)
        assert "empty" in rec.flags and rec.title is None and rec.body is None


def test_binary():
    data = bytes(range(256)) * 8
    rec = normalise_html(data)
    assert "binary" in rec.flags and rec.fields() == dict.fromkeys(FIELDS) | {"persons": []}


def test_truncated_page_keeps_what_arrived():
    data = PAGE.read_bytes()
    cut = data[: data.index(b"Die Leiterin der Fachstelle")]
    rec = normalise_html(cut, url="https://soziales.hessen.de/presse/x")
    assert rec.title == "Neue Fachstelle in Darmstadt nimmt Arbeit auf"
    assert rec.published == "2020-11-19" and rec.body.startswith("In Darmstadt")


def test_page_that_is_not_a_release():
    listing = (FILES / "hessen" / "hessen-soziales-listing-page-0.html").read_bytes()
    rec = normalise_html(listing, url="https://soziales.hessen.de/presse?page=0")
    assert "not-a-release" in rec.flags
    assert rec.published is None


def test_plain_text_without_anything_recognisable():
    rec = normalise_text("ok")
    assert "not-a-release" in rec.flags and "no-date" in rec.flags


def test_markup_that_is_no_page():
    rec = normalise_html("<<<>>> <!-- -->")
    assert "not-a-release" in rec.flags
