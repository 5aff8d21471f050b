"""The search, show, persons, changes, stats and bench-search commands (CliRunner)."""

import csv
import io
import json
import re
from datetime import timedelta

import pytest
from click.testing import CliRunner
from test_storage_helpers import T0, item

from scraper.cli.bench_search import bench_search
from scraper.cli.search import changes, persons, search, show, stats
from storage import Archive


@pytest.fixture
def db(db_url):
    url = db_url
    with Archive(url) as archive:
        archive.store([item(1), item(2, title="Grundschule eröffnet", body="=Kita und Schule.")])
        edited = item(1, body=item(1)["body"].replace("muss", "soll"), fetched_at=T0 + timedelta(1))
        archive.store([edited])
        ids = {row["title"]: row["id"] for row in archive.releases()}
    return url, ids


def run(command, *args):
    return CliRunner().invoke(command, [str(a) for a in args])


def test_search_table_marks_hits(db):
    url, ids = db
    result = run(search, "Integration", "--db", url)
    assert result.exit_code == 0, result.output
    assert ids["Integrationskonferenz in Wetzlar Nr. 1"] in result.stdout
    assert "**Integrationskonferenz**" in result.stdout and "2024-03-02" in result.stdout


def test_search_json_and_csv(db):
    url, ids = db
    result = run(search, "Schule", "--format", "json", "--db", url)
    found = json.loads(result.stdout)
    assert found["query"] == "Schule" and found["total"] == 1 and not found["capped"]
    (hit,) = found["hits"]
    assert hit["id"] == ids["Grundschule eröffnet"] and "**Schule**" in hit["snippet"]
    assert hit["url"] == "https://soziales.hessen.de/presse/meldung-2"
    result = run(search, "Schule OR Maedchen", "--format", "csv", "--limit", "1", "--db", url)
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 1 and list(rows[0])[:5] == ["id", "published", "ministry", "title", "url"]
    assert result.stderr == "2 hits\n"


def test_search_table_shows_count_and_url(db):
    url, _ = db
    result = run(search, "Pressestelle", "--limit", "1", "--db", url)
    assert result.stdout.startswith("2 hits, showing the first 1\n")
    assert "    https://soziales.hessen.de/presse/meldung-" in result.stdout
    excluded = run(search, "Grundschule", "-Kita", "--format", "json", "--db", url)
    assert json.loads(excluded.stdout) == {
        "query": "Grundschule -Kita", "total": 0, "capped": False, "folded": 0, "hits": []
    }  # fmt: skip
    assert run(search, "Grundschule", "--db", url).stdout.startswith("1 hit\n")


def test_search_filters_on_the_command_line(db):
    url, _ = db
    args = ["Pressestelle", "--format", "json", "--db", url]

    def hits(*args):
        return json.loads(run(search, *args).stdout)["hits"]

    assert len(hits(*args)) == 2
    assert hits(*args, "--person", "niemand") == []
    assert len(hits(*args, "--since", "2024-03-03")) == 1
    assert len(hits(*args, "--kind", "Pressemitteilung")) == 2
    assert len(hits(*args, "--ministry", "Soziales")) == 2
    assert hits(*args, "--site", "hessen-innen") == []


@pytest.mark.parametrize(
    "args, message",
    [
        (['"offen'], "a quote is not closed"),
        (["NOT Schule"], "NOT needs a term"),
        (["-x"], "NOT needs a term"),
        (["die", "und"], "only stop words (die, und)"),
        (["Schule", "--since", "03.03.2024"], "--since: '03.03.2024' is not a date"),
        (["Schule", "--db", "nonsense://"], "cannot open archive"),
    ],
)
def test_search_errors_are_one_line(db, args, message):
    url, _ = db
    result = run(search, *args, *(["--db", url] if "--db" not in args else []))
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and message in result.stderr


