"""``bench export`` and ``bench ingest``: pressarchiv beside sqlite3 on the same data."""

from __future__ import annotations

import sqlite3
from contextlib import closing

import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from test_storage_helpers import drop_pg_schema, pg_url

from scraper.bench import export as bench_export
from scraper.cli.bench import bench


@pytest.mark.sqlite_only("bench export runs beside sqlite3 on the same archive file")
@pytest.mark.parametrize(
    ("shell", "formats"),
    [(True, ["jsonl", "json", "csv"]), (False, ["csv", "json"])],
    ids=["sqlite3", "python-sqlite3"],
)
def test_bench_export_reports_each_format_beside_the_reference(
    tmp_path, monkeypatch, shell, formats
):
    if shell and bench_export.reference_tool() != "sqlite3":
        pytest.skip("the sqlite3 program is not installed")
    if not shell:
        monkeypatch.setattr(bench_export.shutil, "which", lambda name: None)
    db = f"sqlite:///{tmp_path / 'b.sqlite'}"
    chosen = [arg for fmt in formats for arg in ("--format", fmt)]
    result = CliRunner().invoke(bench, ["export", "--releases", "600", "--db", db, *chosen])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    reference = "sqlite3" if shell else "python-sqlite3"
    assert lines[0] == f"600 releases; reference: {reference} on the same archive, same order"
    ours = {line.split()[1]: line.split() for line in lines if line.startswith("pressarchiv ")}
    refs = [line.split() for line in lines if line.startswith(reference + " ")]
    assert sorted(ours) == sorted(formats)
    sizes = {fmt: float(row[5]) for fmt, row in ours.items()}
    assert all(size > 0 for size in sizes.values())  # 600 releases are about 2 MB in each
    assert refs and all(float(row[-1]) > 0 for row in refs)
    ratios = [line.split() for line in lines if "x the reference's speed" in line]
    against = [(row[0].rstrip(":"), row[-1]) for row in ratios]
    expected = [(fmt, ref) for fmt in formats for ref in ("-json", "-csv")[: 1 + (fmt == "csv")]]
    assert against == expected  # -json for every format, CSV also beside -csv
    assert len(refs) == 2  # each reference ran once


def test_bench_export_needs_a_sqlite_file():
    result = CliRunner().invoke(bench, ["export", "--db", "postgresql+psycopg://u@h/db"])
    assert result.exit_code == 1 and "sqlite:///FILE" in result.stderr


@pytest.mark.sqlite_only(
    "bench ingest on SQLite; on PostgreSQL: test_bench_ingest_on_postgresql_copies_the_same_rows"
)
def test_bench_ingest_compares_the_archive_api_with_executemany(tmp_path):
    args = ["ingest", "--releases", "300", "--repeat", "2", "--folder", str(tmp_path)]
    result = CliRunner().invoke(bench, args)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("300 releases (") and "sqlite3 executemany" in lines[0]
    assert [line.split()[0] for line in lines[2:4]] == ["Archive.store", "sqlite3"]
    assert "x raw executemany" in lines[4] and lines[4].endswith("median of 2 runs")
    assert lines[5].startswith("each run: ") and lines[5].count("x") == 4
    with (
        closing(sqlite3.connect(tmp_path / "api.sqlite")) as api,
        closing(sqlite3.connect(tmp_path / "raw.sqlite")) as raw,
    ):
        for table in ("releases", "revisions", "release_persons", "attachments"):
            query = f"SELECT * FROM {table} ORDER BY 1, 2"
            assert api.execute(query).fetchall() == raw.execute(query).fetchall(), table
        search = "SELECT rowid FROM release_search WHERE release_search MATCH 'anlage'"
        assert api.execute(search).fetchall() == raw.execute(search).fetchall() != []


def test_bench_ingest_on_postgresql_copies_the_same_rows(request):
    url = pg_url()  # skips when no server answers (fails in CI)
    drop_pg_schema(url)
    server = sa.make_url(url).difference_update_query(["options"]).render_as_string(False)
    request.addfinalizer(lambda: _drop_bench_schemas(server))
    args = ["ingest", "--releases", "60", "--repeat", "1", "--db", server]
    result = CliRunner().invoke(bench, args)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert "PostgreSQL" in lines[0] and "psycopg executemany" in lines[0]
    assert [line.split()[0] for line in lines[2:4]] == ["Archive.store", "psycopg"]
    engine = sa.create_engine(server)
    with engine.connect() as conn:
        for table in ("releases", "revisions", "release_persons", "release_search"):
            api, raw = (
                conn.exec_driver_sql(f"SELECT * FROM {schema}.{table} ORDER BY 1").all()
                for schema in ("bench_ingest_api", "bench_ingest_raw")
            )
            assert api == raw != [], table
    engine.dispose()


def _drop_bench_schemas(server: str) -> None:
    engine = sa.create_engine(server)
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP SCHEMA IF EXISTS bench_ingest_api, bench_ingest_raw CASCADE")
    engine.dispose()


def test_bench_ingest_db_must_be_postgresql(tmp_path):
    result = CliRunner().invoke(bench, ["ingest", "--db", f"sqlite:///{tmp_path / 'a.sqlite'}"])
    assert result.exit_code == 1 and "postgresql" in result.stderr
