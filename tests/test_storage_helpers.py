"""Items shaped like the crawl contract, and archives on SQLite and PostgreSQL.

Imported by the other storage and export tests (``from test_storage_helpers import ...``).
"""

from __future__ import annotations

import os
import uuid
from datetime import UTC, datetime, timedelta

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


def pg_url() -> str:
    """A PostgreSQL URL on a fresh schema (the test is skipped when no server answers)."""
    engine = sa.create_engine(PG_URL, connect_args={"connect_timeout": 3})
    schema = f"pa_test_{uuid.uuid4().hex[:10]}"
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    except sa.exc.OperationalError as exc:
        if os.environ.get("CI"):  # CI has the server: there, a missing one is a failure
            raise
        pytest.skip(f"PostgreSQL at 127.0.0.1:5432 unreachable: {str(exc).splitlines()[0]}")
    finally:
        engine.dispose()
    return f"{PG_URL}?options=-csearch_path%3D{schema}"


def drop_pg_schema(url: str) -> None:
    schema = url.rsplit("%3D", 1)[1]
    engine = sa.create_engine(PG_URL)
    with engine.begin() as conn:
        conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
    engine.dispose()


@pytest.fixture(name="archive")
def archive_fixture(tmp_path):
    with Archive(f"sqlite:///{tmp_path / 'archive.sqlite'}") as arch:
        yield arch


@pytest.fixture(name="any_archive", params=["sqlite", "postgresql"])
def any_archive_fixture(request, tmp_path):
    """An archive on each backend."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'archive.sqlite'}"
    else:
        url = pg_url()
        request.addfinalizer(lambda: drop_pg_schema(url))
    with Archive(url) as arch:
        yield arch
