"""WACZ packages of the evidence, written and validated with Webrecorder's ``wacz``.

For the selected releases, the WARC records their revisions and attachments point at are
copied byte for byte (each record is its own gzip member) into one WARC file: the response
(or revisit and the original response it refers to) with the request and metadata records
written beside it. ``wacz create`` then indexes that file and writes the package:
``archive/``, ``indexes/index.cdx.gz``, ``pages/pages.jsonl`` (one entry per release page,
ours), ``datapackage.json`` (every file with its sha256) and ``datapackage-digest.json``.
With a signing service configured (``PRESSARCHIV_WACZ_SIGNING_URL``, optionally
``PRESSARCHIV_WACZ_SIGNING_TOKEN``), ``wacz`` asks it to sign the digest.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session
from warcio.archiveiterator import ArchiveIterator
from warcio.warcwriter import WARCWriter

from scraper import __version__
from scraper.evidence.fixity import READ_ERRORS
from scraper.evidence.reader import WarcReadError
from storage.models import Attachment, Release, Revision

SIGNING_URL = "PRESSARCHIV_WACZ_SIGNING_URL"
SIGNING_TOKEN = "PRESSARCHIV_WACZ_SIGNING_TOKEN"
PACKED_WARC = "pressarchiv-evidence.warc.gz"


class WaczError(Exception):
    """The package could not be written (nothing selected, a record unreadable, ...)."""


@dataclass
class PackSummary:
    releases: int = 0
    pages: int = 0
    records: int = 0
    missing: list[str] | None = None

    def line(self) -> str:
        return f"releases={self.releases} pages={self.pages} exchanges={self.records}"


def _selected(session: Session, site: str | None, since: date | None):
    """(release id, title, revision pointer, fetched url, fetched at) of every revision,
    and (release id, pointer) of every attachment, of the selected releases."""
    revisions = (
        select(Release.id, Release.title, Revision.warc_file, Revision.warc_offset,
               Revision.fetched_url, Revision.fetched_at, Release.url)
        .join(Revision, Revision.release_pk == Release.pk)
        .where(Revision.warc_file.is_not(None))
        .order_by(Release.published, Release.id, Revision.number)
    )  # fmt: skip
    attachments = (
        select(Release.id, Attachment.warc_file, Attachment.warc_offset)
        .join(Attachment, Attachment.release_pk == Release.pk)
        .where(Attachment.warc_file.is_not(None))
    )
    for condition in (
        Release.site == site if site else None,
        Release.published >= since if since else None,
    ):
        if condition is not None:
            revisions = revisions.where(condition)
            attachments = attachments.where(condition)
    return session.execute(revisions).all(), session.execute(attachments).all()


def _exchange_bytes(folder: Path, file: str, offset: int) -> tuple[bytes, dict]:
    """The raw gzip members of the record at ``file#offset`` and the records written with
    it (request, metadata), and the record's headers."""
    with open(folder / file, "rb") as stream:
        stream.seek(offset)
        iterator = ArchiveIterator(stream)
        records = iter(iterator)
        first = next(records)
        if first.rec_type not in ("response", "revisit"):
            raise WarcReadError(f"{file}#{offset}: a {first.rec_type} record, not a response")
        headers = dict(first.rec_headers.headers)
        record_id = headers.get("WARC-Record-ID")
        iterator.read_to_end()
        end = iterator.offset  # where the next gzip member starts (absolute)
        for record in records:
            if record.rec_headers.get_header("WARC-Concurrent-To") != record_id:
                break
            iterator.read_to_end()
            end = iterator.offset
        stream.seek(offset)
        return stream.read(end - offset), headers


