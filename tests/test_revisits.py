"""``revisit`` records: a re-fetch of an unchanged page (a server that never answers 304)
is archived as a revisit referring to the response that holds the payload; ``reparse``,
``verify`` and the web view read through it."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import sqlalchemy as sa
from crawl_helpers import summary_of
from test_storage_helpers import BACKEND, new_archive_url
from test_warc import WARCIO, crawl, pressarchiv, records, warc_files
from warcio.statusandheaders import StatusAndHeaders

from scraper import exits
from scraper.evidence import read_response
from scraper.evidence.writer import Exchange, WarcRecorder
from scraper.replica import ReplicaServer
from storage import Archive

SITES = ("hessen-soziales", "hessen-innen")


def crawl_twice(request, folder: Path):
    """Two replica sites crawled twice from a server without validators into an archive on
    the backend under test, WARC files in ``folder/archive.warc``: the archive's URL, the
    files of each crawl and the second crawl's result."""
    db = new_archive_url(request, folder)
    warc = folder / "archive.warc"
    with ReplicaServer() as server:
        server.validators = False
        crawl(db, server.base_url, "--warc-dir", str(warc), max_releases=5)
        first = set(warc_files(warc))
        second = crawl(db, server.base_url, "--warc-dir", str(warc), max_releases=5)
    return db, first, set(warc_files(warc)) - first, second


@pytest.fixture(scope="module")
def twice(request, tmp_path_factory):
    """The twice-crawled archive's folder, URL, files of each crawl, second result."""
    folder = tmp_path_factory.mktemp("revisits")
    return folder, *crawl_twice(request, folder)


def by_type(paths) -> dict[str, list]:
    found: dict[str, list] = {}
    for path in sorted(paths):
        for kind, headers, _, _ in records(path):
            found.setdefault(kind, []).append(headers)
    return found


@pytest.mark.backends
def test_the_second_crawl_writes_revisits_for_unchanged_pages(twice):
    folder, db, first, second, result = twice
    assert summary_of(result)["new"] == 0 and summary_of(result)["changed"] == 0
    assert "revisit" not in by_type(first)
    later = by_type(second)
    with Archive(db) as archive:
        releases = archive.count()
    revisited = {headers.get_header("WARC-Target-URI") for headers in later["revisit"]}
    assert len(revisited) >= releases  # every release page (and the same robots.txt)
    for headers in later["revisit"]:
        assert headers.get_header("WARC-Profile").endswith("/revisit/identical-payload-digest")
        assert headers.get_header("WARC-Refers-To").startswith("<urn:uuid:")
        assert headers.get_header("WARC-Refers-To-Filename") in {p.name for p in first}
    check = subprocess.run([WARCIO, "check", *map(str, sorted(first | second))],
                           capture_output=True, text=True)  # fmt: skip
    assert check.returncode == 0, check.stdout + check.stderr
    size = sum(p.stat().st_size for p in second)
    assert size < 0.8 * sum(p.stat().st_size for p in first)


def _revisit_pointers(paths) -> dict[str, tuple[str, int]]:
    """URL -> (file, offset) of each revisit record."""
    from warcio.archiveiterator import ArchiveIterator

    found = {}
    for path in sorted(paths):
        with open(path, "rb") as stream:
            iterator = ArchiveIterator(stream)
            for record in iterator:
                if record.rec_type == "revisit":
                    found[record.rec_headers.get_header("WARC-Target-URI")] = (
                        path.name, iterator.offset
                    )  # fmt: skip
    return found


@pytest.fixture
def pointing_at_revisits(request, twice, tmp_path):
    """A copy of the archive whose revisions point at the second crawl's revisit records,
    as when a crawl stores a new revision read from a revisit (on PostgreSQL a twice-crawled
    archive of its own): its URL, WARC folder, the revisions moved, the first crawl's files."""
    folder, db, first, second, _ = twice
    if BACKEND == "sqlite":
        shutil.copy(folder / "archive.sqlite", tmp_path / "archive.sqlite")
        shutil.copytree(folder / "archive.warc", tmp_path / "archive.warc")
        db = f"sqlite:///{tmp_path / 'archive.sqlite'}"
    else:
        db, first, second, _ = crawl_twice(request, tmp_path)
    moved = 0
    point = sa.text("UPDATE revisions SET warc_file = :file, warc_offset = :offset "
                    "WHERE fetched_url = :url")  # fmt: skip
    with Archive(db) as archive, archive.engine.begin() as conn:
        for url, (file, offset) in _revisit_pointers(second).items():
            moved += conn.execute(point, {"file": file, "offset": offset, "url": url}).rowcount
        total = conn.exec_driver_sql("SELECT count(*) FROM revisions").scalar()
    assert moved == total and total >= 8  # every revision now points at a revisit
    return db, tmp_path / "archive.warc", moved, first


