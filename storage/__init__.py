"""The release archive: SQLAlchemy models, Alembic migrations and the Archive API."""

from storage.archive import Archive
from storage.errors import ArchiveError, SearchError
from storage.urls import canonical_url
from storage.writer import StoreCounts

__all__ = ["Archive", "ArchiveError", "SearchError", "StoreCounts", "canonical_url"]
