"""On SQLite the export's records are built by SQLite itself (``exports.sqlite_records``);
they must be, byte for byte, what the Python path (``export_rows`` and the writers, which
``test_exports`` compares with the standard library's writers) writes: over an archive
with edits, moved URLs, attachments, clusters, undated and withdrawn releases, odd
characters in every text field and JSON and times stored in other forms.

These tests build SQLite archives whatever the backend under test: the path they check
exists only on SQLite (PostgreSQL exports go through ``export_rows``, see
``test_export_rows_match_the_archive_rows_on_every_backend``).
"""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_storage_helpers import SEED_BODY, item

from exports import sqlite_records
from exports.rows import export_chunks, export_rows, last_revision
from exports.writers import WRITERS, encoded
from storage import Archive
from storage.synthetic import items

pytestmark = pytest.mark.sqlite_only(
    "the export records SQLite builds itself; PostgreSQL's export: test_exports, test_export_marks"
)
FORMATS = ("csv", "json", "jsonl")
ODD_TEXTS = [
    'Zitat "so" gesagt, oder nicht',
    "Zeile\nzwei\r\ndrei\rvier",
    "\x00\x01\x08\x0b\x1f\x7f Steuerzeichen",
    "Emoji 😀 und 𝄞 und \u2028 und „Anführung“",
    "=1+1",
    "-5 Grad",
    "+49 611 1",
    "@SUM(A1)",
    "\tTab vorn",
    "\rCR vorn",
    "a,b;c",
    "Preis: 5,- Euro; =HYPERLINK(1)",
    "Zeile\n- Punkt eins\n  + Punkt zwei",
    "",
    "   ",
    "' Apostroph",
    "Backslash \\ und \\n und \\u00e4",
    '}, {"name": "x", "role": null}',
    '", "role": "',
    "[]{}",
    "1.5e+16",
]
WITHDRAWN = datetime(2026, 3, 1, 12, 0, 0, 250000, tzinfo=UTC)


def python_bytes(archive: Archive, fmt: str, **query) -> bytes:
    out = io.BytesIO()
    WRITERS[fmt](encoded(export_rows(archive, **query), fmt), out)
    return out.getvalue()


def sqlite_bytes(archive: Archive, fmt: str, **query) -> bytes:
    out = io.BytesIO()
    WRITERS[fmt](export_chunks(archive, fmt, **query), out)
    return out.getvalue()


def odd_items(first: int) -> list[dict]:
    """One release per odd text, the text in every text field, list and mapping."""
    found = []
    for n, text in enumerate(ODD_TEXTS, first):
        found.append(
            item(
                n,
                **{name: text for name in ("ministry", "kind", "number", "place", "kicker")},
                **{name: text for name in ("title", "subtitle", "dateline", "contact")},
                body=f"{text}\n\n{SEED_BODY}\n{text}",
                published=None if n % 5 == 0 else f"2023-{n % 12 + 1:02d}-{n % 28 + 1:02d}",
                persons=[{"name": text or "Leer", "role": text}, {"name": f"{text}!"}],
                flags=[text, "speech"],
                sources={"published": text, text: "h1"},
            )
        )
    return found


@pytest.fixture(scope="module")
def odd(tmp_path_factory):
    """A SQLite archive with everything the export path must get right."""
    url = f"sqlite:///{tmp_path_factory.mktemp('odd') / 'archive.sqlite'}"
    synthetic = list(items(240))
    with Archive(url) as archive:
        archive.store(synthetic[:200])
        archive.store(odd_items(1000))
        copy = dict(synthetic[0], site="hessen-innen", url=synthetic[0]["url"] + "-kopie")
        archive.store([copy])  # the same text at another ministry: a cluster
        again = dict(synthetic[10], fetched_at=synthetic[10]["fetched_at"] + timedelta(days=1))
        again["attachments"] = [dict(a, sha256="f" * 64) for a in synthetic[10]["attachments"]]
        archive.store([again])  # the same attachment URL with another content
        edited = [dict(it, body=it["body"] + " Nachtrag.") for it in synthetic[20:40]]
        moved = dict(synthetic[50], url=synthetic[50]["url"] + "?neu=1,2")
        archive.store([*edited, moved, *synthetic[200:]])
        with archive.engine.begin() as conn:
            conn.execute(
                sa.text("UPDATE releases SET withdrawn = :at WHERE pk % 17 = 3"),
                {"at": WITHDRAWN.replace(tzinfo=None).isoformat(sep=" ")},
            )
    return url