@pytest.mark.backends
def test_reparse_and_verify_read_through_revisits(pointing_at_revisits):
    db, warc, moved, _ = pointing_at_revisits
    before = pressarchiv("export", "--format", "json", "--db", db).stdout
    result = pressarchiv("reparse", "--db", db, "--warc-dir", str(warc))
    assert result.returncode == 0, result.stderr
    counts = summary_of(result)
    assert counts["failed"] == 0 and counts["changed"] == 0 and counts["reparsed"] >= moved
    assert pressarchiv("export", "--format", "json", "--db", db).stdout == before
    check = pressarchiv("verify", "--db", db, "--warc-dir", str(warc))
    assert check.returncode == exits.OK, check.stdout


@pytest.mark.backends
def test_a_revisit_whose_original_is_gone_is_damaged(pointing_at_revisits):
    db, warc, moved, first = pointing_at_revisits
    for path in first:
        (warc / path.name).unlink()
    result = pressarchiv("verify", "--db", db, "--warc-dir", str(warc))
    assert result.returncode == exits.DAMAGED
    damaged = [line for line in result.stdout.splitlines() if line.startswith("damaged")]
    assert len(damaged) >= moved
    assert all("revisit whose original is unreadable" in line for line in damaged)
    assert "failed=0" not in pressarchiv("reparse", "--db", db, "--warc-dir", str(warc)).stdout


class Known:
    """A stand-in lookup: every payload is known at one place."""

    def __init__(self, original):
        self.original = original

    def find(self, digest):
        return self.original


def _exchange(body: bytes, status: str = "200 OK") -> Exchange:
    from datetime import UTC, datetime

    return Exchange(
        url="https://example.org/presse/1",
        request_head=StatusAndHeaders(
            "GET /presse/1 HTTP/1.1", [("Host", "example.org")], is_http_request=True
        ),  # fmt: skip
        request_body=b"",
        response_head=StatusAndHeaders(
            status, [("Content-Type", "text/html")], protocol="HTTP/1.1"
        ),  # fmt: skip
        response_body=body,
        fetched_at=datetime(2026, 1, 1, tzinfo=UTC),
    )


def test_a_revisit_reads_back_with_its_own_listing_card(tmp_path: Path):
    from scraper.evidence.revisits import original_at

    plain = WarcRecorder(tmp_path, {"software": "test"})
    body = b"<html><body><h1>Titel</h1></body></html>"
    first = plain.write(_exchange(body), {"listing": {"title": "alt"}})
    plain.close()
    original = original_at(tmp_path, first.file, first.offset, first.digest)
    assert original is not None and original.uri == "https://example.org/presse/1"
    assert original_at(tmp_path, first.file, first.offset, "sha1:OTHER") is None

    again = WarcRecorder(tmp_path, {"software": "test"}, known=Known(original))
    pointer = again.write(_exchange(body), {"listing": {"title": "neu"}})
    not_found = again.write(_exchange(b"", "404 Not Found"))  # never a revisit
    again.close()
    read = read_response(tmp_path, pointer.file, pointer.offset)
    assert read.body == body and read.metadata == {"listing": {"title": "neu"}}
    assert pointer.digest == first.digest
    kinds = [kind for kind, *_ in records(tmp_path / pointer.file)]
    assert kinds.count("revisit") == 1 and kinds.count("response") == 1
    assert read_response(tmp_path, not_found.file, not_found.offset).status == 404


@pytest.mark.backends
def test_the_wacz_of_revisits_carries_their_originals(pointing_at_revisits, tmp_path):
    import io
    import zipfile

    from warcio.archiveiterator import ArchiveIterator

    from scraper.evidence.package import validate

    db, warc, moved, _ = pointing_at_revisits
    out = tmp_path / "revisits.wacz"
    result = pressarchiv("wacz", "--db", db, "-o", str(out), "--warc-dir", str(warc))
    assert result.returncode == 0, result.stderr
    assert validate(out)[0]
    with zipfile.ZipFile(out) as wacz:
        [name] = [n for n in wacz.namelist() if n.startswith("archive/")]
        records = list(ArchiveIterator(io.BytesIO(wacz.read(name))))
    revisits = [r for r in records if r.rec_type == "revisit"]
    originals = {r.rec_headers.get_header("WARC-Record-ID") for r in records
                 if r.rec_type == "response"}  # fmt: skip
    assert len(revisits) >= moved
    assert all(r.rec_headers.get_header("WARC-Refers-To") in originals for r in revisits)
