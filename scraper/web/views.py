"""The journalist's pages: Datasette plugin routes rendering the ``pa_*.html`` templates.

Addresses and parameters are German: ``/?q=…&ministerium=…&von=…&bis=…&seite=…``,
``/release/<id>``, ``/release/<id>/diff?von=1&bis=2``, ``/aenderungen``, ``/person/<name>``,
``/ministerium/<id>``; feeds in ``scraper.web.feeds``.
"""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import unquote

from datasette.utils.asgi import Response
from sqlalchemy import func, select

from scraper.ministries import Authority, load_authority
from scraper.web import records
from scraper.web.finder import newest, search
from scraper.web.metadata import PLUGIN
from scraper.web.session import run
from storage import SearchError, clusters
from storage.ministries import release_counts
from storage.models import Revision

PAGE = 20
LONG_PAGE = 50


class PageError(Exception):
    """A request the page cannot answer: HTTP status and a German message."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


def authority() -> Authority:
    return load_authority()


MAX_OFFSET = 10_000
"""Results past this many are not paged to (narrow the search instead)."""


def page_number(request, size: int = PAGE) -> int:
    """The ``seite`` parameter (1 when absent); a one-line German error when out of range."""
    raw = request.args.get("seite") or "1"
    if not raw.isdigit() or int(raw) < 1:
        raise PageError(400, f"Seite „{raw}“ gibt es nicht (1, 2, 3 …).")
    if (int(raw) - 1) * size > MAX_OFFSET:
        raise PageError(
            400, f"Geblättert wird nur bis Seite {MAX_OFFSET // size + 1}: bitte eingrenzen."
        )
    return int(raw)


GERMAN_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")


def day(request, name: str) -> date | None:
    """The date parameter ``name``: ``12.03.2024`` as typed, or ``2024-03-12``."""
    raw = (request.args.get(name) or "").strip()
    if not raw:
        return None
    german = GERMAN_DATE.fullmatch(raw)
    try:
        if german:
            return date(int(german[3]), int(german[2]), int(german[1]))
        return date.fromisoformat(raw)
    except ValueError:
        raise PageError(400, f"„{raw}“ ist kein Datum (TT.MM.JJJJ, etwa 12.03.2024).") from None


def lineage_ids(request, known: Authority) -> tuple[str | None, set[str] | None]:
    """The ``ministerium`` parameter (any entry id of a lineage) and all ids of its lineage."""
    wanted = request.args.get("ministerium") or None
    if wanted is None:
        return None, None
    if wanted not in known.entries:
        raise PageError(404, f"Kein Ministerium mit der Kennung „{wanted}“.")
    chain = known.lineage(wanted)
    return chain[-1].id, {entry.id for entry in chain}


async def render(datasette, request, template: str, context: dict, status: int = 200):
    context = {"authority": authority(), **context}
    html = await datasette.render_template(template, context, request=request)
    return Response.html(html, status=status)


async def error_page(datasette, request, exc: PageError):
    context = {"message": str(exc), "status": exc.status}
    return await render(datasette, request, "pa_error.html", context, exc.status)


def page(view):
    """Turn a ``PageError`` raised by ``view`` into a German error page."""

    async def wrapped(request, datasette):
        try:
            return await view(request, datasette)
        except PageError as exc:
            return await error_page(datasette, request, exc)

    wrapped.__name__ = view.__name__
    return wrapped


_choices: dict[int, tuple] = {}


async def ministry_choices(datasette) -> list[dict]:
    """The lineages that have releases in the archive, for the ministry filter (kept until
    the archive gets a new revision)."""
    version = await run(datasette, lambda s: s.scalar(select(func.max(Revision.pk))))
    cached = _choices.get(id(datasette))
    if cached and cached[0] == version:
        return cached[1]
    known = authority()
    linked, _ = await run(datasette, release_counts)
    chosen: dict[str, int] = {}
    for mid, row in linked.items():
        if mid in known.entries:
            lineage = known.lineage_id(mid)
            chosen[lineage] = chosen.get(lineage, 0) + row["releases"]
    choices = [
        {"id": lid, "label": known.entries[lid].label(), "releases": n} for lid, n in chosen.items()
    ]
    choices.sort(key=lambda c: c["label"])
    _choices[id(datasette)] = (version, choices)
    return choices


@page
async def search_page(request, datasette):
    """``/``: the search box, ranked hits with snippets; without a query the newest."""
    known = authority()
    query = (request.args.get("q") or "").strip()
    chosen, ids = lineage_ids(request, known)
    since, until = day(request, "von"), day(request, "bis")
    if since and until and since > until:
        raise PageError(400, f"„von“ ({since}) liegt nach „bis“ ({until}).")
    number = page_number(request)
    offset = (number - 1) * PAGE
    every_copy = request.args.get("alle") == "1"
    error = None
    if query:
        try:
            found = await run(
                datasette,
                lambda s: search(
                    s, query, ids, since, until, PAGE, offset, collapse=not every_copy
                ),
            )
        except SearchError as exc:
            found, error = None, str(exc)
    else:
        found = await run(
            datasette, lambda s: newest(s, ids, since, until, limit=PAGE, offset=offset)
        )
    params = {
        "q": query,
        "ministerium": chosen,
        "von": since,
        "bis": until,
        "alle": "1" if every_copy else None,
    }
    return await render(
        datasette,
        request,
        "pa_search.html",
        {
            "nav": "suche",
            "query": query,
            "params": params,
            "found": found,
            "error": error,
            "number": number,
            "offset": offset,
            "pages": pager(found.total if found else 0, PAGE),
            "ministries": await ministry_choices(datasette),
            "chosen": chosen,
            "sources": (datasette.plugin_config(PLUGIN) or {}).get("sources", []),
        },
        status=400 if error else 200,
    )


def pager(total: int, size: int) -> int:
    return max(1, -(-total // size))


@page
async def release_page(request, datasette):
    """``/release/<id>``: fields, source, citation, archived copy, attachments, versions."""
    release_id = request.url_vars["id"]
    data = await run(datasette, lambda s: records.release_page(s, release_id))
    if data is None:
        raise PageError(404, f"Keine Meldung mit der Kennung „{release_id}“.")
    if request.url_vars.get("format") == "json":
        return Response.json(data, default=str)
    known = authority()
    entry = known.entries.get(data["ministry_id"] or "")
    return await render(
        datasette,
        request,
        "pa_release.html",
        {
            "nav": "suche",
            "release": data,
            "entry": entry,
            "lineage": known.lineage(entry.id) if entry else [],
        },
    )


@page
async def version_page(request, datasette):
    """``/release/<id>/fassung/<n>``: one stored version as it was."""
    release_id, number = request.url_vars["id"], int(request.url_vars["number"])
    data = await run(datasette, lambda s: records.revision(s, release_id, number))
    if data is None:
        raise PageError(404, f"Die Meldung „{release_id}“ hat keine Fassung {number}.")
    fields = records.compare(data["fields"], data["fields"], None)
    return await render(
        datasette, request, "pa_version.html", {"nav": "suche", "v": data, "fields": fields}
    )


def version_arg(request, name: str, default: int) -> int:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    if not raw.isdigit():
        raise PageError(400, f"„{raw}“ ist keine Fassungsnummer.")
    return int(raw)


@page
async def diff_page(request, datasette):
    """``/release/<id>/diff?von=A&bis=B``: word differences between two versions."""
    release_id = request.url_vars["id"]
    latest = await run(datasette, lambda s: records.revision_count(s, release_id))
    if latest is None:
        raise PageError(404, f"Keine Meldung mit der Kennung „{release_id}“.")
    b = version_arg(request, "bis", latest)
    a = version_arg(request, "von", max(1, b - 1))
    full = request.args.get("voll") == "1"
    data = await run(
        datasette, lambda s: records.diff(s, release_id, a, b, None if full else records.CONTEXT)
    )
    if data is None:
        raise PageError(404, f"Die Meldung „{release_id}“ hat keine Fassungen {a} und {b}.")
    return await render(
        datasette, request, "pa_diff.html", {"nav": "aenderungen", "d": data, "full": full}
    )


@page
async def compare_page(request, datasette):
    """``/release/<id>/vergleich/<other>``: two releases compared word by word."""
    first, second = request.url_vars["id"], request.url_vars["other"]
    full = request.args.get("voll") == "1"
    context = None if full else records.CONTEXT
    data = await run(datasette, lambda s: records.compare_releases(s, first, second, context))
    if data is None:
        raise PageError(404, f"Keine Meldungen mit den Kennungen „{first}“ und „{second}“.")
    return await render(
        datasette, request, "pa_compare.html", {"nav": "suche", "c": data, "full": full}
    )


@page
async def edits_page(request, datasette):
    """``/aenderungen``: silent edits, newest first, filterable by ministry."""
    known = authority()
    chosen, ids = lineage_ids(request, known)
    number = page_number(request, LONG_PAGE)
    total, events = await run(
        datasette,
        lambda s: records.edits(s, ids, limit=LONG_PAGE, offset=(number - 1) * LONG_PAGE),
    )
    return await render(
        datasette,
        request,
        "pa_edits.html",
        {
            "nav": "aenderungen",
            "total": total,
            "events": events,
            "chosen": chosen,
            "number": number,
            "pages": pager(total, LONG_PAGE),
            "ministries": await ministry_choices(datasette),
        },
    )


@page
async def person_page(request, datasette):
    """``/person/<name>``: every release naming the person, offices over time."""
    name = unquote(request.url_vars["name"])
    number = page_number(request, LONG_PAGE)
    offset = (number - 1) * LONG_PAGE
    data = await run(datasette, lambda s: records.person(s, name, LONG_PAGE, offset))
    if data is None:
        raise PageError(404, f"Keine Meldung nennt „{name}“.")
    return await render(
        datasette,
        request,
        "pa_person.html",
        {
            "nav": "personen",
            "p": data,
            "number": number,
            "pages": pager(data["total"], LONG_PAGE),
        },
    )


@page
async def people_page(request, datasette):
    """``/personen?q=…``: the people named most often (or those whose name matches)."""
    query = (request.args.get("q") or "").strip()
    people = await run(datasette, lambda s: records.people(s, query or None))
    return await render(
        datasette,
        request,
        "pa_people.html",
        {"nav": "personen", "query": query, "people": people},
    )


@page
async def ministries_page(request, datasette):
    """``/ministerien``: every ministry with its names over time and release counts."""
    from scraper.ministries import overview

    counts = await run(datasette, release_counts)
    houses, unlinked = overview(authority(), counts, request.args.get("q"))
    return await render(
        datasette,
        request,
        "pa_ministries.html",
        {"nav": "ministerien", "houses": houses, "unlinked": unlinked},
    )


@page
async def ministry_page(request, datasette):
    """``/ministerium/<id>``: one house across its names, its releases and edits."""
    known = authority()
    entry_id = request.url_vars["id"]
    if entry_id not in known.entries:
        raise PageError(404, f"Kein Ministerium mit der Kennung „{entry_id}“.")
    chain = known.lineage(entry_id)
    ids = {e.id for e in chain}
    number = page_number(request, LONG_PAGE)
    total, releases = await run(
        datasette,
        lambda s: records.ministry_releases(s, ids, LONG_PAGE, (number - 1) * LONG_PAGE),
    )
    linked, _ = await run(datasette, release_counts)
    edit_total, edits = await run(datasette, lambda s: records.edits(s, ids, limit=5))
    return await render(
        datasette,
        request,
        "pa_ministry.html",
        {
            "nav": "ministerien",
            "entry": known.entries[entry_id],
            "chain": chain,
            "counts": {e.id: linked.get(e.id, {}).get("releases", 0) for e in chain},
            "total": total,
            "releases": releases,
            "edit_total": edit_total,
            "edits": edits,
            "number": number,
            "pages": pager(total, LONG_PAGE),
            "took": [(known.entries[src], what, e) for e in chain for src, what in e.took_over],
            "handed": [(taker, what, e) for e in chain for taker, what in known.handed_over(e.id)],
        },
    )


@page
async def copies_page(request, datasette):
    """``/mehrfach``: texts published more than once, the most recently grown group first."""
    number = page_number(request, LONG_PAGE)
    offset = (number - 1) * LONG_PAGE

    def read(session):
        return clusters.cluster_count(session), clusters.clusters(session, LONG_PAGE, offset)

    total, groups = await run(datasette, read)
    return await render(
        datasette,
        request,
        "pa_copies.html",
        {
            "nav": "mehrfach",
            "total": total,
            "groups": groups,
            "number": number,
            "pages": pager(total, LONG_PAGE),
        },
    )
