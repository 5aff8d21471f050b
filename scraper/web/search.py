"""German full-text search from Datasette's search box, with the archive's own query rules.

Datasette turns the search box text into an FTS5 expression with the SQL function
``escape_fts``. On archive connections that function is replaced by the storage parser and
compiler, so the box understands what ``pressarchiv search`` does: umlauts and ß folded,
a word finds its compounds, "phrases", AND/OR/NOT (UND/ODER/NICHT) and ``Integr*``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from storage.query import parse
from storage.search_index import index_for
from storage.sqlread import DriverReads


def check_query(query: str) -> None:
    """Raise ``storage.SearchError`` (one line) for a query the parser rejects."""
    parse(query)


def match_function(conn: sqlite3.Connection) -> Callable[[str], str]:
    """``escape_fts`` for ``conn``: the search box text compiled to an FTS5 expression.

    Compound words are expanded through the archive's vocabulary, read on ``conn`` itself.
    """
    reads = DriverReads(conn)

    def match(query: str) -> str:
        return index_for(reads).compile(parse(query))

    return match