BOTH, JSON, CSV = {"json", "csv"}, {"json"}, {"csv"}
STORED_FORMS = [  # column, value, the formats for which the Python path writes the row
    ("first_seen", "2026-01-05T10:30:15+02:00", BOTH),
    ("first_seen", "2026-01-05 10:30:15", BOTH),
    ("first_seen", "2026-01-05 10:30:15.5", BOTH),
    ("published", "0999-01-01", BOTH),
    ("persons", '[{"name": "J\\u00fcrgen B\\u00f6hm", "role": null}]', JSON),
    ("persons", '[{"name":"Kai Klose","role":"Minister"}]', set()),
    ("persons", '[{"name": "Ohne Rolle"}]', set()),
    ("persons", '[{"name": "Wahr", "role": true}, {"name": "Zahl", "role": 5}]', set()),
    ("persons", '[{"name": "Extra", "role": "x", "seit": 2020}]', set()),
    ("flags", '["a", 1.5e+16]', BOTH),
    ("flags", '[1, "a"]', CSV),
    ("flags", '["x\\ty"]', BOTH),
    ("flags", '["a","b"]', CSV),
    ("flags", '["a \\u00e4"]', BOTH),
    ("sources", None, set()),
    ("sources", "null", BOTH),
    ("sources", "[]", BOTH),
    ("sources", '{"published": null}', CSV),
    ("sources", '{"a": "b", "c": {"d": "e"}, "f": "g"}', CSV),
    ("sources", '{"a":"b"}', CSV),
    ("sources", '{"a": "x\\"y"}', BOTH),
    ("sources", "{}", set()),
]


@pytest.fixture(scope="module")
def stored_forms(tmp_path_factory):
    """Releases whose columns hold values in forms the archive itself does not write
    (other time forms, escaped or minified JSON, other JSON types): the SQLite path
    must hand them to the Python path."""
    url = f"sqlite:///{tmp_path_factory.mktemp('forms') / 'archive.sqlite'}"
    with Archive(url) as archive:
        archive.store([item(n) for n in range(1, len(STORED_FORMS) + 1)])
        with archive.engine.begin() as conn:
            pks = conn.scalars(sa.text("SELECT pk FROM releases ORDER BY pk")).all()
            for pk, (column, value, _) in zip(pks, STORED_FORMS, strict=True):
                conn.execute(
                    sa.text(f"UPDATE releases SET {column} = :value WHERE pk = :pk"),
                    {"value": value, "pk": pk},
                )
            conn.execute(
                sa.text(
                    "UPDATE revisions SET fetched_at = '2026-01-05T10:30:15+00:00', "
                    "warc_file = 'w,1.warc.gz', warc_offset = NULL WHERE release_pk = :pk"
                ),
                {"pk": pks[0]},  # a first_seen case already
            )
    return url


@pytest.mark.parametrize("fmt", FORMATS)
def test_sqlite_builds_the_records_the_python_path_writes(odd, fmt):
    with Archive(odd) as archive:
        written = sqlite_bytes(archive, fmt)
        assert written == python_bytes(archive, fmt)
        rows = list(export_rows(archive))
    assert len(rows) == 262 and any(row["cluster"] != row["id"] for row in rows)
    assert any(len(row["urls"]) > 1 for row in rows) and any(row["withdrawn"] for row in rows)
    assert any(row["revisions"] > 1 for row in rows) and any(row["attachments"] for row in rows)
    assert any(row["published"] is None for row in rows)
    assert "𝄞".encode() in written and "Anführung".encode() in written


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    "query",
    [
        {"site": "hessen-innen"},
        {"since": "2023-06-01", "until": "2024-12-31"},
        {"until": "2023-01-31"},
        {"after": "before-edits"},
    ],
    ids=["site", "since-until", "until", "after"],
)
def test_filters_pick_the_same_releases(odd, fmt, query):
    with Archive(odd) as archive:
        if query.get("after") == "before-edits":
            query = {"after": last_revision(archive) - 22}
        written = sqlite_bytes(archive, fmt, **query)
        assert written == python_bytes(archive, fmt, **query)
        assert 0 < len(list(export_rows(archive, **query))) < archive.count()


@pytest.mark.parametrize("fmt", FORMATS)
def test_values_in_other_stored_forms_are_written_by_the_python_path(stored_forms, fmt):
    with Archive(stored_forms) as archive:
        assert sqlite_bytes(archive, fmt) == python_bytes(archive, fmt)


