"""``pressarchiv serve``: the archive in Datasette, driven in-process (no network); in the
PostgreSQL pass the pages are those of a PostgreSQL archive's mirror."""

from __future__ import annotations

import asyncio
import importlib.util
import socket
import sqlite3
from contextlib import closing
from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner
from sqlalchemy import update

pytest.importorskip("datasette", reason="the web extra (datasette) is not installed")

from web_helpers import served_archive  # noqa: E402

from scraper.cli.serve import serve  # noqa: E402
from scraper.web import datasette_app  # noqa: E402
from storage import Archive  # noqa: E402
from storage.models import Release  # noqa: E402

T0 = datetime(2024, 3, 12, 9, 30, tzinfo=UTC)
SOZIALES = "Hessisches Ministerium für Arbeit, Integration, Jugend und Soziales"
INNEN = "Hessisches Ministerium des Innern, für Sicherheit und Heimatschutz"
INTEGRATION_TITLE = "Integrationskonferenz 2024: Sprachkurse für Mädchen und Frauen ausgebaut"
YOUTH_TITLE = "Förderprogramm für Jugendzentren wird verlängert"


def release(slug: str, **fields) -> dict:
    """One crawled item shaped like the crawl contract (docs/architecture.md)."""
    host = "innen.hessen.de" if fields.get("ministry") == INNEN else "soziales.hessen.de"
    return {
        "site": "hessen-soziales",
        "ministry": SOZIALES,
        "url": f"https://{host}/presse/{slug}",
        "fetched_url": f"http://127.0.0.1:8000/{host}/presse/{slug}",
        "fetched_at": T0,
        "kind": "Pressemitteilung",
        "number": None,
        "place": "Wiesbaden",
        "kicker": None,
        "subtitle": None,
        "dateline": "Wiesbaden",
        "contact": "Pressestelle, Telefon 0611 3219-0",
        "persons": [],
        "profile": "hessen-soziales",
        "sources": {"published": "header"},
        "flags": [],
        **fields,
    }


ITEMS = [
    release(
        "integrationskonferenz-2024",
        published="2024-03-12",
        kicker="Integration",
        title=INTEGRATION_TITLE,
        subtitle="Ministerin Dr. Anna Becker: „Teilhabe beginnt mit Sprache“",
        body=(
            "Auf der diesjährigen Integrationskonferenz in Wetzlar hat Ministerin Dr. Anna "
            "Becker angekündigt, die Sprachkurse für Mädchen und Frauen auszubauen.\n\n"
            "„Wer die Sprache spricht, kann mitreden“, sagte Becker. Staatssekretär Jonas "
            "Weiß ergänzte, die Kurse würden künftig auch in der Kasseler Straße angeboten."
        ),
        persons=[
            {"name": "Dr. Anna Becker", "role": "Ministerin"},
            {"name": "Jonas Weiß", "role": "Staatssekretär"},
        ],
    ),
    release(
        "jugendzentren",
        published="2024-02-20",
        title=YOUTH_TITLE,
        body="Das Land fördert offene Jugendarbeit in 40 Kommunen bis Ende 2025.",
        persons=[{"name": "Dr. Anna Becker", "role": "Ministerin"}],
    ),
    release(
        "wachen",
        site="hessen-innen",
        ministry=INNEN,
        profile="hessen-innen",
        published="2024-03-05",
        title="Mehr Polizeiwachen in den Innenstädten",
        body="Innenminister Peter Brandt stellte das Konzept für sichere Innenstädte vor.",
        persons=[{"name": "Peter Brandt", "role": "Innenminister"}],
    ),
]
EDITED_BODY = ITEMS[1]["body"] + " Anträge sind bis zum 30. April möglich."


def fill(db: str, _path=None) -> None:
    """Three releases into the archive at ``db``; the youth programme one edited once."""
    with Archive(db) as archive:
        archive.store(ITEMS)
        edited = dict(ITEMS[1], body=EDITED_BODY, fetched_at=T0 + timedelta(days=2))
        archive.store([edited])


