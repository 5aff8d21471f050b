"""The release archive: SQLAlchemy models, Alembic migrations and the Archive API.

``Archive``, ``StoreCounts`` and ``canonical_url`` load on first use, so that a module
that needs none of them (``storage.quick``: search on SQLite through the sqlite3 driver)
starts without SQLAlchemy."""

from storage.errors import ArchiveError, SearchError

__all__ = ["Archive", "ArchiveError", "SearchError", "StoreCounts", "canonical_url"]

_LAZY = {"Archive": "storage.archive", "StoreCounts": "storage.writer"}
_LAZY["canonical_url"] = "storage.urls"


def __getattr__(name: str):
    if name not in _LAZY:
        raise AttributeError(f"module 'storage' has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(_LAZY[name]), name)