@pytest.mark.parametrize("fmt", FORMATS)
def test_plain_releases_never_take_the_python_path(tmp_path, monkeypatch, fmt):
    """The SQLite path covers what the archive writes itself; only odd rows cost more."""
    with Archive(f"sqlite:///{tmp_path / 'plain.sqlite'}") as archive:
        archive.store(list(items(150)))
        expected = python_bytes(archive, fmt)
        monkeypatch.setattr(sqlite_records, "_python_records", pytest.fail)
        assert sqlite_bytes(archive, fmt) == expected


def test_formula_starters_in_single_cells_are_neutralised_in_place(tmp_path, monkeypatch):
    """Bullet lists in a body, a formula in a title or a person's name: neutralised on
    the SQLite path, as the Python path does it."""
    bullets = "Die Maßnahmen:\n- erstens\n  + zweitens\n\t=drittens; @viertens"
    with Archive(f"sqlite:///{tmp_path / 'formulas.sqlite'}") as archive:
        archive.store(
            [
                item(1, body=bullets, title="=1+1", contact="\rTel. 0611"),
                item(2, persons=[{"name": "-Kai", "role": "@Minister"}], kicker="+49"),
            ]
        )
        expected = python_bytes(archive, "csv")
        monkeypatch.setattr(sqlite_records, "_python_records", pytest.fail)
        assert sqlite_bytes(archive, "csv") == expected
    assert b"\n'- erstens" in expected and b",'-Kai (@Minister)," in expected


@pytest.fixture
def taken(monkeypatch) -> list[int]:
    """The pks of the releases the export hands to the Python path, as it does so."""
    pks = []
    python_records = sqlite_records._python_records

    def counted(conn, fmt, chosen):
        pks.extend(chosen)
        return python_records(conn, fmt, chosen)

    monkeypatch.setattr(sqlite_records, "_python_records", counted)
    return pks


def test_only_rows_with_a_formula_in_a_joined_cell_take_the_python_path(tmp_path, taken):
    """The joined cells of a chunk are looked at together; a chunk where that finds a
    maybe-formula (a ``;`` in a URL, a number starting with ``-``, a place after ``, ``) is
    looked at row by row, and only the row with a formula takes the Python path."""
    with Archive(f"sqlite:///{tmp_path / 'joined.sqlite'}") as archive:
        archive.store(
            [
                *(item(n) for n in range(1, 40)),
                item(40, url="https://soziales.hessen.de/presse/a;jsessionid=-1"),
                item(41, number="-5"),
                item(42, place=" Wiesbaden", kind="=Meldung"),
            ]
        )
        written = sqlite_bytes(archive, "csv")
        assert written == python_bytes(archive, "csv")
        with archive.engine.connect() as conn:
            pks = dict(conn.execute(sa.text("SELECT url, pk FROM releases")).all())
    assert sorted(taken) == sorted(
        pk for url, pk in pks.items() if url.endswith(("meldung-41", "meldung-42"))
    )
    assert b",'-5," in written and b",'=Meldung," in written


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_odd_releases_take_the_python_path(stored_forms, taken, fmt):
    with Archive(stored_forms) as archive:
        sqlite_bytes(archive, fmt)
        with archive.engine.connect() as conn:
            pks = conn.scalars(sa.text("SELECT pk FROM releases ORDER BY pk")).all()
        expected = {pk for pk, (*_, python) in zip(pks, STORED_FORMS, strict=True) if fmt in python}
    assert sorted(taken) == sorted(expected)


TEXT = (
    st.text(st.characters(codec="utf-8"), max_size=30)
    | st.text(st.sampled_from(list('=+-@,;" \t\r\n\\{}[]:ä„“😀')), max_size=12)
    | st.sampled_from(ODD_TEXTS)
)


@pytest.fixture(scope="module")
def growing(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('growing') / 'archive.sqlite'}"
    with Archive(url) as archive:
        yield archive


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    texts=st.lists(st.fixed_dictionaries({"title": TEXT, "body": TEXT, "place": TEXT}), max_size=3),
    role=st.none() | TEXT,
    flag=TEXT,
    source=TEXT,
)
def test_any_text_is_written_as_the_python_path_writes_it(growing, texts, role, flag, source):
    after = last_revision(growing)
    first = growing.count() + 1
    growing.store(
        [
            item(
                first + n,
                **fields,
                kicker=fields["title"],
                persons=[{"name": fields["place"] or "x", "role": role}],
                flags=[flag],
                sources={"published": source},
            )
            for n, fields in enumerate(texts)
        ]
    )
    for fmt in FORMATS:
        assert sqlite_bytes(growing, fmt, after=after) == python_bytes(growing, fmt, after=after)
