import csv
import io
import json
from datetime import UTC, datetime

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session
from test_storage_helpers import any_archive_fixture, archive_fixture, item  # noqa: F401

import exports
from exports import EXPORT_COLUMNS
from exports.columns import _FORMULA, csv_cell, has_formula
from exports.rows import export_rows
from scraper.cli.export import export
from storage import Archive
from storage.models import Release

UMLAUT_TITLE = "Förderung für Mädchen an der Straße – „Größe zeigen“"


def rows_of(arch):
    return list(arch.releases())


@pytest.fixture
def filled(archive):
    persons = [{"name": "Kai Klose", "role": "Staatssekretär"}, {"name": "Anna Muster"}]
    archive.store(
        [
            item(1, title=UMLAUT_TITLE),
            item(2, body="- erster Punkt\n- zweiter Punkt", kicker='=HYPERLINK("x")'),
            item(3, persons=persons),
        ]
    )
    moved = "https://soziales.hessen.de/presse/pressearchiv/meldung-3"
    assert archive.store([item(3, url=moved, persons=persons)]).unchanged == 1
    return archive


def csv_rows(text):
    return list(csv.DictReader(io.StringIO(text, newline="")))


@pytest.mark.parametrize("fmt", ["csv", "json", "jsonl"])
def test_round_trip_keeps_rows_and_umlauts(filled, tmp_path, fmt):
    path = tmp_path / f"out.{fmt}"
    assert exports.write(filled.releases(), fmt, path) == 3
    text = path.read_text(encoding="utf-8")
    if fmt == "csv":
        back = csv_rows(text)
    elif fmt == "json":
        back = json.loads(text)
    else:
        back = [json.loads(line) for line in text.splitlines()]
    assert len(back) == 3
    assert list(back[0]) == list(EXPORT_COLUMNS)
    assert [r["id"] for r in back] == [r["id"] for r in rows_of(filled)]
    assert UMLAUT_TITLE in {r["title"] for r in back}
    assert "Mädchen" in text and "\\u00e4" not in text


def test_csv_form_of_lists_and_quoting(filled):
    out = io.StringIO(newline="")
    exports.write(filled.releases(), "csv", stream=out)
    text = out.getvalue()
    assert text.startswith(",".join(EXPORT_COLUMNS) + "\r\n")
    row = next(r for r in csv_rows(text) if r["url"].endswith("meldung-3"))
    assert row["persons"] == "Kai Klose (Staatssekretär); Anna Muster"
    assert row["urls"] == (
        "https://soziales.hessen.de/presse/meldung-3"
        " | https://soziales.hessen.de/presse/pressearchiv/meldung-3"
    )
    assert row["number"] == "" and row["revisions"] == "1"
    assert "\n\n" in row["body"]  # paragraphs survive inside a quoted cell


def test_csv_neutralises_formulas(filled):
    out = io.StringIO(newline="")
    exports.write(filled.releases(), "csv", stream=out)
    row = next(r for r in csv_rows(out.getvalue()) if r["url"].endswith("meldung-2"))
    assert row["kicker"] == '\'=HYPERLINK("x")'
    assert row["body"] == "'- erster Punkt\n'- zweiter Punkt"


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("Titel; =1+cmd|' /C calc'!A0", "Titel; '=1+cmd|' /C calc'!A0"),  # German Excel: ;
        ("a,@SUM(A1)", "a,'@SUM(A1)"),
        ('Zitat "=HYPERLINK(1)', "Zitat \"'=HYPERLINK(1)"),
        ("Zeile\n+49 611 1", "Zeile\n'+49 611 1"),
        ("Preis;  -5", "Preis;  '-5"),
        ("E-Mail: a@b.de, Tel. 0611", "E-Mail: a@b.de, Tel. 0611"),
    ],
)
def test_formula_starters_inside_a_cell_are_neutralised(value, written):
    out = io.StringIO(newline="")
    exports.write([{"id": "a", "title": value}], "csv", stream=out)
    assert csv_rows(out.getvalue())[0]["title"] == written
    for separator in (",", ";"):  # as a spreadsheet splits the raw line
        for cell in out.getvalue().splitlines()[1].split(separator):
            assert not cell.strip(' "').startswith(("=", "+", "-", "@")), cell


