"""PDF attachments: found on release pages, fetched after them, text extracted, stored."""

from __future__ import annotations

import hashlib
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from crawl_helpers import pressarchiv
from scrapy.http import HtmlResponse
from sqlalchemy import select
from sqlalchemy.orm import Session
from test_storage_helpers import new_archive_url
from test_warc import crawl

from scraper.attachments import pdf_links, pdf_text
from scraper.replica import ReplicaServer, catalogue, routes
from scraper.replica.attachments import ATTACHMENTS
from storage import Archive
from storage.models import Attachment, Release

BUDGET = "sozialbudget-2026-rekordmittel-fuer-kitas-und-pflege"


def entry(slug: str) -> dict:
    return next(e for e in catalogue(family="hessen-drupal") if e["slug"] == slug)


def page(slug: str) -> HtmlResponse:
    path = entry(slug)["paths"][0]
    return HtmlResponse(url=f"http://127.0.0.1:8000{path}", body=routes()[path].body)


def test_links_in_the_download_block_are_found():
    links = pdf_links(page(BUDGET))
    assert [link.rsplit("/", 1)[1] for link in links] == [
        "sozialbudget-2026-uebersicht.pdf",
        "faktenblatt-kita-foerderung.pdf",
    ]
    assert all(link.startswith("http://127.0.0.1:8000/soziales.hessen.de/") for link in links)


def test_a_page_without_attachments_has_no_links():
    assert pdf_links(page("jugendberufshilfe-land-verlaengert-programm-bis-2030")) == []


def test_links_outside_the_main_content_do_not_count():
    html = (
        '<html><body><nav><a href="/datenschutz.pdf">Datenschutz (PDF)</a></nav>'
        '<main><p>Text</p><a href="/a.PDF">Anhang</a><a href="/b">Download (PDF, 3 KB)</a>'
        '<a href="/c.html">Mehr</a></main></body></html>'
    )
    response = HtmlResponse(url="https://x.de/presse/1", body=html.encode())
    assert pdf_links(response) == ["https://x.de/a.PDF", "https://x.de/b"]


def test_links_spelled_with_character_references_are_found():
    html = '<main><a href="/a.&#112;df">Anhang</a><a href="/b">Download (&#x50;DF)</a></main>'
    response = HtmlResponse(url="https://x.de/presse/1", body=html.encode())
    assert pdf_links(response) == ["https://x.de/a.pdf", "https://x.de/b"]


def test_an_attribute_lxml_cannot_name_does_not_hide_the_links():
    # seen on a real ministry page: a share button with an attribute named "{count}"
    html = '<main><a {count}="" href="/share">Teilen</a><a href="/a.pdf">Anhang</a></main>'
    response = HtmlResponse(url="https://x.de/presse/1", body=html.encode())
    assert pdf_links(response) == ["https://x.de/a.pdf"]


def test_the_download_block_does_not_change_the_normalised_fields():
    from scraper.normalise import normalise_html
    from scraper.profiles import get_profile

    for attachment in ATTACHMENTS:
        expected = entry(attachment.slug)
        body = routes()[expected["paths"][0]].body
        fields = normalise_html(body, expected["url"], get_profile(expected["site"])).fields()
        assert fields == {name: expected[name] for name in fields}


def test_replica_pdfs_are_real_pdfs_with_text():
    attachment = ATTACHMENTS[0]
    pages, text = pdf_text(attachment.body)
    assert attachment.body.startswith(b"%PDF-1.4") and pages == 1
    assert text.startswith("Sozialbudget 2026 – Übersicht der Mittel")
    assert "größten Posten" in text


def test_an_unreadable_pdf_has_no_text():
    assert pdf_text(b"%PDF-1.4 not really") == (None, None)


@pytest.fixture(scope="module")
def crawled(request, tmp_path_factory):
    """hessen-soziales crawled into an archive on the backend under test: its URL and the
    ``--warc-dir`` option of its WARC folder."""
    folder = tmp_path_factory.mktemp("pdf")
    db = new_archive_url(request, folder)
    warc = ("--warc-dir", str(folder / "archive.warc"))
    with ReplicaServer() as server:
        crawl(db, server.base_url, *warc, sites=("hessen-soziales",))
    return db, warc


def stored(db: str) -> list[tuple[str, Attachment]]:
    with Archive(db) as archive, Session(archive.engine) as session:
        stmt = select(Release.url, Attachment).join(Release).order_by(Attachment.pk)
        return [(url, attachment) for url, attachment in session.execute(stmt)]


@pytest.mark.backends
def test_crawl_stores_attachments_with_hash_size_pointer_and_text(crawled):
    found = stored(crawled[0])
    assert [a.url.rsplit("/", 1)[1] for _, a in found] == [
        "sozialbudget-2026-uebersicht.pdf",
        "faktenblatt-kita-foerderung.pdf",
    ]
    for release_url, attachment in found:
        body = next(a.body for a in ATTACHMENTS if attachment.url.endswith(a.file))
        assert release_url.endswith(BUDGET)
        assert attachment.url.startswith("https://soziales.hessen.de/sites/default/files/")
        assert attachment.sha256 == hashlib.sha256(body).hexdigest()
        assert attachment.size == len(body) and attachment.content_type == "application/pdf"
        assert attachment.warc_file and attachment.warc_offset > 0
        assert attachment.pages == 1 and "Kita" in attachment.text


@pytest.mark.backends
def test_a_recrawl_stores_no_attachment_twice(crawled):
    db, warc = crawled
    with ReplicaServer() as server:
        crawl(db, server.base_url, *warc, sites=("hessen-soziales",))
    assert len(stored(db)) == 2


def test_a_missing_pdf_does_not_lose_its_release(db_url, tmp_path):
    """A server that answers 404 for every PDF: the release is stored all the same, and each
    lost PDF is a recorded failure (exit status 3: finished, something is missing)."""
    pages = routes()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server API)
            found = None if self.path.endswith(".pdf") else pages.get(self.path)
            self.send_response(found.status if found else 404)
            body = found.body if found else b"not found"
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    db = db_url
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        result = pressarchiv("crawl", "hessen-soziales", "--db", db, "--base-url", base,
                             "--max-releases", "3",
                             "--warc-dir", str(tmp_path / "archive.warc"))  # fmt: skip
    finally:
        server.shutdown()
        server.server_close()
    assert "new=3 " in result.stdout and "failed=2" in result.stdout
    assert result.returncode == 3
    assert stored(db) == []
    assert "attachment not fetched: HTTP 404" in result.stderr


@pytest.mark.backends
def test_the_text_of_an_attachment_is_found_by_search(crawled):
    with Archive(crawled[0]) as archive:
        hits = archive.search('"Auszahlung erfolgt über die Kommunen"')  # only in the PDF
        assert [hit["id"] for hit in hits] == [
            row["id"] for row in archive.releases() if row["url"].endswith(BUDGET)
        ]
        assert "Auszahlung erfolgt" not in archive.get(hits[0]["id"])["body"]
