"""The newest migration's revision id, read from the files (no Alembic, no SQLAlchemy)."""

from __future__ import annotations

import re
from importlib.resources import files

MIGRATIONS = files("storage") / "migrations"
_MIGRATION_FILE = re.compile(r"\d{4}_\w+\.py")
_REVISION = re.compile(r"^revision\s*=\s*[\"']([^\"']+)[\"']", re.MULTILINE)


def head_revision() -> str:
    """The newest migration's revision id, read from the highest-numbered file.

    Migrations are named ``NNNN_<topic>.py`` and each follows the one before, so the
    highest number is the head; ``tests/test_storage_archive.py`` checks this against
    Alembic's own view.
    """
    versions = MIGRATIONS / "versions"
    newest = max(p.name for p in versions.iterdir() if _MIGRATION_FILE.fullmatch(p.name))
    return _REVISION.search((versions / newest).read_text(encoding="utf-8")).group(1)
