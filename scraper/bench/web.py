"""Page timings of the journalist's view at archive scale, beside Datasette's own pages.

``prepare(db, n)`` fills a synthetic archive (``storage.synthetic``) to ``n`` releases, lets
the ministries edit one release in a hundred (stored as crawls do, so they are silent
edits) and links every release to the authority file. ``run(path)`` requests each page
in-process (Datasette's ASGI client: server time, no network) and reports wall-clock
percentiles per page; Datasette's table page with its facets, its search page and its row
page are measured in the same run as the reference.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage import Archive
from storage.models import Release, ReleasePerson, Revision
from storage.synthetic import COMMONEST, RARE_WORDS, populate

EDIT_EVERY = 100
EDIT_BATCH = 200


def _edited(release: Release, fields: dict, when: datetime) -> dict:
    body = fields["body"].replace(" und ", " sowie ", 1)
    return dict(
        fields,
        site=release.site,
        url=release.url,
        fetched_url=release.url,
        fetched_at=when,
        body=body + " Die Angaben wurden nach Redaktionsschluss aktualisiert.",
    )


def prepare(db: str, count: int, echo=print) -> None:
    """Fill ``db`` to ``count`` releases, with silent edits and ministry links."""
    with Archive(db) as archive:
        have = archive.count()
        if have < count:
            echo(f"generating {count - have} synthetic releases into {db} …")
            populate(archive.engine, count - have)
        with Session(archive.engine) as session:
            edits = session.scalar(select(func.count()).where(Revision.number > 1))
            stmt = select(Release, Revision.fields).join(
                Revision, (Revision.release_pk == Release.pk) & (Revision.number == 1)
            )
            chosen = session.execute(
                stmt.where(Release.pk % EDIT_EVERY == 0, Release.revision == 1)
            ).all()
        if not edits and chosen:
            echo(f"storing {len(chosen)} silent edits …")
            start = datetime(2026, 2, 1, tzinfo=UTC)
            items = [
                _edited(release, fields, start + timedelta(minutes=n))
                for n, (release, fields) in enumerate(chosen)
            ]
            for first in range(0, len(items), EDIT_BATCH):
                archive.store(items[first : first + EDIT_BATCH])
        with Session(archive.engine) as session:
            unlinked = session.scalar(select(func.count()).where(Release.ministry_id.is_(None)))
        if unlinked:
            echo(f"linking {unlinked} releases to the ministries authority file …")
            archive.link_ministries()


def pages(db: str) -> dict[str, str]:
    """The pages to time (name -> path), drawn from the archive."""
    with Archive(db) as archive, Session(archive.engine) as session:
        edited = session.scalar(select(Release).where(Release.revision > 1).limit(1))
        plain = session.scalar(select(Release).where(Release.revision == 1).limit(1))
        person = session.scalar(
            select(ReleasePerson.name)
            .group_by(ReleasePerson.name_key)
            .order_by(func.count().desc())
            .limit(1)
        )
        ministry = session.scalar(
            select(Release.ministry_id).where(Release.ministry_id.is_not(None)).limit(1)
        )
    common, rare = COMMONEST[0], RARE_WORDS[0]
    return {
        "home (newest first)": "/",
        f"search '{common}' (common)": f"/?q={quote(common)}",
        f"search '{rare}' (rare)": f"/?q={quote(rare)}",
        "search + ministry + dates": f"/?q={quote(common)}&ministerium={ministry}"
        "&von=2015-01-01&bis=2020-12-31",
        "search page 5": f"/?q={quote(common)}&seite=5",
        "release page": f"/release/{edited.id}",
        "diff": f"/release/{edited.id}/diff",
        "silent edits": "/aenderungen",
        "person": "/person/" + quote(person or "x", safe=""),
        "ministry": f"/ministerium/{ministry}",
        "ministries": "/ministerien",
        "persons": "/personen",
        "feed: new": "/feeds/neu.atom",
        "feed: new, search": f"/feeds/neu.atom?q={quote(rare)}",
        "feed: edits": "/feeds/aenderungen.atom",
        "Datasette: table + facets": "/archive/releases",
        f"Datasette: search '{common}' + facets": f"/archive/releases?_search={quote(common)}",
        "Datasette: row page": f"/archive/releases/{plain.pk}",
    }


def run(path: str, paths: dict[str, str], repeat: int = 5) -> dict[str, dict]:
    """Per page: status and wall-clock p50/max milliseconds over ``repeat`` requests."""
    from scraper.web import datasette_app

    ds = datasette_app(path)

    async def measure():
        results = {}
        for name, url in paths.items():
            await ds.client.get(url)  # warm caches
            times, status = [], None
            for _ in range(repeat):
                start = time.perf_counter()
                response = await ds.client.get(url)
                times.append((time.perf_counter() - start) * 1000)
                status = response.status_code
            results[name] = {
                "status": status,
                "p50": statistics.median(times),
                "max": max(times),
            }
        return results

    try:
        return asyncio.run(measure())
    finally:
        ds.get_database("archive").close()


def report(results: dict[str, dict]) -> str:
    """A table of the timings and the ratio of the journalist's search to Datasette's."""
    lines = [f"{'page':44} {'status':>6} {'p50 ms':>9} {'max ms':>9}"]
    for name, row in results.items():
        lines.append(f"{name:44} {row['status']:>6} {row['p50']:9.1f} {row['max']:9.1f}")
    ours = next(v for k, v in results.items() if k.endswith("(common)"))
    theirs = next(v for k, v in results.items() if k.startswith("Datasette: search"))
    lines.append(
        f"journalist's search vs Datasette's search page (same query, p50): "
        f"{theirs['p50'] / ours['p50']:.1f}x faster"
    )
    return "\n".join(lines)
