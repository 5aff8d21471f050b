"""Where the WARC files of an archive live, and where a response's record is."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import make_url


def default_warc_dir(db_url: str) -> Path | None:
    """``<archive>.warc/`` beside a SQLite archive file, else ``warc/`` in the working folder.

    ``sqlite:///data/pressarchiv.sqlite`` keeps its WARC files in ``data/pressarchiv.warc/``.
    An in-memory SQLite archive (a throwaway, e.g. ``sites --check``) gets None: no WARC files.
    """
    url = make_url(db_url)
    if url.get_backend_name() != "sqlite":
        return Path("warc")
    if url.database in (None, "", ":memory:"):
        return None
    return Path(url.database).with_suffix(".warc")


def warc_dir_for(db_url: str, warc_dir: str | Path | None = None) -> Path | None:
    """``warc_dir`` when given, else the archive's default folder."""
    return Path(warc_dir) if warc_dir else default_warc_dir(db_url)


def warc_pointer(response) -> dict | None:
    """The WARC record the middleware wrote for ``response`` (None for a response that
    did not come through a crawl, such as a saved page in a test)."""
    request = getattr(response, "request", None)
    return request.meta.get("warc") if request is not None else None
