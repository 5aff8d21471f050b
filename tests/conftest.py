"""Shared test helpers: saved pages in tests/files/ as real Scrapy responses."""

from __future__ import annotations

import json
from pathlib import Path

from scrapy.http import HtmlResponse

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
