"""Exports for scheduled jobs: --since-last marks, manifest, data dictionary, citation,
and a quiet end when the reader of stdout goes away."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys

import pytest
from click.testing import CliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session
from test_storage_helpers import any_archive_fixture, archive_fixture, item  # noqa: F401

from exports import EXPORT_COLUMNS
from exports.citation import citation
from exports.dictionary import COLUMNS
from exports.marks import mark_of, move_mark
from exports.rows import export_rows, last_revision
from scraper.cli.export import export
from storage import Archive
from storage.models import ExportMark

WARC = {"file": "pressarchiv-1.warc.gz", "offset": 1234, "digest": "sha1:ABC"}


def run(archive: Archive, *args: str):
    result = CliRunner().invoke(export, [*args, "--db", str(archive.engine.url)])
    assert result.exit_code == 0, result.output
    return result


def mark(archive: Archive, name: str) -> ExportMark | None:
    with Session(archive.engine) as session:
        return session.scalar(select(ExportMark).where(ExportMark.name == name))


@pytest.fixture
def filled(archive):
    archive.store([item(n, warc=WARC) for n in (1, 2, 3)])
    return archive


def exported_ids(path) -> list[str]:
    return [json.loads(line)["id"] for line in path.read_text(encoding="utf-8").splitlines()]


def test_since_last_writes_only_what_is_new_or_changed(filled, tmp_path):
    out = tmp_path / "nightly.jsonl"
    args = ["--format", "jsonl", "-o", str(out), "--since-last", "nightly"]
    run(filled, *args)
    assert len(exported_ids(out)) == 3 and mark(filled, "nightly").revision_pk == 3
    run(filled, *args)
    assert exported_ids(out) == []
    filled.store([item(2, body="Ein geänderter Text."), item(4)])
    run(filled, *args)
    changed = {r["id"] for r in filled.releases() if r["url"].endswith(("-2", "-4"))}
    assert set(exported_ids(out)) == changed
    assert mark(filled, "nightly").revision_pk == 5 and mark(filled, "nightly").rows == 2
    assert mark(filled, "other") is None  # names are independent


def test_marks_rows_and_reparse_revisions_on_every_backend(any_archive):
    any_archive.store([item(n, warc=WARC) for n in (1, 2)])
    through = last_revision(any_archive)
    assert [r["archived_copy"] for r in export_rows(any_archive, after=0)] == [
        "warc:pressarchiv-1.warc.gz#1234"
    ] * 2
    move_mark(any_archive, "b", through, 2, None)
    assert (
        mark_of(any_archive, "b") == through and list(export_rows(any_archive, after=through)) == []
    )
    release_id = next(any_archive.releases())["id"]
    assert any_archive.store_reparses([(release_id, item(1, title="Neu", warc=WARC))], "n2") == 1
    (row,) = export_rows(any_archive, after=through)
    assert row["title"] == "Neu" and row["archived_copy"].endswith("#1234")
    assert [r["source"] for r in any_archive.revisions(release_id)] == ["crawl", "reparse"]


def test_a_failed_export_does_not_move_the_mark(filled, tmp_path):
    run(filled, "--format", "jsonl", "-o", str(tmp_path / "a.jsonl"), "--since-last", "job")
    filled.store([item(5)])
    missing = tmp_path / "no-such-folder" / "b.jsonl"
    result = CliRunner().invoke(
        export, ["-o", str(missing), "--since-last", "job", "--db", str(filled.engine.url)]
    )
    assert result.exit_code == 1 and mark(filled, "job").revision_pk == 3
    run(filled, "--format", "jsonl", "-o", str(tmp_path / "c.jsonl"), "--since-last", "job")
    assert len(exported_ids(tmp_path / "c.jsonl")) == 1


def test_stdout_since_last_moves_the_mark_after_the_last_row(filled):
    result = run(filled, "--format", "jsonl", "--since-last", "pipe")
    assert len(result.stdout.splitlines()) == 3 and mark(filled, "pipe").revision_pk == 3


def test_manifest_describes_the_file(filled, tmp_path):
    out = tmp_path / "export.csv"
    run(filled, "-o", str(out), "--since", "2024-03-03", "--since-last", "m")
    manifest = json.loads((tmp_path / "export.csv.manifest.json").read_text(encoding="utf-8"))
    assert manifest["count"] == 2 and manifest["format"] == "csv"
    assert manifest["sha256"] == hashlib.sha256(out.read_bytes()).hexdigest()
    assert manifest["bytes"] == out.stat().st_size
    assert manifest["query"] == {
        "site": None, "since": "2024-03-03", "until": None, "since_last": "m"
    }  # fmt: skip
    assert manifest["published"] == {"min": "2024-03-03", "max": "2024-03-04"}
    assert manifest["revisions"] == {"after": 0, "through": 3}
    assert manifest["schema_version"] == 5 and manifest["software"].startswith("pressarchiv ")
    assert manifest["generated_at"] and manifest["data_dictionary"] == "export.csv.datapackage.json"


@pytest.mark.parametrize("fmt, persons_type", [("csv", "string"), ("json", "array")])
def test_data_dictionary_is_a_frictionless_package(filled, tmp_path, fmt, persons_type):
    out = tmp_path / f"export.{fmt}"
    run(filled, "--format", fmt, "-o", str(out))
    package = json.loads((tmp_path / f"export.{fmt}.datapackage.json").read_text("utf-8"))
    (resource,) = package["resources"]
    assert resource["path"] == out.name and resource["format"] == fmt
    assert resource["hash"] == "sha256:" + hashlib.sha256(out.read_bytes()).hexdigest()
    fields = {f["name"]: f for f in resource["schema"]["fields"]}
    assert list(fields) == list(EXPORT_COLUMNS)
    assert all(f["description"] for f in fields.values())
    assert fields["published"]["type"] == "date" and fields["persons"]["type"] == persons_type


def test_every_column_is_in_the_dictionary():
    assert tuple(COLUMNS) == EXPORT_COLUMNS


def test_rows_carry_archived_copy_and_citation(filled):
    rows = json.loads(run(filled, "--format", "json").stdout)
    assert rows[0]["archived_copy"] == "warc:pressarchiv-1.warc.gz#1234"
    assert rows[0]["citation"] == (
        "Hessisches Ministerium für Soziales und Integration: "
        "„Integrationskonferenz in Wetzlar Nr. 1“. Wiesbaden, 02.03.2024. "
        "https://soziales.hessen.de/presse/meldung-1 "
        "(archiviert am 2026-01-05, warc:pressarchiv-1.warc.gz#1234)"
    )
    assert rows[0]["attachments"] == []


def test_citation_leaves_out_what_is_missing():
    row = {"ministry": None, "title": "Titel", "place": None, "published": None,
           "url": "https://x.de/1", "archived_copy": None}  # fmt: skip
    assert citation(row, None) == "„Titel“. https://x.de/1"


def test_a_closed_pipe_ends_the_export_quietly(db_url):
    db = db_url
    with Archive(db) as archive:  # about 1 MB of JSON Lines, far more than a pipe buffers
        archive.store([item(n, body="Absatz. " * 120) for n in range(1, 1001)])
    process = subprocess.Popen(
        [sys.executable, "-m", "scraper.cli", "export", "--format", "jsonl", "--db", db,
         "--since-last", "head"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    process.stdout.readline()
    process.stdout.close()  # what `| head -1` does
    stderr = process.stderr.read().decode()
    assert process.wait(timeout=60) == 141
    assert stderr == ""
    with Archive(db) as archive:
        assert mark(archive, "head") is None