@pytest.fixture(scope="module")
def archive_path(request, tmp_path_factory):
    """The file ``serve`` reads: the archive, or in the PostgreSQL pass its mirror."""
    return str(served_archive(request, tmp_path_factory.mktemp("serve"), fill))


@pytest.fixture
def get(archive_path):
    """``get(path)``: one request to a fresh in-process Datasette on the archive."""

    def request(path: str):
        ds = datasette_app(archive_path)
        try:
            return asyncio.run(ds.client.get(path))
        finally:
            ds.get_database("archive").close()

    return request


def scalar(path: str, sql: str, *params):
    """One value read from the archive file (read-only)."""
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
        return conn.execute(sql, params).fetchone()[0]


def pk_of(path: str, title: str) -> int:
    return scalar(path, "select pk from releases where title = ?", title)


def titles(response) -> list[str]:
    assert response.status_code == 200, response.text
    return [row["title"] for row in response.json()["rows"]]


@pytest.mark.backends
@pytest.mark.parametrize(
    "query",
    ["Konferenz", "Maedchen", "Strasse", '"Sprachkurse für Mädchen"', "Sprach* AND Becker"],
)
def test_search_box_finds_the_release(get, query):
    response = get(f"/archive/releases.json?_shape=objects&_search={query}")
    assert titles(response) == [INTEGRATION_TITLE]


@pytest.mark.backends
def test_search_for_a_person_and_with_not(get):
    found = titles(get("/archive/releases.json?_shape=objects&_search=Becker NOT Sprachkurse"))
    assert found == [YOUTH_TITLE]


@pytest.mark.backends
def test_unparsable_search_gets_a_message(get):
    response = get("/archive/releases?_search=%22Sprachkurse")
    assert response.status_code == 400
    assert "Suche:" in response.text and "Traceback" not in response.text


@pytest.mark.backends
def test_table_offers_search_facets_and_newest_first(get):
    data = get("/archive/releases.json?_shape=objects&_facet_person=persons").json()
    facets = data["facet_results"]
    assert set(facets) >= {"ministry_id", "site", "published", "persons"}
    months = [(v["value"], v["count"]) for v in facets["published"]["results"]]
    assert months == [("2024-03", 2), ("2024-02", 1)]
    people = {v["value"]: v["count"] for v in facets["persons"]["results"]}
    assert people == {"Dr. Anna Becker": 2, "Jonas Weiß": 1, "Peter Brandt": 1}
    assert [row["published"] for row in data["rows"]] == ["2024-03-12", "2024-03-05", "2024-02-20"]
    assert 'name="_search"' in get("/archive/releases").text


@pytest.mark.backends
@pytest.mark.parametrize(
    ("facet", "value", "expected"),
    [
        ("published", "2024-02", [YOUTH_TITLE]),
        ("persons", "Jonas Weiß", [INTEGRATION_TITLE]),
        ("ministry_id", INNEN, ["Mehr Polizeiwachen in den Innenstädten"]),
    ],
)
def test_facet_links_filter(get, facet, value, expected):
    results = get("/archive/releases.json?_facet_person=persons").json()["facet_results"]
    results = results[facet]["results"]
    link = next(v["toggle_url"] for v in results if value in (v["value"], v["label"]))
    assert titles(get(link.removeprefix("http://localhost") + "&_shape=objects")) == expected


@pytest.mark.backends
def test_release_page_shows_source_link_and_revisions(get, archive_path):
    pk = pk_of(archive_path, YOUTH_TITLE)
    page = get(f"/archive/releases/{pk}")
    assert page.status_code == 200
    html = page.text
    assert f"<h1>{YOUTH_TITLE}</h1>" in html and "2024-02-20" in html
    assert '<a class="source-link" href="https://soziales.hessen.de/presse/jugendzentren"' in html
    assert "Fassung 1</a>" in html and "Fassung 2</a>" in html
    assert f'href="/archive/revisions?release_pk={pk}"' in html  # incoming foreign keys
    assert "Dr. Anna Becker (Ministerin)" in html


