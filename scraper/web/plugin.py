"""Datasette hooks for the archive: facets, German search, source links, revision lists."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

from datasette import hookimpl
from datasette.utils import tilde_decode
from datasette.utils.asgi import BadRequest
from markupsafe import Markup, escape

from scraper.web.facets import MinistryFacet, MonthFacet, PersonFacet
from scraper.web.metadata import ARCHIVE
from scraper.web.search import check_query, match_function
from storage import SearchError

LINK_COLUMNS = {
    ("releases", "url"),
    ("release_urls", "url"),
    ("revisions", "fetched_url"),
    ("attachments", "url"),
    ("attachments", "fetched_url"),
    ("failures", "url"),
}


@hookimpl
def register_routes():
    from scraper.web.routes import ROUTES

    return ROUTES


@hookimpl
def asgi_wrapper(datasette):
    from scraper.web.paging import tie_break

    return tie_break


@hookimpl
def prepare_jinja2_environment(env):
    from scraper.web.filters import FILTERS, GLOBALS

    env.filters.update(FILTERS)
    env.globals.update(GLOBALS)


@hookimpl
def register_facet_classes():
    return [MonthFacet, PersonFacet, MinistryFacet]


@hookimpl(trylast=True)  # after Datasette's own escape_fts, so this one wins
def prepare_connection(conn, database):
    if database == ARCHIVE:
        conn.create_function("escape_fts", 1, match_function(conn))


@hookimpl
def filters_from_request(request, database):
    """A search the parser rejects gets its one-line message instead of an SQL error."""
    if database != ARCHIVE:
        return None
    for key in request.args:
        if key.startswith("_search") and key != "_searchmode" and request.args[key].strip():
            try:
                check_query(request.args[key])
            except SearchError as exc:
                raise BadRequest(f"Suche: {exc}") from None
    return None


def source_link(url: str) -> Markup:
    """An outgoing link showing host and path."""
    parts = urlsplit(url)
    label = parts.netloc + parts.path + (f"?{parts.query}" if parts.query else "")
    return Markup(
        f'<a class="source-link" href="{escape(url)}" rel="noopener noreferrer">{escape(label)}</a>'
    )


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    if database != ARCHIVE or not isinstance(value, str):
        return None
    if (table, column) == ("releases", "title") and "id" in row.keys():  # noqa: SIM118 (a Row)
        href = f"/release/{row['id']}"
        return Markup(f'<a class="release-link" href="{escape(href)}">{escape(value)}</a>')
    if (table, column) in LINK_COLUMNS and value.startswith(("https://", "http://")):
        return source_link(value)
    if (table, column) == ("releases", "persons"):
        persons = json.loads(value or "[]")
        return "; ".join(p["name"] + (f" ({p['role']})" if p.get("role") else "") for p in persons)
    return None


@hookimpl
def extra_template_vars(view_name, database, table, request, datasette):
    """The revisions of the release shown on its row page."""
    if view_name != "row" or database != ARCHIVE or table != "releases":
        return {}

    async def revisions():
        rows = await datasette.get_database(ARCHIVE).execute(
            # every column: archives of older schema versions lack source and note
            "select * from revisions where release_pk = ? order by number",
            [tilde_decode(request.url_vars["pks"])],
        )
        return {"revisions": [dict(row) for row in rows]}

    return revisions
