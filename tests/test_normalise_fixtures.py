"""Saved fixtures (page or text) against their expected JSON, field by field; page/text parity
for every saved page (gold set included)."""

from __future__ import annotations

import pytest
from conftest import FILES, expected, saved_releases

from scraper.normalise import FIELDS, normalise_html, normalise_text
from scraper.normalise.html import page_text

RELEASES = [path for path in saved_releases() if "gold" not in path.relative_to(FILES).parts]
PAGES = [path for path in saved_releases() if path.suffix == ".html"]  # gold pages too


def _normalise(path):
    if path.suffix == ".html":
        return normalise_html(path.read_bytes(), url=expected(path).get("url"))
    return normalise_text(path.read_text(encoding="utf-8"))


def _ids(paths):
    return [str(path.relative_to(FILES)) for path in paths]


def test_there_are_saved_releases():
    assert len(PAGES) >= 6 and any(path.suffix == ".txt" for path in RELEASES)


@pytest.mark.parametrize("path", RELEASES, ids=_ids(RELEASES))
@pytest.mark.parametrize("field", FIELDS)
def test_field(path, field):
    assert _normalise(path).fields()[field] == expected(path)["fields"][field]


@pytest.mark.parametrize("path", RELEASES, ids=_ids(RELEASES))
def test_flags(path):
    assert sorted(_normalise(path).flags) == sorted(expected(path).get("flags", []))


@pytest.mark.parametrize("path", PAGES, ids=_ids(PAGES))
def test_page_and_its_text_give_the_same_fields(path):
    url = expected(path).get("url")
    page = normalise_html(path.read_bytes(), url=url)
    text = normalise_text(page_text(path.read_bytes(), url=url))
    if page.sources.get("published") not in ("header", "body") and text.published is None:
        text.published = page.published  # a date only in page metadata has no text to show
    got, want = text.fields(), page.fields()
    # Plain text cannot tell "kicker, title" from "title, subtitle" when there are only two
    # headline lines; the lines themselves and their order must still agree.
    headlines = ("kicker", "title", "subtitle")
    assert [got[k] for k in headlines if got[k]] == [want[k] for k in headlines if want[k]]
    assert {k: v for k, v in got.items() if k not in headlines} == {
        k: v for k, v in want.items() if k not in headlines
    }
