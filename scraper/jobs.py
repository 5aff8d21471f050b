"""The tasks the worker processes run (``scraper.workers``): small imports, plain values."""

from __future__ import annotations

import io

from pypdf import PdfReader
from pypdf.errors import PyPdfError

from scraper.normalise import normalise_html


def normalise_page(body: bytes, url: str, profile, listing: dict | None,
                   content_type: str | None = None, fetched=None) -> dict:  # fmt: skip
    """The fields and provenance of a release page, as the crawl stores them."""
    record = normalise_html(body, url=url, profile=profile, listing=listing,
                            content_type=content_type, fetched=fetched)  # fmt: skip
    return record.to_dict()


def pdf_text(data: bytes) -> tuple[int | None, str | None]:
    """Page count and extracted text (pages separated by a blank line); None when unreadable."""
    pages, text, _ = read_pdf(data)
    return pages, text


def read_pdf(data: bytes) -> tuple[int | None, str | None, str | None]:
    """``(pages, text, problem)``: the text as ``pdf_text``, or why there is none."""
    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [(page.extract_text() or "").strip() for page in reader.pages]
    except (PyPdfError, ValueError, KeyError, TypeError, OSError, RecursionError) as exc:
        return None, None, f"unreadable PDF ({type(exc).__name__}: {str(exc)[:200]})"
    return len(pages), "\n\n".join(p for p in pages if p) or None, None
