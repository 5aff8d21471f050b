"""Archived copies: a release page or attachment as fetched, read back from the WARC files.

The copy is served in a sandbox (no scripts, nothing loaded from elsewhere), inside a page
saying what it is: which URL, when fetched, which WARC record and its digest.
"""

from __future__ import annotations

import re
from pathlib import Path

from datasette.utils.asgi import Response
from sqlalchemy import select

from scraper.evidence.reader import WarcReadError, read_response
from scraper.web.metadata import PLUGIN
from scraper.web.session import run
from scraper.web.views import PageError, page, render
from storage.models import Attachment, Release, Revision

SANDBOX = {
    "Content-Security-Policy": "sandbox; default-src 'none'; img-src data:; "
    "style-src 'unsafe-inline'",
    "X-Content-Type-Options": "nosniff",
}


def warc_dir(datasette) -> Path | None:
    folder = (datasette.plugin_config(PLUGIN) or {}).get("warc_dir")
    return Path(folder) if folder else None


def _pointer(session, release_id: str, number: int) -> dict | None:
    stmt = (
        select(Revision)
        .join(Release, Release.pk == Revision.release_pk)
        .where(Release.id == release_id, Revision.number == number)
    )
    rev = session.scalar(stmt)
    if rev is None:
        return None
    return {
        "id": release_id,
        "number": number,
        "title": rev.fields.get("title"),
        "fetched_at": rev.fetched_at.isoformat(),
        "fetched_url": rev.fetched_url,
        "file": rev.warc_file,
        "offset": rev.warc_offset,
        "digest": rev.warc_digest,
    }


def _read(datasette, pointer: dict):
    """The archived response of ``pointer``, or a ``PageError`` saying why not."""
    folder = warc_dir(datasette)
    if not pointer["file"] or folder is None:
        raise PageError(
            404, "Von dieser Fassung gibt es keine archivierte Kopie (kein WARC-Eintrag)."
        )
    try:
        return read_response(folder, pointer["file"], pointer["offset"])
    except WarcReadError as exc:
        raise PageError(404, f"Die archivierte Kopie ist nicht lesbar: {exc}") from None


@page
async def copy_page(request, datasette):
    """``/release/<id>/kopie/<n>``: the archived page of version n, framed and labelled."""
    release_id, number = request.url_vars["id"], int(request.url_vars["number"])
    pointer = await run(datasette, lambda s: _pointer(s, release_id, number))
    if pointer is None:
        raise PageError(404, f"Die Meldung „{release_id}“ hat keine Fassung {number}.")
    response = _read(datasette, pointer)
    context = {"nav": "suche", "c": pointer, "status": response.status, "url": response.url}
    return await render(datasette, request, "pa_copy.html", context)


@page
async def copy_raw(request, datasette):
    """``/release/<id>/kopie/<n>/roh``: the archived bytes, sandboxed."""
    release_id, number = request.url_vars["id"], int(request.url_vars["number"])
    pointer = await run(datasette, lambda s: _pointer(s, release_id, number))
    if pointer is None:
        raise PageError(404, f"Die Meldung „{release_id}“ hat keine Fassung {number}.")
    body = _read(datasette, pointer).body
    try:
        body.decode("utf-8")
        content_type = "text/html; charset=utf-8"
    except UnicodeDecodeError:
        content_type = "text/html"  # the page's own <meta charset> decides
    return Response(body, content_type=content_type, headers=SANDBOX)


@page
async def attachment(request, datasette):
    """``/release/<id>/anhang/<pk>``: an archived attachment (PDF) as fetched."""
    release_id, pk = request.url_vars["id"], int(request.url_vars["pk"])

    def find(session):
        stmt = (
            select(Attachment)
            .join(Release, Release.pk == Attachment.release_pk)
            .where(Release.id == release_id, Attachment.pk == pk)
        )
        found = session.scalar(stmt)
        return found and {"file": found.warc_file, "offset": found.warc_offset, "url": found.url}

    pointer = await run(datasette, find)
    if pointer is None:
        raise PageError(404, f"Die Meldung „{release_id}“ hat keinen Anhang {pk}.")
    body = _read(datasette, pointer).body
    pdf = body.startswith(b"%PDF")
    name = re.sub(r"[^\w.-]", "_", pointer["url"].rstrip("/").rsplit("/", 1)[-1], flags=re.A)
    headers = {
        "X-Content-Type-Options": "nosniff",
        "Content-Disposition": f'inline; filename="{name or "anhang"}"',
    }
    content_type = "application/pdf" if pdf else "application/octet-stream"
    return Response(body, content_type=content_type, headers=headers)