def _timestamp(moment) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def pack_warc(engine, folder: Path, out: Path, site=None, since=None) -> tuple[list, int, int]:
    """Copy the selected records into ``out``; returns the pages, releases and records."""
    with Session(engine) as session:
        revisions, attachments = _selected(session, site, since)
    if not revisions:
        raise WaczError("no archived release matches the selection")
    wanted = [(r.warc_file, r.warc_offset) for r in revisions]
    wanted += [(a.warc_file, a.warc_offset) for a in attachments]
    written: set[tuple[str, int]] = set()
    pages, count = [], 0
    with open(out, "wb") as stream:
        writer = WARCWriter(stream, gzip=True)
        info = {
            "software": f"pressarchiv/{__version__}",
            "description": "evidence of selected press releases, copied from the archive",
        }
        writer.write_record(writer.create_warcinfo_record(out.name, info))
        queue = list(wanted)
        while queue:
            pointer = queue.pop(0)
            if pointer in written:
                continue
            try:
                data, headers = _exchange_bytes(folder, *pointer)
            except (WarcReadError, StopIteration, *READ_ERRORS) as exc:
                raise WaczError(f"{pointer[0]}#{pointer[1]}: cannot read ({exc})") from None
            stream.write(data)
            written.add(pointer)
            count += 1
            original = headers.get("WARC-Refers-To-Filename")
            if original:  # a revisit: the package needs the response holding the payload
                queue.append((original, int(headers["WARC-Refers-To-File-Offset"])))
    for row in revisions:
        pages.append({
            "id": f"{row.id}-{_timestamp(row.fetched_at)}", "url": row.fetched_url or row.url,
            "ts": _timestamp(row.fetched_at), "title": row.title,
            "release": row.id, "archived_url": row.url,
        })  # fmt: skip
    return pages, len({row.id for row in revisions}), count


def write_pages(pages: list[dict], path: Path, title: str) -> None:
    header = {"format": "json-pages-1.0", "id": "pages", "title": title}
    with open(path, "w", encoding="utf-8") as stream:
        for entry in [header, *pages]:
            stream.write(json.dumps(entry, ensure_ascii=False) + "\n")


def _run_wacz(args: list[str]) -> tuple[int, str]:
    """``wacz`` in this process, its chatter captured."""
    from wacz.main import main as wacz_main

    chatter = io.StringIO()
    with contextlib.redirect_stdout(chatter):
        status = wacz_main(args)
    return status or 0, chatter.getvalue()


def validate(path: str | Path) -> tuple[bool, str]:
    """``wacz validate``: whether the package is valid, and what the validator said."""
    status, said = _run_wacz(["validate", "-f", str(path)])
    return status == 0, said


def write_wacz(
    engine,
    folder: str | Path,
    output: str | Path,
    site: str | None = None,
    since: date | None = None,
    title: str = "pressarchiv evidence",
) -> PackSummary:
    """Write the WACZ package of the selected releases to ``output`` (renamed into place
    once complete and valid)."""
    output = Path(output)
    with tempfile.TemporaryDirectory(dir=output.parent) as tmp:
        work = Path(tmp)
        warc = work / PACKED_WARC
        pages, releases, records = pack_warc(engine, Path(folder), warc, site, since)
        write_pages(pages, work / "pages.jsonl", title)
        partial = work / "package.wacz"
        args = ["create", "-o", str(partial), "--hash-type", "sha256", "--copy-pages",
                "--pages", str(work / "pages.jsonl"), "--title", title,
                "--desc", f"written by pressarchiv {__version__}", str(warc)]  # fmt: skip
        if os.environ.get(SIGNING_URL):
            args += ["--signing-url", os.environ[SIGNING_URL]]
            if os.environ.get(SIGNING_TOKEN):
                args += ["--signing-token", os.environ[SIGNING_TOKEN]]
        status, said = _run_wacz(args)
        if status != 0:
            raise WaczError(f"wacz create failed: {said.strip().splitlines()[-1:]}")
        if "Not Signed" in said:
            print("warning: the signing service did not sign the package", file=sys.stderr)
        valid, said = validate(partial)
        if not valid:
            raise WaczError(f"the package does not validate: {said.strip()}")
        os.replace(partial, output)
    return PackSummary(releases=releases, pages=len(pages), records=records)
