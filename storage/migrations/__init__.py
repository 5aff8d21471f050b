"""Alembic migrations of the archive, run by ``storage.engine.migrate``."""
