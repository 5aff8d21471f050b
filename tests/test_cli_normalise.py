"""``pressarchiv normalise`` through click's CliRunner."""

from __future__ import annotations

import json

from click.testing import CliRunner
from conftest import FILES

from scraper.cli.normalise import normalise
from scraper.normalise import FIELDS

PAGE = FILES / "hessen" / "integrationskonferenz-in-wetzlar.html"
TEXT = FILES / "text" / "seed-integrationskonferenz-in-wetzlar.txt"
KEYS = {*FIELDS, "profile", "sources", "flags", "uncertain", "source"}


def _run(*args, **kwargs):
    return CliRunner().invoke(normalise, [str(a) for a in args], **kwargs)


def test_one_page_prints_one_object():
    result = _run(PAGE)
    assert result.exit_code == 0, result.output
    record = json.loads(result.output)
    assert set(record) == KEYS
    assert record["title"] == "Integrationskonferenz in Wetzlar"
    assert record["published"] == "2018-09-25" and record["source"] == str(PAGE)
    assert "„Landesprogramm" in result.output  # not ASCII-escaped


def test_page_and_text_give_one_object_each():
    result = _run(PAGE, TEXT)
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.output.splitlines()]
    assert [r["source"] for r in records] == [str(PAGE), str(TEXT)]
    assert records[0]["body"] == records[1]["body"]


def test_stdin():
    result = _run("-", input=TEXT.read_text(encoding="utf-8"))
    record = json.loads(result.output)
    assert (record["dateline"], record["source"]) == ("Wetzlar", "-")


def test_url_chooses_the_profile():
    result = _run("--url", "https://innen.hessen.de/presse/x", PAGE)
    assert json.loads(result.output)["profile"] == "hessen-innen"


def test_unreadable_file_is_one_line_on_stderr(tmp_path):
    result = _run(tmp_path / "missing.html")
    assert result.exit_code != 0
    assert result.output.strip().splitlines() == [
        f"Error: cannot read {tmp_path / 'missing.html'}: No such file or directory"
    ]
    assert "Traceback" not in result.output


def test_bad_sites_dir(tmp_path):
    result = _run("--sites-dir", tmp_path / "nope", PAGE)
    assert result.exit_code != 0 and "sites directory not found" in result.output
