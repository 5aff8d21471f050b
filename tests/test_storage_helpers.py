"""Items shaped like the crawl contract, and archives on SQLite and PostgreSQL.

Imported by the other storage and export tests (``from test_storage_helpers import ...``).
"""

from __future__ import annotations

import gc
import os
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from storage import Archive

PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
T0 = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)

SEED_BODY = (
    "Anlässlich der diesjährigen Integrationskonferenz heute in Wetzlar hat Staatssekretär "
    "Kai Klose darauf hingewiesen, dass Frauen und Mädchen eine Schlüsselrolle zukomme.\n\n"
    "„Integration muss aktiv gestaltet werden“, betonte der Staatssekretär in der Straße."
)


def item(n: int = 1, **overrides) -> dict:
    """One crawled item; ``n`` varies url, date and title."""
    data = {
        "site": "hessen-soziales",
        "ministry": "Hessisches Ministerium für Soziales und Integration",
        "url": f"https://soziales.hessen.de/presse/meldung-{n}",
        "fetched_url": f"http://127.0.0.1:8000/soziales.hessen.de/presse/meldung-{n}",
        "fetched_at": T0 + timedelta(minutes=n),
        "kind": "Pressemitteilung",
        "number": None,
        "place": "Wiesbaden",
        "published": f"2024-03-{n % 28 + 1:02d}",
        "kicker": None,
        "title": f"Integrationskonferenz in Wetzlar Nr. {n}",
        "subtitle": "Staatssekretär Kai Klose: „Teilhabe für Mädchen stärken“",
        "dateline": "Wetzlar",
        "body": SEED_BODY,
        "contact": "Pressestelle HMSI, Telefon 0611 3219-0",
        "persons": [{"name": "Kai Klose", "role": "Staatssekretär"}],
        "profile": "hessen-soziales",
        "sources": {"published": "header"},
        "flags": [],
    }
    data.update(overrides)
    return data


TEST_DB = os.environ.get("PRESSARCHIV_TEST_DB", "").strip()
"""A PostgreSQL server URL: then the archive fixtures give each test a fresh schema there
(the PostgreSQL pass of the suite, see ``conftest.py``); unset, they use SQLite files."""
BACKEND = "postgresql" if TEST_DB else "sqlite"


def _server_url() -> sa.URL:
    url = sa.make_url(TEST_DB or PG_URL)
    return url.set(drivername="postgresql+psycopg") if url.drivername == "postgresql" else url


def pg_url() -> str:
    """A PostgreSQL URL on a fresh schema (the test is skipped when no server answers,
    except in CI, where a missing server is a failure)."""
    server = _server_url()
    engine = sa.create_engine(server, connect_args={"connect_timeout": 3})
    schema = f"pa_test_{uuid.uuid4().hex[:10]}"
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    except sa.exc.OperationalError as exc:
        if os.environ.get("CI"):
            raise
        pytest.skip(
            f"PostgreSQL at {server.host}:{server.port} unreachable: {str(exc).splitlines()[0]}"
        )
    finally:
        engine.dispose()
    url = server.update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False)


def drop_pg_schema(url: str) -> None:
    """Drop a test's schema. Connections the test left unreferenced are collected first (a
    leaked one in a transaction holds its locks until then); one still open makes the drop
    fail after ``lock_timeout`` ("canceling statement due to lock timeout") instead of
    hanging the suite."""
    schema = sa.make_url(url).query["options"].rsplit("=", 1)[1]
    gc.collect()
    engine = sa.create_engine(_server_url())
    with engine.begin() as conn:
        conn.exec_driver_sql("SET LOCAL lock_timeout = '60s'")
        conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
    engine.dispose()


def backend_fixture(func):
    """Marks a fixture as an archive (or an archive's URL) on the backend under test: the
    tests that use it, directly or through other fixtures, run in the PostgreSQL pass too."""
    func.follows_backend = True
    return func


def follows_switch(item) -> bool:
    """Whether a test's archives follow the backend switch: it is marked ``backends``, or
    one of its fixtures (its own or one they use) is marked by ``backend_fixture``, and it
    is not marked ``sqlite_only``."""
    if item.get_closest_marker("sqlite_only"):
        return False
    if item.get_closest_marker("backends"):
        return True
    info = getattr(item, "_fixtureinfo", None)
    return any(
        getattr(info.name2fixturedefs[name][-1].func, "follows_backend", False)
        for name in getattr(item, "fixturenames", ())
        if info and info.name2fixturedefs.get(name)
    )


def new_archive_url(request, folder: Path, name: str = "archive.sqlite") -> str:
    """Where a new, empty archive goes on the backend under test: a SQLite file in
    ``folder``, or (with ``PRESSARCHIV_TEST_DB``) a fresh schema, dropped when the
    ``request``'s fixture or test ends."""
    if not TEST_DB:
        return f"sqlite:///{folder / name}"
    url = pg_url()
    request.addfinalizer(lambda: drop_pg_schema(url))
    return url


@pytest.fixture(name="archive")
@backend_fixture
def archive_fixture(request, tmp_path):
    """An archive on the backend under test."""
    with Archive(new_archive_url(request, tmp_path)) as arch:
        yield arch


@pytest.fixture(name="any_archive", params=["postgresql"] if TEST_DB else ["sqlite", "postgresql"])
@backend_fixture
def any_archive_fixture(request, tmp_path):
    """An archive on each backend (only PostgreSQL in the PostgreSQL pass)."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'archive.sqlite'}"
    else:
        url = pg_url()
        request.addfinalizer(lambda: drop_pg_schema(url))
    with Archive(url) as arch:
        yield arch
