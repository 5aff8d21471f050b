"""Atom feeds (feedgen) a newsroom can subscribe to: new releases and silent edits,
each for the whole archive, one ministry (``?ministerium=<id>``) or a search (``?q=…``).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, time

from datasette.utils.asgi import Response
from feedgen.feed import FeedGenerator
from markupsafe import escape

from scraper.web import records
from scraper.web.filters import link
from scraper.web.finder import latest_pks, latest_stored
from scraper.web.session import run
from scraper.web.views import PageError, authority, lineage_ids, page
from storage import SearchError
from storage.search import snippet_start

ENTRIES = 50
ATOM = "application/atom+xml; charset=utf-8"


def urn(*parts) -> str:
    """A stable Atom id for the thing named by ``parts``."""
    return uuid.uuid5(uuid.NAMESPACE_URL, "pressarchiv:" + ":".join(map(str, parts))).urn


def _start(datasette, request, kind: str, title: str, path: str) -> FeedGenerator:
    known = authority()
    chosen, _ = lineage_ids(request, known)
    query = (request.args.get("q") or "").strip()
    if chosen:
        title += f" – {known.entries[chosen].name}"
    if query:
        title += f" – Suche „{query}“"
    feed = FeedGenerator()
    feed.id(urn("feed", kind, chosen or "", query))
    feed.title(title)
    feed.author({"name": "pressarchiv"})
    feed.language("de")
    params = {"ministerium": chosen, "q": query}
    feed.link(href=datasette.absolute_url(request, link(path, **params)), rel="self")
    page_path = "/aenderungen" if kind == "aenderungen" else "/"
    feed.link(href=datasette.absolute_url(request, link(page_path, **params)), rel="alternate")
    return feed


def _query(request) -> str | None:
    return (request.args.get("q") or "").strip() or None


def _done(feed: FeedGenerator, newest: datetime | None) -> Response:
    feed.updated(newest or datetime.now(UTC))
    return Response(feed.atom_str(pretty=True), content_type=ATOM)


def _day(value) -> datetime | None:
    return datetime.combine(value, time(), tzinfo=UTC) if value else None


@page
async def new_releases(request, datasette):
    """``/feeds/neu.atom``: the releases stored last, newest first."""
    feed = _start(datasette, request, "neu", "Neue Pressemitteilungen", "/feeds/neu.atom")
    _, ids = lineage_ids(request, authority())
    query = _query(request)
    try:
        found = await run(datasette, lambda s: latest_stored(s, query, ids, ENTRIES))
    except SearchError as exc:
        raise PageError(400, f"Diese Suche versteht pressarchiv nicht: {exc}") from None
    for release in found:
        entry = feed.add_entry(order="append")
        entry.id(urn("release", release.id))
        entry.title(release.title or "(ohne Titel)")
        entry.link(href=datasette.absolute_url(request, f"/release/{release.id}"))
        entry.updated(release.first_seen)
        if release.published:
            entry.published(_day(release.published))
        entry.author({"name": release.ministry or release.site})
        if release.ministry_id:
            entry.category(term=release.ministry_id, label=release.ministry)
        entry.summary(snippet_start(release.body, 60) or release.title or "")
    newest = max((r.first_seen for r in found), default=None)
    return _done(feed, newest)


def _diff_html(changed: list[dict]) -> str:
    parts = []
    for field in changed:
        marked = "".join(
            f"<del>{escape(text)}</del>"
            if kind == "del"
            else f"<ins>{escape(text)}</ins>"
            if kind == "ins"
            else f" […{escape(text)} Wörter…] "
            if kind == "gap"
            else str(escape(text))
            for kind, text in field["pieces"]
        )
        parts.append(f"<p><strong>{escape(field['label'])}:</strong> {marked}</p>")
    return "".join(parts)


@page
async def edits(request, datasette):
    """``/feeds/aenderungen.atom``: silent edits by the ministries, newest first."""
    feed = _start(datasette, request, "aenderungen", "Stille Änderungen", "/feeds/aenderungen.atom")
    _, ids = lineage_ids(request, authority())
    query = _query(request)

    def read(session):
        pks = None
        if query:
            pks = latest_pks(session, query, ids, 2000)
        return records.edits(session, ids, pks, limit=ENTRIES)

    try:
        _, events = await run(datasette, read)
    except SearchError as exc:
        raise PageError(400, f"Diese Suche versteht pressarchiv nicht: {exc}") from None
    for event in events:
        changed_at = datetime.fromisoformat(event["fetched_at"])
        entry = feed.add_entry(order="append")
        entry.id(urn("release", event["id"], "fassung", event["number"]))
        entry.title(f"Geändert: {event['title'] or '(ohne Titel)'}")
        diff = f"/release/{event['id']}/diff?von={event['previous']}&bis={event['number']}"
        entry.link(href=datasette.absolute_url(request, diff))
        entry.updated(changed_at)
        entry.author({"name": event["ministry"] or "unbekannt"})
        summary = ", ".join(
            f"{f['label']} −{f['removed']} +{f['added']} Wörter" for f in event["changed"]
        )
        entry.summary(f"Fassung {event['previous']} → {event['number']}: {summary}")
        entry.content(_diff_html(event["changed"]), type="html")
    newest = max((datetime.fromisoformat(e["fetched_at"]) for e in events), default=None)
    return _done(feed, newest)
