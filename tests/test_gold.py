"""The gold set: every field of every gold item (pages and texts of all families)."""

from __future__ import annotations

import pytest
from conftest import FILES, expected, saved_releases

from scraper.normalise import FIELDS, normalise_html, normalise_text

GOLD = saved_releases("gold") if (FILES / "gold").is_dir() else []


def _normalise(path):
    if path.suffix == ".html":
        return normalise_html(path.read_bytes(), url=expected(path).get("url"))
    return normalise_text(path.read_text(encoding="utf-8"))


def test_gold_set_size():
    assert len(GOLD) >= 40
    assert {path.suffix for path in GOLD} == {".html", ".txt"}


@pytest.mark.parametrize("path", GOLD, ids=[str(p.relative_to(FILES / "gold")) for p in GOLD])
def test_gold_item(path):
    got = _normalise(path).fields()
    want = expected(path)["fields"]
    assert {name: got[name] for name in FIELDS} == {name: want.get(name) for name in FIELDS}
