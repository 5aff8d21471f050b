"""Provenance per field in the archive: stored, exported, carried over from ``date_source``."""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import command
from test_storage_helpers import any_archive_fixture, archive_fixture, item  # noqa: F401

from exports.columns import csv_cell
from exports.dictionary import table_schema
from storage import Archive
from storage.engine import alembic_config

SOURCES = {"published": "json-ld", "title": "h1", "body": "trafilatura"}


def _migrate(conn, target: str, up: bool) -> None:
    config = alembic_config()
    conn.commit()
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
        conn.commit()
    with conn.begin():
        config.attributes["connection"] = conn
        (command.upgrade if up else command.downgrade)(config, target)


def test_sources_are_stored_and_exported(any_archive):
    any_archive.store([item(1, sources=SOURCES)])
    (row,) = any_archive.releases()
    assert row["sources"] == SOURCES


def test_date_source_is_carried_over_into_sources(any_archive):
    any_archive.store([item(1, sources={"published": "header", "title": "selector"}), item(2)])
    any_archive.store([item(3, sources={})])
    with any_archive.engine.connect() as conn:
        _migrate(conn, "0004_runs", up=False)
        old = dict(conn.execute(sa.text("SELECT url, date_source FROM releases")).all())
        assert sorted(old.values(), key=str) == [None, "header", "header"]
        _migrate(conn, "head", up=True)
        new = conn.execute(sa.text("SELECT url, sources FROM releases")).all()
    by_url = {url: json.loads(v) if isinstance(v, str) else v for url, v in new}
    assert by_url == {
        item(1)["url"]: {"published": "header"},
        item(2)["url"]: {"published": "header"},
        item(3)["url"]: {},
    }


def test_reopened_old_archive_reads_sources(db_url):
    url = db_url
    with Archive(url) as arch:
        arch.store([item(1)])
        with arch.engine.connect() as conn:
            _migrate(conn, "0004_runs", up=False)
    with Archive(url) as arch:  # opening migrates to the newest schema
        (row,) = arch.releases()
    assert row["sources"] == {"published": "header"}


def test_csv_cell_and_data_dictionary_name_the_sources():
    assert csv_cell("sources", SOURCES) == "published=json-ld | title=h1 | body=trafilatura"
    assert csv_cell("sources", {}) == ""
    csv_field = next(f for f in table_schema("csv")["fields"] if f["name"] == "sources")
    json_field = next(f for f in table_schema("json")["fields"] if f["name"] == "sources")
    assert (csv_field["type"], json_field["type"]) == ("string", "object")
    assert "published=json-ld" in csv_field["description"]
