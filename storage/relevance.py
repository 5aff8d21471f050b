"""The relevance set (``relevance.toml``): releases of our own and queries whose release
must rank in the top 3; stored into an archive and scored there."""

from __future__ import annotations

import tempfile
import tomllib
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

from storage.archive import Archive

TOP = 3
SET = Path(__file__).with_name("relevance.toml")


def load() -> dict:
    """The parsed relevance set."""
    return tomllib.loads(SET.read_text(encoding="utf-8"))


def items(data: dict | None = None) -> list[dict]:
    """The set's releases as crawled items (``url`` ends in the release's key)."""
    data = data or load()
    found = []
    for n, release in enumerate(data["releases"]):
        site = f"hessen-{release['ministry']}"
        url = f"https://{release['ministry']}.hessen.de/presse/{release['key']}"
        found.append(
            {
                "site": site,
                "ministry": data["ministries"][release["ministry"]],
                "url": url,
                "fetched_url": url,
                "fetched_at": datetime(2026, 1, 1, tzinfo=UTC),
                "kind": "Pressemitteilung",
                "number": str(n + 1),
                "place": "Wiesbaden",
                "published": release["published"],
                "kicker": None,
                "title": release["title"],
                "subtitle": None,
                "dateline": "Wiesbaden",
                "body": release["body"],
                "contact": "Pressestelle, Telefon 0611 000-0",
                "persons": [{"name": n, "role": r} for n, r in release.get("persons", [])],
                "profile": site,
                "sources": {},
                "flags": [],
            }
        )
    return found


def evaluate(archive, data: dict | None = None) -> list[dict]:
    """Per query: ``query``, expected ``release`` key and its ``rank`` (None if not in
    the first 20 hits)."""
    data = data or load()
    results = []
    for case in data["queries"]:
        keys = [hit["url"].rsplit("/", 1)[1] for hit in archive.search(case["query"], limit=20)]
        rank = keys.index(case["release"]) + 1 if case["release"] in keys else None
        results.append({"query": case["query"], "release": case["release"], "rank": rank})
    return results


def summary(results: list[dict]) -> dict:
    """Queries with their release in the top 3 and first, and the mean reciprocal rank."""
    ranks = [r["rank"] for r in results]
    return {
        "queries": len(ranks),
        "top3": sum(1 for r in ranks if r and r <= TOP),
        "top1": sum(1 for r in ranks if r == 1),
        "mrr": sum(1 / r for r in ranks if r) / len(ranks),
    }


@contextmanager
def scratch_archive(url: str) -> Iterator[Archive]:
    """The set stored in a throwaway archive on the backend of ``url``: a temporary SQLite
    file, or a temporary schema in the PostgreSQL database (dropped afterwards)."""
    if make_url(url).get_backend_name() != "postgresql":
        with (
            tempfile.TemporaryDirectory() as folder,
            Archive(f"sqlite:///{Path(folder) / 'relevance.sqlite'}") as archive,
        ):
            archive.store(items())
            yield archive
        return
    schema = f"pa_relevance_{uuid.uuid4().hex[:10]}"
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    try:
        scoped = make_url(url).update_query_dict({"options": f"-csearch_path={schema}"})
        with Archive(scoped.render_as_string(hide_password=False)) as archive:
            archive.store(items())
            yield archive
    finally:
        with engine.begin() as conn:
            conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
        engine.dispose()