@pytest.mark.backends
def test_withdrawn_release_says_so(request, tmp_path):
    def fill_and_withdraw(db: str, _path=None) -> None:
        fill(db)
        noticed = datetime(2024, 5, 2, 6, tzinfo=UTC)
        with Archive(db) as archive, archive.engine.begin() as conn:
            conn.execute(update(Release).where(Release.pk == 1).values(withdrawn=noticed))

    path = served_archive(request, tmp_path, fill_and_withdraw)
    html = asyncio.run(datasette_app(path).client.get("/archive/releases/1")).text
    assert "Nicht mehr auf der Website (festgestellt 2024-05-02)" in html


@pytest.mark.backends
def test_revisions_link_back_to_their_release(get, archive_path):
    pk = pk_of(archive_path, YOUTH_TITLE)
    html = get(f"/archive/revisions?release_pk={pk}").text
    assert f'<a href="/archive/releases/{pk}">{YOUTH_TITLE}</a>' in html


@pytest.mark.backends
def test_metadata_names_the_sources(get):
    html = get("/").text
    assert "pressarchiv" in html
    assert '<a href="https://soziales.hessen.de">' in html
    assert '<a href="https://innen.hessen.de">' in html
    assert "Rechte bei den Herausgebern" in html
    assert "Rechte bei den Herausgebern" in get("/archive").text


@pytest.mark.backends
def test_writes_are_refused(get, archive_path):
    response = get("/archive.json?sql=delete+from+releases")
    assert response.status_code == 400
    db = datasette_app(archive_path).get_database("archive")
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        asyncio.run(db.execute_fn(lambda conn: conn.execute("delete from releases")))
    assert scalar(archive_path, "select count(*) from releases") == 3


@pytest.mark.parametrize(
    ("db", "message"),
    [
        ("postgresql+psycopg://u@127.0.0.1/archiv", "pressarchiv mirror --db URL -o FILE.sqlite"),
        ("sqlite://", "serve needs an archive file"),
        ("sqlite:///{tmp}/fehlt.sqlite", "no archive at"),
        ("sqlite:///{tmp}/leer.sqlite", "is not a pressarchiv archive"),
        ("sqlite:///{tmp}/kaputt.sqlite", "cannot read"),
    ],
)
@pytest.mark.sqlite_only("serve's errors for a file that is missing, empty or not SQLite")
def test_serve_errors_are_one_line(tmp_path, db, message):
    with closing(sqlite3.connect(tmp_path / "leer.sqlite")) as conn:
        conn.execute("create table x (y)")
    (tmp_path / "kaputt.sqlite").write_text("kein SQLite")
    result = CliRunner().invoke(serve, ["--db", db.format(tmp=tmp_path)])
    assert result.exit_code == 1
    assert message in result.output and len(result.output.strip().splitlines()) == 1


SERVES_A_FILE = pytest.mark.sqlite_only(
    "the serve command's start on a SQLite file (a PostgreSQL archive's mirror is one too)"
)


@SERVES_A_FILE
def test_port_in_use_is_one_line(archive_path):
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        result = CliRunner().invoke(
            serve, ["--db", f"sqlite:///{archive_path}", "--port", str(port)]
        )
    assert result.exit_code == 1
    assert f"cannot listen on 127.0.0.1:{port}" in result.output


@SERVES_A_FILE
def test_serve_without_datasette_says_how_to_install(archive_path, monkeypatch):
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    result = CliRunner().invoke(serve, ["--db", f"sqlite:///{archive_path}"])
    assert result.exit_code == 1
    assert "pip install 'pressarchiv[web]'" in result.output
