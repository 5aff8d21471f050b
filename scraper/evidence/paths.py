"""Where the WARC files of an archive live."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import make_url


def default_warc_dir(db_url: str) -> Path:
    """``<archive>.warc/`` beside a SQLite archive file, else ``warc/`` in the working folder.

    ``sqlite:///data/pressarchiv.sqlite`` keeps its WARC files in ``data/pressarchiv.warc/``.
    """
    url = make_url(db_url)
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        return Path(url.database).with_suffix(".warc")
    return Path("warc")


def warc_dir_for(db_url: str, warc_dir: str | Path | None = None) -> Path:
    """``warc_dir`` when given, else the archive's default folder."""
    return Path(warc_dir) if warc_dir else default_warc_dir(db_url)
