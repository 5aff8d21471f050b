"""``pressarchiv mirror``: an archive on the backend under test (a PostgreSQL schema in the
PostgreSQL pass) copied into a SQLite file that ``serve`` browses, then kept up to date by
copying only what changed, while the same Datasette keeps serving it."""

from __future__ import annotations

import asyncio
import html
import re
import socket
import sqlite3
import threading
from contextlib import closing
from datetime import timedelta

import pytest
from click.testing import CliRunner

pytest.importorskip("datasette", reason="the web extra (datasette) is not installed")

from test_serve import EDITED_BODY, ITEMS, T0, YOUTH_TITLE, release  # noqa: E402

from scraper.cli import main  # noqa: E402
from scraper.cli.serve import keep_mirrored  # noqa: E402
from scraper.web import datasette_app  # noqa: E402
from storage import Archive  # noqa: E402
from storage.crawlstate import withdraw  # noqa: E402
from storage.mirror import mirror, mirrored_warc_dir  # noqa: E402

pytestmark = pytest.mark.backends
TABLES = ("releases", "revisions", "release_urls", "release_persons", "attachments")
NEW_TITLE = "Neue Beratungsstellen für Pflegefamilien eröffnet"
NEW_ITEM = release(
    "pflegefamilien",
    published="2024-03-20",
    title=NEW_TITLE,
    body="In Kassel und Fulda öffnen Beratungsstellen für Pflegefamilien.",
)


def run_mirror(db_url: str, target) -> str:
    result = CliRunner().invoke(main, ["mirror", "--db", db_url, "-o", str(target)])
    assert result.exit_code == 0, result.output
    return result.output


def texts(db_url: str) -> dict[str, list[dict]]:
    """Every revision of every release (the texts as read back), by release id."""
    with Archive(db_url) as archive:
        return {r["id"]: archive.revisions(r["id"]) for r in archive.releases()}


def counts(db_url: str) -> dict[str, int]:
    with Archive(db_url) as archive, archive.engine.connect() as conn:
        return {t: conn.exec_driver_sql(f"select count(*) from {t}").scalar() for t in TABLES}


def page(ds, path: str):
    response = asyncio.run(ds.client.get(path))
    assert response.status_code == 200, response.text
    return response


