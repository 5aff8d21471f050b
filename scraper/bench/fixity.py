"""``pressarchiv bench verify``: the fixity check at archive scale, beside ``warcio check``.

Builds (once, reused) a synthetic archive of N releases whose pages are written to WARC
files as a crawl writes them (response + request record, one gzip member each; pages of
about 20 KB: a ministry page's chrome around a synthetic release text), with one revision
per release pointing at its record. Then times ``verify`` over it and ``warcio check``
over the same files in the same run, and extrapolates both to a million releases.
"""

from __future__ import annotations

import html
import subprocess
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import insert
from warcio.statusandheaders import StatusAndHeaders

from scraper.evidence.fixity import VerifyReport, verify
from scraper.evidence.writer import Exchange, WarcRecorder
from storage import Archive
from storage.models import Release, Revision
from storage.records import content_hash, stable_id, title_key
from storage.synthetic import releases

CHUNK = 2000
MILLION = 1_000_000
CHROME = "".join(
    f'<li><a href="/presse/seite-{n}" class="nav-item nav-item--level-2">Navigationspunkt {n}'
    "</a></li>\n"
    for n in range(160)
)  # about 12 KB of navigation, as on the replica's ministry pages


def page(fields: dict) -> bytes:
    """A release page: navigation chrome around the title and body."""
    body = "".join(f"<p>{html.escape(part)}</p>\n" for part in fields["body"].split("\n\n"))
    return (
        f"<!DOCTYPE html><html lang=de><head><title>{html.escape(fields['title'])}</title>"
        f"</head><body><nav><ul>{CHROME}</ul></nav><main><h1>{html.escape(fields['title'])}"
        f"</h1><time>{fields['published']}</time>{body}</main></body></html>"
    ).encode()


def _exchange(url: str, body: bytes, moment: datetime) -> Exchange:
    return Exchange(
        url=url,
        request_head=StatusAndHeaders(
            f"GET {url.split('/', 3)[3]} HTTP/1.1", [("Host", url.split("/")[2])],
            is_http_request=True,
        ),
        request_body=b"",
        response_head=StatusAndHeaders(
            "200 OK", [("Content-Type", "text/html; charset=utf-8"),
                       ("Content-Length", str(len(body)))], protocol="HTTP/1.1",
        ),
        response_body=body,
        fetched_at=moment,
    )  # fmt: skip


def prepare(folder: Path, count: int, echo=print, db: str | None = None) -> tuple[str, Path]:
    """The benchmark archive of ``count`` releases in ``folder`` (built once, reused), or
    at ``db`` with its WARC files in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    db, warc = db or f"sqlite:///{folder / 'archive.sqlite'}", folder / "archive.warc"
    with Archive(db) as archive:
        done = archive.count()
        if done >= count:
            return db, warc
        echo(f"writing {count - done} releases and their WARC records to {folder} ...")
        recorder = WarcRecorder(warc, {"software": "pressarchiv bench verify"})
        now = datetime(2026, 1, 1, tzinfo=UTC)
        stream = releases(count - done, first=done)
        while done < count:
            batch = [next(stream) for _ in range(min(CHUNK, count - done))]
            rows, revisions = [], []
            for pk, (site, fields) in enumerate(batch, done + 1):
                url = f"https://{site}.example.de/presse/synthetisch-{pk}"
                pointer = recorder.write(_exchange(url, page(fields), now))
                key, digest = title_key(fields["title"]), content_hash(fields)
                rows.append({
                    "pk": pk, "id": stable_id(site, fields["published"], key, url),
                    "site": site, "url": url, "title": fields["title"],
                    "published": date.fromisoformat(fields["published"]), "persons": [],
                    "flags": [], "title_key": key, "content_hash": digest, "first_seen": now,
                    "last_seen": now, "revision": 1,
                })  # fmt: skip
                revisions.append({
                    "release_pk": pk, "number": 1, "content_hash": digest, "fields": {},
                    "fetched_at": now, "fetched_url": url, "warc_file": pointer.file,
                    "warc_offset": pointer.offset, "warc_digest": pointer.digest,
                })  # fmt: skip
            with archive.engine.begin() as conn:
                conn.execute(insert(Release), rows)
                conn.execute(insert(Revision), revisions)
            done += len(batch)
        recorder.close()
    return db, warc


def warcio_check(warc: Path) -> float:
    """Seconds ``warcio check`` takes over every file of ``warc`` (the reference tool)."""
    tool = Path(sys.executable).with_name("warcio")
    started = time.perf_counter()
    subprocess.run([str(tool), "check", *map(str, sorted(warc.glob("*.warc.gz")))], check=True)
    return time.perf_counter() - started


def run(db: str, warc: Path) -> tuple[VerifyReport, float]:
    with Archive(db) as archive:
        report = verify(archive.engine, warc)
    return report, warcio_check(warc)


def report(result: VerifyReport, reference: float) -> str:
    rate = result.rate
    mb = result.bytes / 1e6
    per_million = MILLION / rate if rate else float("inf")
    ref_rate = result.records / reference
    return "\n".join([
        f"records checked: {result.records} in {result.files} files, {mb:,.0f} MB "
        f"({result.line()})",
        f"pressarchiv verify: {result.seconds:.1f} s, {rate:,.0f} records/s, "
        f"{mb / result.seconds:,.1f} MB/s; 1M releases: ~{per_million / 60:,.0f} min "
        "(extrapolated)",
        f"warcio check (same files): {reference:.1f} s, {ref_rate:,.0f} records/s; "
        f"ratio verify/warcio check time: {result.seconds / reference:.2f}",
    ])  # fmt: skip