def test_show_text_and_json(db):
    url, ids = db
    release_id = ids["Integrationskonferenz in Wetzlar Nr. 1"]
    result = run(show, release_id, "--db", url)
    assert result.exit_code == 0
    assert "Kai Klose (Staatssekretär)" in result.stdout
    assert "revision 2" in result.stdout and "[-muss-] {+soll+}" in result.stdout
    data = json.loads(run(show, release_id, "--format", "json", "--db", url).stdout)
    assert [r["number"] for r in data["revisions"]] == [1, 2] and data["urls"]
    result = run(show, "0000000000000000", "--db", url)
    assert result.exit_code == 1 and "no release with id" in result.stderr


def test_persons_formats(db):
    url, _ = db
    result = run(persons, "--db", url)
    assert result.stdout.splitlines()[0].split() == ["name", "roles", "releases", "first", "last"]
    assert "Kai Klose" in result.stdout
    (person,) = json.loads(
        run(persons, "--search", "klose", "--format", "json", "--db", url).stdout
    )
    assert person["releases"] == 2 and person["roles"] == ["Staatssekretär"]
    rows = list(csv.DictReader(io.StringIO(run(persons, "--format", "csv", "--db", url).stdout)))
    assert rows[0]["roles"] == "Staatssekretär"


def test_changes_formats(db):
    url, ids = db
    result = run(changes, "--db", url)
    assert ids["Integrationskonferenz in Wetzlar Nr. 1"] in result.stdout
    assert "[-muss-] {+soll+}" in result.stdout
    (edited,) = json.loads(run(changes, "--format", "json", "--db", url).stdout)
    assert edited["changes"][0]["to"] == 2
    rows = list(csv.DictReader(io.StringIO(run(changes, "--format", "csv", "--db", url).stdout)))
    assert rows[0]["field"] == "body"
    result = run(changes, "--since", "2030-01-01", "--db", url)
    assert result.exit_code == 0 and "no edited releases" in result.stderr
    assert run(changes, "--since", "bald", "--db", url).exit_code == 1


def test_stats_formats(db):
    url, _ = db
    result = run(stats, "--db", url)
    assert (
        "releases" in result.stdout and "2024-03" in result.stdout and "100.0% (2)" in result.stdout
    )
    data = json.loads(run(stats, "--format", "json", "--db", url).stdout)
    assert data["releases"] == 2 and data["fields"]["number"]["rate"] == 0.0
    rows = list(csv.DictReader(io.StringIO(run(stats, "--format", "csv", "--db", url).stdout)))
    assert {"section": "total", "key": "releases", "value": "2"} in rows


def test_csv_output_neutralises_formulas(db):
    url, _ = db
    with Archive(url) as archive:
        archive.store([item(5, title='=HYPERLINK("http://x")', body="Kita")])
    result = run(search, "Kita", "--format", "csv", "--db", url)
    titles = [row["title"] for row in csv.DictReader(io.StringIO(result.stdout))]
    assert titles == ['\'=HYPERLINK("http://x")', "Grundschule eröffnet"]


def test_bench_search_reports_percentiles(db_url):
    url = db_url
    result = run(bench_search, "--releases", 300, "--queries", 5, "--db", url)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "300 releases, 5 queries per class"
    assert lines[1].startswith("load average")
    assert [line.split()[0] for line in lines[2:6]] == ["rare", "common", "phrase", "show"]
    assert all("p95" in line and "p99" in line and "cpu p95" in line for line in lines[2:6])
    size = re.fullmatch(
        r"size: ([\d.]+) MB per 1,000 releases \(releases ([\d.]+), revisions ([\d.]+), "
        r"search index ([\d.]+), other ([\d.]+)\)",
        lines[6],
    )
    assert size, lines[6]
    total, *parts = map(float, size.groups())
    assert all(part > 0 for part in parts) and abs(total - sum(parts)) < 0.05
    assert lines[7].startswith("relevance: 20/20 queries rank their release in the top 3, ")
    again = run(bench_search, "--releases", 300, "--queries", 5, "--db", url)
    assert "generating" not in again.stderr  # reuses the archive
