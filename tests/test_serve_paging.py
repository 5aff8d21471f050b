"""Paging through the releases table newest first: with many releases of one date (and some
without a date), every release appears exactly once across the pages."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

pytest.importorskip("datasette", reason="the web extra (datasette) is not installed")

from test_serve import ITEMS, T0, release  # noqa: E402
from web_helpers import served_archive  # noqa: E402

from scraper.web import datasette_app  # noqa: E402
from storage import Archive  # noqa: E402


def items() -> list[dict]:
    """130 releases: 110 published on one day, 15 on the day before, 5 without a date."""
    dates = ["2024-04-02"] * 110 + ["2024-04-01"] * 15 + [None] * 5
    return [
        release(
            f"meldung-{n}",
            published=published,
            title=f"Meldung {n} zur Kinderbetreuung",
            body=f"Text der Meldung {n} über Kitaplätze in Kommune {n}.",
            fetched_at=T0 + timedelta(minutes=n),
        )
        for n, published in enumerate(dates)
    ] + ITEMS


pytestmark = pytest.mark.backends


def fill(db: str, _path) -> None:
    with Archive(db) as archive:
        archive.store(items())


@pytest.fixture(scope="module")
def path(request, tmp_path_factory):
    """The file ``serve`` reads: the archive, or on PostgreSQL its mirror."""
    return served_archive(request, tmp_path_factory.mktemp("paging"), fill)


def pages(path, url: str) -> list[dict]:
    """Every row of a table page and the pages after it (``next_url``)."""
    ds = datasette_app(path)
    rows = []
    try:
        while url:
            data = asyncio.run(ds.client.get(url)).json()
            rows += data["rows"]
            url = data["next_url"] and data["next_url"].split("localhost", 1)[-1]
    finally:
        ds.get_database("archive").close()
    return rows


def test_every_release_appears_once_across_the_pages(path):
    rows = pages(path, "/archive/releases.json?_shape=objects&_size=20")
    assert sorted(row["pk"] for row in rows) == list(range(1, len(items()) + 1))
    dated = [row["published"] for row in rows if row["published"]]
    assert dated == sorted(dated, reverse=True)  # newest first


@pytest.mark.parametrize("sort", ["_sort=site", "_sort_desc=site", "_sort=published"])
def test_pages_sorted_by_a_chosen_column_show_every_release_once(path, sort):
    rows = pages(path, f"/archive/releases.json?_shape=objects&_size=25&{sort}")
    assert sorted(row["pk"] for row in rows) == list(range(1, len(items()) + 1))
