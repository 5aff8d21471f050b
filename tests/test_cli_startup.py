"""`pressarchiv --help` and the read commands start without Scrapy (they run from cron)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from alembic import command
from test_storage_helpers import backend_fixture, item, new_archive_url

from storage import Archive
from storage.engine import alembic_config, make_engine
from storage.head import head_revision

RUN_AND_LIST_MODULES = """
import atexit, json, sys
atexit.register(lambda: print(json.dumps(sorted(sys.modules)), file=sys.stderr))
from scraper.cli import main
main(sys.argv[1:])
"""
CRAWL_ONLY = {"scrapy", "twisted", "lxml", "parsel", "bs4", "warcio", "pypdf"}


STORE_ONLY = {"numpy", "datasketch"}
"""Near-duplicate sketches: needed where texts are stored, not read."""


def run_listing_modules(*args: str) -> tuple[str, set[str]]:
    """The output of a ``pressarchiv`` run with ``args`` and every module it imported."""
    done = subprocess.run(
        [sys.executable, "-c", RUN_AND_LIST_MODULES, *args],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout, set(json.loads(done.stderr.splitlines()[-1]))


def all_modules_after(*args: str) -> set[str]:
    """Every module imported by a ``pressarchiv`` run with ``args``."""
    return run_listing_modules(*args)[1]


def modules_after(*args: str) -> set[str]:
    """Top-level packages imported by a ``pressarchiv`` run with ``args``."""
    return {name.split(".")[0] for name in all_modules_after(*args)}


def test_help_imports_no_library():
    loaded = modules_after("--help")
    assert loaded.isdisjoint(CRAWL_ONLY | {"sqlalchemy", "alembic", "storage", "datasette"})


@pytest.fixture(name="small_db")
@backend_fixture
def small_db_fixture(request, tmp_path):
    """A small archive's URL (on the backend under test) and the id of one of its releases."""
    url = new_archive_url(request, tmp_path, "small.sqlite")
    with Archive(url) as archive:
        archive.store([item(n) for n in range(1, 4)])
        return url, next(archive.releases())["id"]


@pytest.mark.parametrize(
    "command",
    [
        ["search", "Integration"],
        ["show", "{id}"],
        ["persons"],
        ["changes"],
        ["stats"],
        ["runs"],
        ["export", "--format", "jsonl"],
    ],
)
def test_read_commands_import_no_crawler(small_db, command):
    url, release_id = small_db
    args = [arg.format(id=release_id) for arg in command] + ["--db", url]
    every = all_modules_after(*args)
    loaded = {name.split(".")[0] for name in every}
    if command[0] != "search" or not url.startswith("sqlite"):
        assert "sqlalchemy" in loaded  # the command did read the archive
    heavy = CRAWL_ONLY | STORE_ONLY | {"alembic"}
    assert loaded.isdisjoint(heavy), loaded & heavy
    if url.startswith("sqlite"):  # the other backend's dialect stays unloaded
        assert "sqlalchemy.dialects.postgresql" not in every


@pytest.mark.sqlite_only("the sqlite3 driver reads SQLite archives only")
def test_search_on_sqlite_runs_without_sqlalchemy(tmp_path):
    """On a SQLite archive at the newest schema, ``search`` reads through the sqlite3
    driver (SQLAlchemy's import was two thirds of its start-up); with filters too."""
    url = f"sqlite:///{tmp_path / 'small.sqlite'}"
    with Archive(url) as archive:
        archive.store([item(n) for n in range(1, 4)])
    for extra in ([], ["--site", "hessen-soziales", "--since", "2000-01-01", "--format", "json"]):
        output, every = run_listing_modules("search", "Integration", *extra, "--db", url)
        assert "Integration" in output and "0 hits" not in output
        assert not any(name.split(".")[0] in ("sqlalchemy", "alembic") for name in every)


def test_search_on_other_archives_opens_them_with_sqlalchemy(small_db, tmp_path):
    """A SQLite file at an older schema version is migrated first, as every command does
    (and a PostgreSQL archive is read through SQLAlchemy)."""
    url, _ = small_db
    if url.startswith("sqlite"):
        url = f"sqlite:///{tmp_path / 'older.sqlite'}"
        engine = make_engine(url)
        config = alembic_config()
        with engine.begin() as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, "0016_postgres_size")
        engine.dispose()
    output, every = run_listing_modules("search", "Integration", "--db", url)
    assert output.startswith(("0 hits", "1 hit", "3 hits"))
    assert "sqlalchemy" in {name.split(".")[0] for name in every}
    with Archive(url) as archive, archive.engine.connect() as conn:
        version = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    assert version == head_revision()
