"""PDF attachments of releases: find the links, fetch them after the page, extract the text.

A release page's item is held back while its PDFs are fetched one after the other (each
request carries the item in ``meta``); the last one, or a failure, passes the item on with
``item["attachments"]`` filled in. Links count when they sit in the page's ``main`` (or
``article``) and either end in ``.pdf`` or say ``PDF`` (``Download (PDF, 120 KB)``); a
response only counts as an attachment when it is a PDF (content type or ``%PDF`` magic).

Bounded: a PDF larger than ``PRESSARCHIV_ATTACHMENT_MAXSIZE`` bytes (default 25 MB) is not
downloaded, and its text is extracted in a worker process with a time budget
(``PRESSARCHIV_PDF_TIMEOUT``, see ``scraper.workers``); a PDF over budget is kept without
text. Either is written to the crawl log, as is a PDF on another host (not fetched).
"""

from __future__ import annotations

import hashlib
import logging
import re
from datetime import UTC, datetime
from urllib.parse import urlsplit

import scrapy

from scraper import jobs, workers
from scraper.evidence import warc_pointer
from scraper.failures import describe_failure, record_failure, record_skip
from storage.urls import canonical_url

logger = logging.getLogger(__name__)

MAX_ATTACHMENTS = 10
MAXSIZE = 25 * 1000 * 1000  # default of PRESSARCHIV_ATTACHMENT_MAXSIZE
FAILED_STAT = "pressarchiv/attachments_failed"
STORED_STAT = "pressarchiv/attachments"
_PDF_WORD = re.compile(r"\bPDF\b")
_SCOPE = "//main | //article"
# A PDF link needs "pdf" (any case) in the page's text, or a character reference that may
# spell a letter of it or the dot (``&#80;DF``); most pages have neither and are not parsed.
_MAY_LINK_PDF = re.compile(
    r"pdf|&#(x0*(50|70|44|64|46|66|2e)|0*(80|112|68|100|70|102|46))|&period", re.I
)


def pdf_links(response) -> list[str]:
    """Absolute URLs of the PDFs a release page links to, in page order, at most ten."""
    if not _MAY_LINK_PDF.search(response.text):
        return []
    scope = response.xpath(_SCOPE) or response.xpath("//body")
    links: list[str] = []
    for anchor in scope[0].xpath(".//a[@href]") if scope else ():
        href = anchor.root.get("href").strip()  # not .attrib: lxml refuses names like {count}
        text = " ".join(anchor.xpath(".//text()").getall())
        path = urlsplit(href).path.lower()
        if path.endswith(".pdf") or _PDF_WORD.search(text):
            try:
                url = response.urljoin(href)
            except ValueError:  # a broken link: not an attachment
                continue
            if url.startswith(("http://", "https://")) and url not in links:
                links.append(url)
    return links[:MAX_ATTACHMENTS]


pdf_text = jobs.pdf_text  # (pages, text) of a PDF's bytes; run in a worker by the crawl


def is_pdf(response) -> bool:
    content_type = response.headers.get("Content-Type", b"").decode("latin-1").lower()
    return "application/pdf" in content_type or response.body.startswith(b"%PDF")


def attachment_of(response, url: str, pages: int | None, text: str | None) -> dict:
    """What the archive stores of one fetched PDF (``url`` is the real-site URL)."""
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
        meta={
            "site": item["site"],
            "attachment_of": item,
            "attachments_pending": pending[1:],
            "download_maxsize": spider.settings.getint("PRESSARCHIV_ATTACHMENT_MAXSIZE", MAXSIZE),
        },  # fmt: skip
        priority=10,
        dont_filter=True,  # two releases may share a PDF; a filtered request would lose the item
    )


def follow(response, item, spider):
    """Start fetching the page's PDFs (or hand back the item when it links none)."""
    item["attachments"] = []
    return _chain(item, pdf_links(response), spider)


async def on_attachment(response, url: str, spider):
    """A fetched attachment: keep it if it is a PDF, then go on with the next one."""
    item = response.meta["attachment_of"]
    if is_pdf(response):
        pages, text = await _text(response, spider)
        item["attachments"].append(attachment_of(response, url, pages, text))
        spider.crawler.stats.inc_value(STORED_STAT)
    else:
        logger.info("not a PDF, not attached: %s", response.url)
    return _chain(item, response.meta["attachments_pending"], spider)


async def _text(response, spider) -> tuple[int | None, str | None]:
    """The PDF's page count and text, from a worker within the time budget."""
    timeout = workers.setting("PRESSARCHIV_PDF_TIMEOUT", spider.settings)
    try:
        pages, text, problem = await workers.run(jobs.read_pdf, response.body, timeout=timeout,
                                                 settings=spider.settings)  # fmt: skip
    except workers.OverBudget as exc:
        pages, text, problem = None, None, f"text extraction {exc}"
    if problem:
        record_skip(spider.crawler, response.url, f"attachment kept without its text: {problem}")
    return pages, text


def on_failure(failure, spider):
    """A PDF that could not be fetched: recorded, and the release is kept without it."""
    request = failure.request
    url, reason, skipped, _ = describe_failure(failure)
    release = request.meta["attachment_of"].get("fetched_url")
    if skipped:
        record_skip(spider.crawler, url, f"attachment not fetched: {reason}")
    else:
        spider.crawler.stats.inc_value(FAILED_STAT)
        reason = f"attachment not fetched: {reason} (release {release} kept without it)"
        record_failure(spider.crawler, url, reason)
    return _chain(request.meta["attachment_of"], request.meta["attachments_pending"], spider)
