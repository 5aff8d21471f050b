"""PDF attachments of releases: find the links, fetch them after the page, extract the text.

A release page's item is held back while its PDFs are fetched one after the other (each
request carries the item in ``meta``); the last one, or a failure, passes the item on with
``item["attachments"]`` filled in. Links count when they sit in the page's ``main`` (or
``article``) and either end in ``.pdf`` or say ``PDF`` (``Download (PDF, 120 KB)``); a
response only counts as an attachment when it is a PDF (content type or ``%PDF`` magic).
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
from datetime import UTC, datetime
from urllib.parse import urlsplit

import scrapy
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from scraper.evidence import warc_pointer
from storage.urls import canonical_url

logger = logging.getLogger(__name__)

MAX_ATTACHMENTS = 10
FAILED_STAT = "pressarchiv/attachments_failed"
STORED_STAT = "pressarchiv/attachments"
_PDF_WORD = re.compile(r"\bPDF\b")
_SCOPE = "//main | //article"


def pdf_links(response) -> list[str]:
    """Absolute URLs of the PDFs a release page links to, in page order, at most ten."""
    scope = response.xpath(_SCOPE) or response.xpath("//body")
    links: list[str] = []
    for anchor in scope[0].xpath(".//a[@href]"):
        href = anchor.attrib["href"].strip()
        text = " ".join(anchor.xpath(".//text()").getall())
        path = urlsplit(href).path.lower()
        if path.endswith(".pdf") or _PDF_WORD.search(text):
            url = response.urljoin(href)
            if url.startswith(("http://", "https://")) and url not in links:
                links.append(url)
    return links[:MAX_ATTACHMENTS]


def pdf_text(data: bytes) -> tuple[int | None, str | None]:
    """Page count and extracted text (pages separated by a blank line); None when unreadable."""
    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [(page.extract_text() or "").strip() for page in reader.pages]
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as exc:
        logger.warning("cannot read PDF text: %s", exc)
        return None, None
    return len(pages), "\n\n".join(p for p in pages if p) or None


def is_pdf(response) -> bool:
    content_type = response.headers.get("Content-Type", b"").decode("latin-1").lower()
    return "application/pdf" in content_type or response.body.startswith(b"%PDF")


def attachment_of(response, url: str) -> dict:
    """What the archive stores of one fetched PDF (``url`` is the real-site URL)."""
    pages, text = pdf_text(response.body)
    return {
        "url": canonical_url(url),
        "fetched_url": response.url,
        "fetched_at": datetime.now(UTC),
        "content_type": response.headers.get("Content-Type", b"").decode("latin-1") or None,
        "sha256": hashlib.sha256(response.body).hexdigest(),
        "size": len(response.body),
        "warc": warc_pointer(response),
        "pages": pages,
        "text": text,
    }


def _chain(item, pending: list[str], spider):
    """The request for the next pending PDF, or the finished item."""
    if not pending:
        return item
    return scrapy.Request(
        pending[0],
        callback=spider.parse_attachment,
        errback=spider.attachment_failed,
        meta={"attachment_of": item, "attachments_pending": pending[1:]},
        priority=10,
        dont_filter=True,  # two releases may share a PDF; a filtered request would lose the item
    )


def follow(response, item, spider):
    """Start fetching the page's PDFs (or hand back the item when it links none)."""
    item["attachments"] = []
    return _chain(item, pdf_links(response), spider)


def on_attachment(response, url: str, spider):
    """A fetched attachment: keep it if it is a PDF, then go on with the next one."""
    item = response.meta["attachment_of"]
    if is_pdf(response):
        item["attachments"].append(attachment_of(response, url))
        spider.crawler.stats.inc_value(STORED_STAT)
    else:
        logger.info("not a PDF, not attached: %s", response.url)
    return _chain(item, response.meta["attachments_pending"], spider)


def on_failure(failure, spider):
    """A PDF that could not be fetched: log it and go on; the release is kept regardless."""
    request = failure.request
    spider.crawler.stats.inc_value(FAILED_STAT)
    logger.warning("attachment not fetched %s: %s", request.url, failure.getErrorMessage())
    return _chain(request.meta["attachment_of"], request.meta["attachments_pending"], spider)
