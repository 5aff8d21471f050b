"""Ingest speed on PostgreSQL: ``Archive.store`` beside psycopg's ``executemany``.

``run(db, count)`` makes two new schemas in the database of ``db`` (``SCHEMAS``, replaced
if present), stores ``count`` synthetic releases through ``Archive.store`` (batches of
500) into the first, then copies every row it wrote into the second (the same schema, made
by the same migrations) with psycopg's ``executemany``, one transaction per table, with
foreign-key and other triggers off (``session_replication_role = replica``). Values travel
as text and are parsed by the server, as they are for the archive. The rows are read
before the clock starts. CPU time is the client's plus that of the server processes of the
database (read from ``/proc``, so the server must run on this machine).
"""

from __future__ import annotations

import os
from pathlib import Path

import sqlalchemy as sa

from scraper.bench.ingest import SKIPPED, Timed, _clock, store
from storage.errors import ArchiveError

SCHEMAS = ("bench_ingest_api", "bench_ingest_raw")
_TICKS = os.sysconf("SC_CLK_TCK")


def _on_schema(db: str, schema: str) -> str:
    url = sa.make_url(db)
    return url.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
        hide_password=False
    )


def _server_cpu(conn: sa.Connection) -> dict[int, float]:
    """CPU seconds used so far by each server process of this database (but ``conn``'s)."""
    pids = (
        conn.exec_driver_sql(
            "SELECT pid FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        .scalars()
        .all()
    )
    conn.rollback()  # the next call's transaction sees the processes as they are then
    cpu = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # ended meanwhile
        cpu[pid] = (int(fields[11]) + int(fields[12])) / _TICKS
    return cpu


class _Clock:
    """Wall and CPU time of the client plus the database's server processes."""

    def __init__(self, monitor: sa.Connection):
        own = monitor.exec_driver_sql("SELECT pg_backend_pid()").scalar()
        monitor.rollback()
        if not Path(f"/proc/{own}/stat").exists():
            raise ArchiveError("bench ingest --db: the server must run on this machine")
        self.monitor = monitor
        self.start = _clock()
        self.server = _server_cpu(monitor)

    def stop(self, label: str) -> Timed:
        wall, cpu = _clock()
        server = sum(s - self.server.get(pid, 0.0) for pid, s in _server_cpu(self.monitor).items())
        return Timed(label, wall - self.start[0], cpu - self.start[1] + server)


def _copy(api: sa.Connection, raw: sa.Connection, monitor: sa.Connection) -> tuple[Timed, int]:
    """Every row of schema ``api`` into the same tables of ``raw``; the time and the rows."""
    tables = []
    names = api.exec_driver_sql(
        "SELECT table_name FROM information_schema.tables "
        "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1"
    ).scalars()
    for name in [n for n in names if n not in SKIPPED]:
        columns = api.exec_driver_sql(
            "SELECT column_name, identity_generation FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND table_name = %s "
            "AND is_generated = 'NEVER' ORDER BY ordinal_position",
            (name,),
        ).all()
        listed = ", ".join(f'"{c}"' for c, _ in columns)
        rows = api.exec_driver_sql(
            f'SELECT {", ".join(f"{chr(34)}{c}{chr(34)}::text" for c, _ in columns)} FROM "{name}"'
        ).all()
        overriding = " OVERRIDING SYSTEM VALUE" if any(g == "ALWAYS" for _, g in columns) else ""
        marks = ", ".join(["%s"] * len(columns))
        insert = f'INSERT INTO "{name}" ({listed}){overriding} VALUES ({marks})'
        tables.append((insert, [tuple(row) for row in rows]))
    cursor = raw.connection.dbapi_connection.cursor()
    clock = _Clock(monitor)
    for insert, rows in tables:
        cursor.execute("SET session_replication_role = replica")
        if rows:
            cursor.executemany(insert, rows)
        raw.connection.dbapi_connection.commit()
    return clock.stop("psycopg executemany"), sum(len(rows) for _, rows in tables)


def run(db: str, count: int) -> tuple[Timed, Timed, int]:
    """Store ``count`` releases both ways into new schemas of the database ``db``."""
    engine = sa.create_engine(db)
    try:
        with engine.connect() as conn:
            for schema in SCHEMAS:
                conn.exec_driver_sql(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
                conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
            conn.commit()
        api_url, raw_url = (_on_schema(db, schema) for schema in SCHEMAS)
        from storage import Archive

        Archive(raw_url).close()  # the same schema, empty
        with engine.connect() as monitor:
            timed = store(api_url, count, lambda: _Clock(monitor))
            api_engine, raw_engine = sa.create_engine(api_url), sa.create_engine(raw_url)
            try:
                with api_engine.connect() as api, raw_engine.connect() as raw:
                    reference, rows = _copy(api, raw, monitor)
            finally:
                api_engine.dispose()
                raw_engine.dispose()
        return timed, reference, rows
    except sa.exc.SQLAlchemyError as exc:
        raise ArchiveError(f"bench ingest --db: {str(exc.orig or exc).splitlines()[0]}") from exc
    finally:
        engine.dispose()
