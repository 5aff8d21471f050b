"""Shared test helpers: saved pages in tests/files/ as real Scrapy responses."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from scrapy.http import HtmlResponse
from test_storage_helpers import BACKEND, TEST_DB, backend_fixture, follows_switch, new_archive_url

FILES = Path(__file__).parent / "files"


def file_response(path: str | Path, url: str | None = None) -> HtmlResponse:
    """A Scrapy ``HtmlResponse`` for a saved page (path relative to tests/files/).

    The URL defaults to the ``url`` of the expected JSON beside the page, else a file URL.
    """
    path = FILES / path
    if url is None:
        expected = path.with_suffix(".json")
        if expected.exists():
            url = json.loads(expected.read_text(encoding="utf-8")).get("url")
    return HtmlResponse(url=url or path.resolve().as_uri(), body=path.read_bytes())


def saved_releases(folder: str | None = None, suffixes=(".html", ".txt")) -> list[Path]:
    """Saved release inputs (pages and texts) that have an expected JSON beside them."""
    root = FILES / folder if folder else FILES
    return sorted(
        path
        for path in root.rglob("*")
        if path.suffix in suffixes and path.with_suffix(".json").exists()
    )


def expected(path: Path) -> dict:
    """The expected JSON beside a saved input: ``{"url", "flags", "fields", ...}``."""
    return json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))


# The backend switch: with PRESSARCHIV_TEST_DB set to a PostgreSQL server URL, the suite is
# its PostgreSQL pass. The archive fixtures then give each test a fresh schema on that
# server, and only the tests whose archives follow the switch run (the rest read no archive,
# or test a feature of SQLite itself, and ran in the SQLite pass; see tests/BACKENDS.md).


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "backends: the test's archives follow the backend switch (PRESSARCHIV_TEST_DB)"
    )
    config.addinivalue_line(
        "markers", "sqlite_only(reason): the test opens an archive and stays on SQLite, because"
    )
    if not TEST_DB:
        import backend_report

        backend_report.install()
        config.pluginmanager.register(backend_report, "backend_report")


def pytest_report_header(config):
    return f"archive backend: {BACKEND} (PRESSARCHIV_TEST_DB)"


def pytest_collection_modifyitems(config, items):
    if not TEST_DB:
        return
    keep, drop = [], []
    for item in items:
        (keep if follows_switch(item) else drop).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
    items[:] = keep


@pytest.fixture
@backend_fixture
def db_url(request, tmp_path) -> str:
    """The URL of a new, empty archive on the backend under test."""
    return new_archive_url(request, tmp_path)