@pytest.mark.parametrize("value", ["=1+1", "+49 611", "-5", "@SUM(A1)", "\tx", "\rx"])
def test_every_dangerous_start_is_neutralised(value):
    out = io.StringIO(newline="")
    exports.write([{"id": "a", "title": value}], "csv", stream=out)
    assert csv_rows(out.getvalue())[0]["title"] == "'" + value


def test_json_keeps_structure(filled):
    out = io.StringIO()
    exports.write(filled.releases(), "json", stream=out)
    data = json.loads(out.getvalue())
    assert data[2]["persons"][1] == {"name": "Anna Muster", "role": None}
    assert data[1]["body"].startswith("- erster")  # no neutralising outside CSV
    assert len(data[2]["urls"]) == 2


@pytest.mark.parametrize("fmt, expected", [("csv", 1), ("json", 2), ("jsonl", 0)])
def test_empty_exports_are_valid(fmt, expected):
    out = io.StringIO(newline="")
    assert exports.write([], fmt, stream=out) == 0
    assert len(out.getvalue().splitlines()) == expected
    if fmt == "json":
        assert json.loads(out.getvalue()) == []


def test_unknown_format():
    with pytest.raises(ValueError, match="unknown export format"):
        exports.write([], "xml")


def test_atomic_write_keeps_old_file_on_failure(filled, tmp_path):
    path = tmp_path / "export.csv"
    path.write_text("old contents\n", encoding="utf-8")

    def failing_rows():
        yield from filled.releases()
        raise RuntimeError("crawl database went away")

    with pytest.raises(RuntimeError):
        exports.write(failing_rows(), "csv", path)
    assert path.read_text(encoding="utf-8") == "old contents\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_reader_never_sees_half_a_file(filled, tmp_path):
    path = tmp_path / "export.jsonl"
    seen = []

    def watched_rows():
        for row in filled.releases():
            seen.append(path.exists())
            yield row

    exports.write(watched_rows(), "jsonl", path)
    assert seen == [False, False, False]
    assert len(path.read_text(encoding="utf-8").splitlines()) == 3


def db_args(arch):
    return ["--db", str(arch.engine.url)]


def test_cli_export_to_stdout_and_file(filled, tmp_path):
    runner = CliRunner()
    result = runner.invoke(export, ["--format", "jsonl", *db_args(filled)])
    assert result.exit_code == 0, result.output
    assert len(result.stdout.splitlines()) == 3 and "Mädchen" in result.stdout
    target = tmp_path / "x.csv"
    result = runner.invoke(export, ["-o", str(target), *db_args(filled)])
    assert result.exit_code == 0 and "3 releases written" in result.stderr
    assert len(csv_rows(target.read_text(encoding="utf-8"))) == 3


def test_cli_filters(filled):
    runner = CliRunner()
    args = ["--format", "json", "--since", "2024-03-03", "--until", "2024-03-04"]
    result = runner.invoke(export, [*args, *db_args(filled)])
    assert [r["published"] for r in json.loads(result.stdout)] == ["2024-03-03", "2024-03-04"]
    result = runner.invoke(export, ["--format", "json", "--site", "hessen-innen", *db_args(filled)])
    assert result.exit_code == 0 and json.loads(result.stdout) == []


@pytest.mark.parametrize(
    "args, message",
    [
        (["--since", "2024-13-01"], "--since: '2024-13-01' is not a date"),
        (["--until", "morgen"], "--until: 'morgen' is not a date"),
        (["--since", "2024-02-01", "--until", "2024-01-01"], "is after --until"),
        (["--site", "hessen-nirgendwo"], "unknown site id 'hessen-nirgendwo'"),
        (["--db", "nonsense://"], "cannot open archive"),
        (["--db", "postgresql+psycopg://postgres@127.0.0.1:1/x"], "cannot open archive"),
    ],
)
def test_cli_errors_are_one_line(db_url, args, message):
    Archive(db_url).close()
    db = ["--db", db_url]
    result = CliRunner().invoke(export, [*db, *args])
    assert result.exit_code != 0
    assert result.stderr.count("\n") == 1 and message in result.stderr
    assert "Traceback" not in result.stderr and isinstance(result.exception, SystemExit)


def test_cli_unwritable_output(filled, tmp_path):
    result = CliRunner().invoke(export, ["-o", str(tmp_path / "no" / "x.csv"), *db_args(filled)])
    assert result.exit_code == 1 and result.stderr.startswith("Error:")
    assert result.stderr.count("\n") == 1


