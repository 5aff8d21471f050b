"""``serve`` while releases are stored: no request fails, new releases show without restart."""

from __future__ import annotations

import pytest

pytest.importorskip("datasette", reason="the web extra (datasette) is not installed")

from scraper.bench.serve import run  # noqa: E402
from storage import Archive  # noqa: E402
from storage.synthetic import populate  # noqa: E402


@pytest.mark.sqlite_only(
    "serve reads the SQLite file a crawl writes; a PostgreSQL archive is served through its "
    "mirror, refreshed while stores go on (test_serve_mirror)"
)
def test_serve_answers_every_request_while_a_crawl_writes(tmp_path):
    path = tmp_path / "archive.sqlite"
    with Archive(f"sqlite:///{path}") as archive:
        populate(archive.engine, 300)
    result = run(path, 700, rounds_per_batch=2)
    assert result.failures == []
    assert result.requests >= 7 * 2 * 6  # two rounds of six pages after each of 7 batches
    assert result.written == 700
    assert (result.count_before, result.count_after) == (300, 1000)
