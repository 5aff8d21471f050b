"""Sorted table pages in Datasette: the first page ordered like the pages after it.

Datasette 0.65 orders a sorted table's first page by the sort column alone and adds the
primary key as tie-breaker only from the second page on (``?_next=``). Rows sharing a value
(many releases of one date) then come in index order on the first page and in pk order on
the next, and a release can be skipped or shown twice. The wrapper below gives a first
page of such a table a ``_next`` that starts before every row, so that Datasette adds the
tie-breaker there too: the desc sort starts below a value above every text and number, the
ascending one at the null values (sorted first) with pk > 0.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode

from datasette.utils import tilde_encode

from scraper.web.metadata import ARCHIVE, DEFAULT_SORT_DESC

PK_TABLES = {"releases", "revisions", "release_persons", "attachments"}
"""Tables whose primary key is one integer column ``pk`` (from 1 up)."""
TABLE_PAGE = re.compile(rf"^/{ARCHIVE}/(?P<table>[a-z_]+)(\.(json|csv))?$")
ABOVE_ALL = tilde_encode("\U0010ffff")
"""Sorts after every text (and texts after every number in SQLite)."""


def first_page_query(path: str, query_string: bytes) -> bytes:
    """The query string of a sorted table page, with a ``_next`` from the top when it has none."""
    found = TABLE_PAGE.match(path)
    if not found or found["table"] not in PK_TABLES:
        return query_string
    args = parse_qsl(query_string.decode("latin-1"), keep_blank_values=True)
    names = {name for name, _ in args}
    if "_next" in names:
        return query_string
    if "_sort" in names:
        start = "$null"
    elif "_sort_desc" in names or found["table"] in DEFAULT_SORT_DESC:
        start = ABOVE_ALL
    else:
        return query_string
    return urlencode([*args, ("_next", f"{start},0")], safe="$~,").encode("latin-1")


def tie_break(app):
    """ASGI wrapper applying ``first_page_query`` to every HTTP request."""

    async def wrapped(scope, receive, send):
        if scope["type"] == "http":
            query = first_page_query(scope["path"], scope.get("query_string", b""))
            scope = dict(scope, query_string=query)
        await app(scope, receive, send)

    return wrapped