def shown(ds, path: str) -> str:
    """The text of a page as a reader sees it (tags out, entities decoded)."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page(ds, path).text)).split())


def release_titles(ds) -> list[str]:
    rows = page(ds, "/archive/releases.json?_shape=objects").json()["rows"]
    return sorted(row["title"] for row in rows)


@pytest.fixture
def source(db_url) -> str:
    with Archive(db_url) as archive:
        archive.store(ITEMS)
    return db_url


def test_mirror_serves_the_archive_and_copies_only_what_changed(source, tmp_path):
    target = tmp_path / "spiegel.sqlite"
    assert "copied" in run_mirror(source, target)
    assert counts(f"sqlite:///{target}") == counts(source)
    ds = datasette_app(target)  # one serve for the whole test: no restart
    try:
        assert release_titles(ds) == sorted(item["title"] for item in ITEMS)
        assert "Anträge" not in shown(ds, "/?q=Jugendzentren")

        with Archive(source) as archive:
            archive.store([dict(ITEMS[1], body=EDITED_BODY, fetched_at=T0 + timedelta(days=2))])
            archive.store([NEW_ITEM])
        assert run_mirror(source, target).startswith(f"updated {target}: releases=2 revisions=2 ")
        assert counts(f"sqlite:///{target}") == counts(source)
        assert texts(f"sqlite:///{target}") == texts(source)
        assert NEW_TITLE in release_titles(ds)
        assert "1 Treffer" in shown(ds, "/?q=Anträge")
        assert "Anträge sind bis zum 30. April möglich" in shown(ds, "/?q=Anträge")
        assert NEW_TITLE in shown(ds, "/?q=Pflegefamilien")
    finally:
        ds.get_database("archive").close()
    assert run_mirror(source, target) == f"updated {target}: releases=0 revisions=0 rows=0\n"


def test_refetch_and_withdrawal_reach_the_mirror_without_a_revision(source, tmp_path):
    target = tmp_path / "spiegel.sqlite"
    mirror(source, target)
    later = T0 + timedelta(days=9)
    with Archive(source) as archive:
        archive.store([dict(ITEMS[0], fetched_at=later)])  # the same text fetched again
        archive.store([], then=lambda session, _: withdraw(session, ITEMS[2]["url"], later))
    found = mirror(source, target)
    assert (found.releases, found.revisions) == (2, 0)
    with closing(sqlite3.connect(target)) as conn:
        seen = dict(
            conn.execute(
                "select url, last_seen from releases where url in (?, ?)",
                (ITEMS[0]["url"], ITEMS[2]["url"]),
            )
        )
        withdrawn = conn.execute(
            "select count(*) from releases where withdrawn is not null"
        ).fetchone()[0]
    assert seen[ITEMS[0]["url"]].startswith("2024-03-21")
    assert withdrawn == 1


def test_pages_never_fail_while_the_mirror_is_updated(source, tmp_path):
    target = tmp_path / "spiegel.sqlite"
    mirror(source, target)
    edits = [f"{EDITED_BODY} Nachtrag {n}." for n in range(6)]

    def update() -> None:
        with Archive(source) as archive:
            for n, body in enumerate(edits, start=1):
                archive.store([dict(ITEMS[1], body=body, fetched_at=T0 + timedelta(days=n))])
                mirror(source, target)

    writer = threading.Thread(target=update)
    ds = datasette_app(target)
    statuses = []
    try:
        writer.start()
        while writer.is_alive():
            for path in ("/", "/?q=Jugendzentren", "/archive/releases.json"):
                statuses.append(asyncio.run(ds.client.get(path)).status_code)
        writer.join()
        assert "Nachtrag 5." in shown(ds, "/?q=Nachtrag")
    finally:
        ds.get_database("archive").close()
    assert statuses and set(statuses) == {200}


def test_mirror_refuses_an_archive_of_its_own(source, tmp_path):
    other = tmp_path / "eigenes.sqlite"
    with Archive(f"sqlite:///{other}") as archive:
        archive.store([NEW_ITEM])
    result = CliRunner().invoke(main, ["mirror", "--db", source, "-o", str(other)])
    assert result.exit_code == 1
    assert "is not a mirror" in result.output and len(result.output.splitlines()) == 1
    with closing(sqlite3.connect(other)) as conn:
        assert conn.execute("select title from releases").fetchall() == [(NEW_TITLE,)]


def test_mirror_of_another_archive_is_refused(source, tmp_path):
    target = tmp_path / "spiegel.sqlite"
    mirror(source, target)
    other = f"sqlite:///{tmp_path / 'anderes.sqlite'}"
    with Archive(other) as archive:
        archive.store([NEW_ITEM])
    result = CliRunner().invoke(main, ["mirror", "--db", other, "-o", str(target)])
    assert result.exit_code == 1
    assert "the mirror is of" in result.output
    with closing(sqlite3.connect(target)) as conn:
        assert (YOUTH_TITLE,) in conn.execute("select title from releases").fetchall()
        assert (NEW_TITLE,) not in conn.execute("select title from releases").fetchall()


def test_serve_with_a_mirror_copies_the_archive_before_serving(source, tmp_path):
    target = tmp_path / "spiegel.sqlite"
    with socket.create_server(("127.0.0.1", 0)) as taken:  # serve stops at the port
        port = str(taken.getsockname()[1])
        result = CliRunner().invoke(
            main, ["serve", "--db", source, "--mirror", str(target), "--port", port]
        )
    assert result.exit_code == 1 and f"cannot listen on 127.0.0.1:{port}" in result.output
    assert f"mirrored into {target}: releases={len(ITEMS)}" in result.output
    assert counts(f"sqlite:///{target}") == counts(source)


def test_serve_keeps_its_mirror_up_to_date(source, tmp_path):
    target = tmp_path / "spiegel.sqlite"
    mirror(source, target, warc_dir=tmp_path / "warc")
    stop = threading.Event()
    keeper = threading.Thread(target=keep_mirrored, args=(source, target, 0.05, stop))
    keeper.start()
    try:
        with Archive(source) as archive:
            archive.store([NEW_ITEM])
        for _ in range(600):  # until the keeper's next run has copied it (at most a minute)
            with closing(sqlite3.connect(target)) as conn:
                if conn.execute("select 1 from releases where title = ?", (NEW_TITLE,)).fetchone():
                    break
            stop.wait(0.1)
        else:
            pytest.fail("the new release never reached the mirror")
    finally:
        stop.set()
        keeper.join()
    assert mirrored_warc_dir(target) == (tmp_path / "warc").resolve()  # kept by the refresh


def test_a_mirror_locked_by_another_run_is_one_line_and_left_as_it_was(source, tmp_path):
    target = tmp_path / "spiegel.sqlite"
    mirror(source, target)
    with Archive(source) as archive:
        archive.store([NEW_ITEM])
    with closing(sqlite3.connect(target, isolation_level=None)) as other:
        other.execute("BEGIN IMMEDIATE")  # another mirror run holds the file
        result = CliRunner().invoke(main, ["mirror", "--db", source, "-o", str(target)])
        other.execute("ROLLBACK")
    assert result.exit_code == 1
    assert "mirror not updated: database is locked" in result.output
    assert len(result.output.splitlines()) == 1
    assert mirror(source, target).releases == 1  # the next run copies what was missed
