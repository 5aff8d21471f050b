"""Browse the archive read-only in Datasette (the ``web`` extra).

``datasette_app(path)`` builds the configured instance: the SQLite file opened read-only
(``mode=ro``, not immutable: a crawl may write to it meanwhile; the archive is in WAL mode,
so readers see the last committed state and new releases without a restart) as database
``archive``, the metadata of ``scraper.web.metadata``, the hooks of
``scraper.web.plugin`` (the journalist's pages at ``/``, ``/release/<id>`` …, see
``scraper.web.views``) and the templates and static files beside them.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path
from urllib.parse import urlsplit

from datasette.app import Datasette
from datasette.database import Database
from datasette.plugins import pm

from scraper.evidence.paths import default_warc_dir
from scraper.ministries import AuthorityError, load_authority
from scraper.web import plugin
from scraper.web.metadata import ARCHIVE, FTS_TABLE, PLUGIN, metadata
from storage.mirror import mirrored_warc_dir

TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"
# facets and counts of a common word over 100,000 releases take about a second
SETTINGS = {
    "truncate_cells_html": 160,
    "suggest_facets": False,
    "default_page_size": 50,
    "facet_time_limit_ms": 1000,
    "sql_time_limit_ms": 3000,
}
# one release per site names the ministry and the site address (index scans only)
SOURCES_SQL = """
select coalesce((select ministry from releases where site = s.site limit 1), site),
       (select url from releases where site = s.site limit 1)
from (select distinct site from releases) as s order by site
"""


class WebError(Exception):
    """The file cannot be served as an archive (one-line message)."""


def read_archive(path: str | Path) -> tuple[list[tuple[str, str]], bool]:
    """The ``(ministry, site address)`` sources in the archive and whether it has search."""
    uri = Path(path).resolve().as_uri() + "?mode=ro"
    try:
        with closing(sqlite3.connect(uri, uri=True)) as conn:
            tables = {name for (name,) in conn.execute("select name from sqlite_master")}
            if "releases" not in tables:
                raise WebError(f"{path} is not a pressarchiv archive (no releases table)")
            rows = conn.execute(SOURCES_SQL).fetchall()
    except sqlite3.DatabaseError as exc:
        raise WebError(f"cannot read {path}: {exc}") from None
    sources = [(name, "{0.scheme}://{0.netloc}".format(urlsplit(url))) for name, url in rows]
    return sources, FTS_TABLE in tables


def datasette_app(path: str | Path, warc_dir: str | Path | None = None) -> Datasette:
    """A Datasette serving the archive at ``path`` read-only (``.app()`` is the ASGI app).

    ``warc_dir`` holds the archived copies (default: the folder a mirror recorded, see
    ``storage.mirror``, else ``<archive>.warc`` beside the file).
    """
    sources, search = read_archive(path)
    try:
        load_authority()
    except AuthorityError as exc:
        raise WebError(f"ministries authority file: {exc}") from None
    if not pm.is_registered(plugin):
        pm.register(plugin, name=PLUGIN)
    warcs = (
        warc_dir or mirrored_warc_dir(path) or default_warc_dir(f"sqlite:///{Path(path).resolve()}")
    )
    plugin_config = {"warc_dir": str(warcs), "sources": sources}
    config = metadata(sources, search) | {"plugins": {PLUGIN: plugin_config}}
    ds = Datasette(
        metadata=config,
        template_dir=str(TEMPLATES),
        static_mounts=[("pa-static", str(STATIC))],
        settings=SETTINGS,
    )
    ds.add_database(Database(ds, path=str(path), is_mutable=True), name=ARCHIVE)
    ds.remove_database("_memory")
    return ds