def test_archive_default_db_from_env(db_url, monkeypatch):
    url = db_url
    with Archive(url) as arch:
        arch.store([item(1)])
    monkeypatch.setenv("PRESSARCHIV_DB", url)
    result = CliRunner().invoke(export, ["--format", "jsonl"])
    assert result.exit_code == 0 and len(result.stdout.splitlines()) == 1


def test_export_rows_match_the_archive_rows_on_every_backend(any_archive):
    """The export's own fast reading gives what ``Archive.releases`` gives, undated last."""
    stamp = datetime(2026, 1, 5, 10, 30, 15, 123456, tzinfo=UTC)
    persons = [{"name": "Jürgen Böhm", "role": None}, {"name": "Anna Muster", "role": "Ministerin"}]
    any_archive.store(
        [
            item(1, fetched_at=stamp, persons=persons, flags=["speech"]),
            item(2, published=None, title="Ohne Datum"),
            item(3, published=None, title="Auch ohne Datum"),
            item(4),
        ]
    )
    moved = "https://soziales.hessen.de/presse/archiv/meldung-4"
    any_archive.store([item(4, url=moved, fetched_at=stamp)])
    with Session(any_archive.engine) as session, session.begin():
        release = session.scalar(select(Release).where(Release.url.endswith("meldung-1")))
        release.withdrawn = stamp
    exported = list(export_rows(any_archive))
    stored = list(any_archive.releases())
    assert [{name: row[name] for name in stored[0]} for row in exported] == stored
    assert [row["published"] is None for row in exported] == [False, False, True, True]
    first = next(row for row in exported if row["url"].endswith("meldung-1"))
    assert first["first_seen"] == first["withdrawn"] == "2026-01-05T10:30:15.123456+00:00"
    assert first["persons"] == persons and first["flags"] == ["speech"]
    fourth = next(row for row in exported if row["title"].endswith("Nr. 4"))
    assert fourth["urls"] == [item(4)["url"], moved]


def test_export_of_a_site_and_dates_reads_only_those(any_archive):
    any_archive.store([item(n) for n in (1, 2, 3)] + [item(4, site="hessen-innen")])
    rows = export_rows(any_archive, site="hessen-soziales", since="2024-03-03")
    assert [row["published"] for row in rows] == ["2024-03-03", "2024-03-04"]


TEXT = (
    st.text(st.characters(codec="utf-8"), max_size=40)
    | st.text(st.sampled_from(list('=+-@,;" \t\r\nä„“')), max_size=12)
    | st.sampled_from(["„Größe“", "\u2028", "\x00\x1f\x7f", ""])
)
ROWS = st.fixed_dictionaries(
    {name: st.none() | TEXT for name in ("id", "title", "body", "kicker", "place")},
    optional={
        "revisions": st.integers(0, 10**6),
        "persons": st.lists(st.fixed_dictionaries({"name": TEXT, "role": st.none() | TEXT})),
        "urls": st.lists(TEXT, max_size=3),
        "sources": st.dictionaries(TEXT, TEXT, max_size=3),
    },
)


@settings(max_examples=300, deadline=None)
@given(rows=st.lists(ROWS, max_size=4))
def test_json_and_csv_are_written_as_the_standard_library_writes_them(rows):
    """Same bytes as ``json.dumps`` (compact, non-ASCII as is) and as ``csv.writer`` given
    every cell neutralised on its own."""
    ordered = [{name: row.get(name) for name in EXPORT_COLUMNS} for row in rows]
    out = io.StringIO(newline="")
    exports.write(rows, "jsonl", stream=out)
    compact = {"ensure_ascii": False, "separators": (",", ":")}
    assert out.getvalue() == "".join(json.dumps(r, **compact) + "\n" for r in ordered)
    out, expected = io.StringIO(newline=""), io.StringIO(newline="")
    exports.write(rows, "csv", stream=out)
    writer = csv.writer(expected, lineterminator="\r\n")
    writer.writerow(EXPORT_COLUMNS)
    writer.writerows([csv_cell(name, row.get(name)) for name in EXPORT_COLUMNS] for row in rows)
    assert out.getvalue() == expected.getvalue()


@given(text=TEXT)
def test_the_quick_formula_look_agrees_with_the_rule(text):
    assert has_formula(text) == (_FORMULA.search(text) is not None)
