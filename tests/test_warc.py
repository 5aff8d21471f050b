"""Evidence: a real crawl of the replica over loopback leaves WARC files that warcio accepts,
and every revision points at the response record its text was read from."""

from __future__ import annotations

import gzip
import os
import random
import shutil
import socket
import subprocess
import sys
import threading
import zlib
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from crawl_helpers import pressarchiv
from sqlalchemy import select
from sqlalchemy.orm import Session
from test_storage_helpers import BACKEND, new_archive_url
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders

from scraper.evidence import WarcReadError, default_warc_dir, read_response
from scraper.evidence.writer import Exchange, WarcRecorder
from scraper.replica import ReplicaServer, routes
from storage import Archive
from storage.models import Attachment, Revision

WARCIO = shutil.which("warcio") or str(Path(sys.executable).with_name("warcio"))
SITES = ("hessen-soziales", "hessen-innen")


def crawl(db: str, base_url: str, *extra: str, sites=SITES, max_releases=3):
    result = pressarchiv(
        "crawl", *sites, "--db", db, "--base-url", base_url, "--max-releases", str(max_releases),
        *extra,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return result


def warc_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.warc.gz"))


def revisions(db: str) -> list[Revision]:
    with Archive(db) as archive, Session(archive.engine) as session:
        return list(session.scalars(select(Revision).order_by(Revision.pk)))


@pytest.fixture(scope="module")
def crawled(request, tmp_path_factory):
    """Two replica sites crawled into an archive on the backend under test; WARC files in
    the default folder beside a SQLite file, named by ``--warc-dir`` beside PostgreSQL."""
    folder = tmp_path_factory.mktemp("warc")
    db = new_archive_url(request, folder)
    named = () if BACKEND == "sqlite" else ("--warc-dir", str(folder / "archive.warc"))
    with ReplicaServer() as server:
        crawl(db, server.base_url, "--contact", "archiv@example.org", *named)
    return db, folder / "archive.warc", server.base_url


@pytest.mark.sqlite_only("the default WARC folder is beside the archive file")
def test_default_folder_is_beside_the_sqlite_file(crawled):
    db, folder, _ = crawled
    assert default_warc_dir(db) == folder
    assert warc_files(folder)
    assert default_warc_dir("postgresql+psycopg://u@h/db") == Path("warc")
    assert default_warc_dir("sqlite://") is None  # an in-memory archive keeps no evidence


@pytest.mark.backends
def test_warcio_check_passes(crawled):
    _, folder, _ = crawled
    result = subprocess.run(
        [WARCIO, "check", "-v", *map(str, warc_files(folder))], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "digest pass" in result.stdout and "fail" not in result.stdout.lower()


def records(path: Path) -> list:
    with open(path, "rb") as stream:
        return [
            (r.rec_type, r.rec_headers, r.http_headers, r.content_stream().read())
            for r in ArchiveIterator(stream)
        ]


@pytest.mark.backends
def test_warcinfo_names_software_operator_and_robots_policy(crawled):
    _, folder, _ = crawled
    kind, headers, _, payload = records(warc_files(folder)[0])[0]
    assert kind == "warcinfo"
    assert headers.get_header("WARC-Filename") == warc_files(folder)[0].name
    info = payload.decode("utf-8")
    assert "software: pressarchiv/" in info and "Scrapy" in info
    assert "operator: archiv@example.org" in info
    assert "robots: obey" in info


@pytest.mark.backends
def test_every_response_has_its_request_and_digests(crawled):
    _, folder, base_url = crawled
    found = [r for path in warc_files(folder) for r in records(path)]
    responses = {h.get_header("WARC-Record-ID"): h for kind, h, _, _ in found if kind == "response"}
    requests = [(h, http) for kind, h, http, _ in found if kind == "request"]
    assert len(requests) == len(responses) > 3
    for headers, http in requests:
        assert headers.get_header("WARC-Concurrent-To") in responses
        assert http.get_header("User-Agent").startswith("pressarchiv/")
    for headers in responses.values():
        assert headers.get_header("WARC-Payload-Digest").startswith("sha1:")
        assert headers.get_header("WARC-Block-Digest").startswith("sha1:")
    uris = {h.get_header("WARC-Target-URI") for h in responses.values()}
    assert f"{base_url}/robots.txt" in uris


@pytest.mark.backends
def test_each_revision_points_at_the_page_it_was_read_from(crawled):
    db, folder, base_url = crawled
    served = routes()
    found = revisions(db)
    with Archive(db) as archive:
        assert len(found) == archive.count() >= 5  # one text per release, each with its record
    for revision in found:
        archived = read_response(folder, revision.warc_file, revision.warc_offset)
        assert archived.url == revision.fetched_url
        assert archived.digest == revision.warc_digest
        assert archived.body == served[revision.fetched_url.removeprefix(base_url)].body
        assert "listing" in archived.metadata  # the listing card, for a faithful reparse


@pytest.mark.backends
def test_attachments_are_archived_with_their_release(crawled):
    db, folder, base_url = crawled
    with Archive(db) as archive, Session(archive.engine) as session:
        attachments = list(session.scalars(select(Attachment)))
    assert len(attachments) == 3  # two on a hessen-soziales release, one on hessen-innen
    for attachment in attachments:
        archived = read_response(folder, attachment.warc_file, attachment.warc_offset)
        assert archived.body == routes()[attachment.fetched_url.removeprefix(base_url)].body
        assert archived.body.startswith(b"%PDF")


def exchange(n: int, body: bytes | None = None) -> Exchange:
    """An exchange whose body (random bytes unless given) does not compress."""
    request = StatusAndHeaders(f"GET /{n} HTTP/1.1", [("Host", "127.0.0.1")], is_http_request=True)
    response = StatusAndHeaders("200 OK", [("Content-Type", "text/plain")], protocol="HTTP/1.1")
    return Exchange(
        url=f"http://127.0.0.1/{n}",
        request_head=request,
        request_body=b"",
        response_head=response,
        response_body=random.Random(n).randbytes(1200) if body is None else body,
        fetched_at=datetime(2026, 1, 5, tzinfo=UTC),
    )


def test_files_roll_over_at_the_size_limit(tmp_path):
    recorder = WarcRecorder(tmp_path, {"software": "test"}, max_size=1000)
    pointers = [recorder.write(exchange(n)) for n in range(4)]
    recorder.close()
    assert len(warc_files(tmp_path)) == len({p.file for p in pointers}) == 4
    for path in warc_files(tmp_path):
        assert records(path)[0][0] == "warcinfo"
    result = subprocess.run([WARCIO, "check", *map(str, warc_files(tmp_path))])
    assert result.returncode == 0


def test_file_names_are_unique_within_a_process(tmp_path):
    first, second = (WarcRecorder(tmp_path, {}) for _ in range(2))
    names = {first.write(exchange(1)).file, second.write(exchange(2)).file}
    assert len(names) == 2


def test_file_names_carry_the_machine_and_the_process(tmp_path):
    # workers on several machines write into one shared folder: pids alone could clash
    recorder = WarcRecorder(tmp_path, {})
    name = recorder.write(exchange(1)).file
    recorder.close()
    assert f"-{socket.gethostname()}-{os.getpid()}-" in name


def gzip_members(data: bytes) -> list[tuple[int, bytes]]:
    """Each gzip member of ``data``: its offset and what it decompresses to."""
    members, offset = [], 0
    while offset < len(data):
        member = zlib.decompressobj(zlib.MAX_WBITS + 16)
        text = member.decompress(data[offset:])
        assert member.eof, f"gzip member at {offset} is incomplete"
        members.append((offset, text))
        offset = len(data) - len(member.unused_data)
    return members


def test_each_record_is_a_gzip_member_of_its_own(tmp_path):
    # WARC tools read one record from its offset (pointers, CDX indexes, replay)
    recorder = WarcRecorder(tmp_path, {})
    first, second = recorder.write(exchange(1, b"first")), recorder.write(exchange(2, b"second"))
    recorder.close()
    members = dict(gzip_members((tmp_path / first.file).read_bytes()))
    assert len(members) == 5  # warcinfo, then response and request of each exchange
    assert all(text.startswith(b"WARC/1.") for text in members.values())
    assert [text.count(b"WARC-Type: ") for text in members.values()] == [1] * 5
    assert members[first.offset].endswith(b"first\r\n\r\n")
    assert members[second.offset].endswith(b"second\r\n\r\n")


def test_a_truncated_last_record_loses_only_that_record(tmp_path):
    recorder = WarcRecorder(tmp_path, {})
    kept, cut = recorder.write(exchange(1, b"kept")), recorder.write(exchange(2))
    recorder.close()
    path = tmp_path / kept.file
    path.write_bytes(path.read_bytes()[: cut.offset + 400])  # as a kill -9 mid-write leaves it
    assert read_response(tmp_path, kept.file, kept.offset).body == b"kept"
    with pytest.raises(WarcReadError):
        read_response(tmp_path, cut.file, cut.offset)


class GzipReplica(ThreadingHTTPServer):
    """The replica's pages, gzip-encoded whenever the client accepts it."""

    def __init__(self):
        pages = routes()

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server API)
                page = pages.get(self.path)
                if page is None:
                    self.send_error(404)
                    return
                body = page.body
                zipped = "gzip" in self.headers.get("Accept-Encoding", "")
                if zipped:
                    body = gzip.compress(body, mtime=0)
                self.send_response(page.status)
                self.send_header("Content-Type", page.content_type)
                if zipped:
                    self.send_header("Content-Encoding", "gzip")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        super().__init__(("127.0.0.1", 0), Handler)


def test_bodies_are_archived_before_http_decompression(db_url, tmp_path):
    server = GzipReplica()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base_url = f"http://127.0.0.1:{server.server_address[1]}"
    db = db_url
    try:
        crawl(
            db, base_url, "--warc-dir", str(tmp_path / "evidence"), sites=SITES[:1], max_releases=1
        )
    finally:
        server.shutdown()
        server.server_close()
    (revision,) = revisions(db)
    path = tmp_path / "evidence" / revision.warc_file
    with open(path, "rb") as stream:
        stream.seek(revision.warc_offset)
        record = next(iter(ArchiveIterator(stream)))
        raw = record.raw_stream.read()
    assert record.http_headers.get_header("Content-Encoding") == "gzip"
    page = routes()[revision.fetched_url.removeprefix(base_url)].body
    assert raw == gzip.compress(page, mtime=0)  # the bytes as they came over the wire
    assert (
        read_response(tmp_path / "evidence", revision.warc_file, revision.warc_offset).body == page
    )
    assert revision.fields["title"]  # and the crawl read the decoded page
