"""Fixity: re-read every WARC record the archive points at and check its digests.

Each revision and each attachment names a response record (file, offset, payload digest).
``verify`` groups those pointers by file, reads each file once from start to end (one gzip
member per record, so a sequential pass is the cheapest read) and checks, for every record
pointed at, that it is there, that it is a response (or a revisit whose original is
there), that warcio's block and payload digests pass and that its payload digest is the
one the archive recorded. A file that is missing, or a record that cannot be read, is
reported with the releases whose evidence it holds.
"""

from __future__ import annotations

import base64
import hashlib
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session
from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from scraper.evidence.reader import WarcReadError, read_response
from storage.models import Attachment, Release, Revision

# warcio itself raises AttributeError for a response record whose damaged header lost its URI.
READ_ERRORS = (ArchiveLoadFailed, AttributeError, EOFError, OSError, ValueError)


@dataclass(frozen=True)
class Pointer:
    """One archived record the archive relies on: whose it is and what it should hold."""

    release: str  # release id
    kind: str  # "revision N" or "attachment"
    file: str
    offset: int
    digest: str | None


@dataclass
class Problem:
    """A missing file or a damaged record, with the releases whose evidence it held."""

    kind: str  # "missing" (the file is gone) or "damaged" (a record is unreadable or wrong)
    file: str
    reason: str
    offsets: list[int] = field(default_factory=list)
    releases: list[str] = field(default_factory=list)

    def line(self) -> str:
        where = self.file if self.kind == "missing" else f"{self.file}#{self.offsets[0]}"
        count = len(self.offsets)
        records = f"{count} record{'s' if count != 1 else ''}"
        held = ", ".join(sorted(set(self.releases)))
        return f"{self.kind} {where}: {self.reason} ({records}; releases {held})"

    def to_dict(self) -> dict:
        return {
            "kind": self.kind, "file": self.file, "reason": self.reason,
            "offsets": self.offsets, "releases": sorted(set(self.releases)),
        }  # fmt: skip


@dataclass
class VerifyReport:
    records: int = 0  # pointers checked
    ok: int = 0
    files: int = 0
    bytes: int = 0  # bytes of the WARC files read
    unarchived: int = 0  # revisions stored before WARC files were kept (nothing to check)
    seconds: float = 0.0
    problems: list[Problem] = field(default_factory=list)

    @property
    def missing(self) -> int:
        return sum(len(p.offsets) for p in self.problems if p.kind == "missing")

    @property
    def damaged(self) -> int:
        return sum(len(p.offsets) for p in self.problems if p.kind == "damaged")

    @property
    def rate(self) -> float:
        """Records checked per second."""
        return self.records / self.seconds if self.seconds else 0.0

    def line(self) -> str:
        return (
            f"checked={self.records} ok={self.ok} missing={self.missing} "
            f"damaged={self.damaged} unarchived={self.unarchived} files={self.files} "
            f"rate={self.rate:,.0f}/s"
        )

    def to_dict(self) -> dict:
        return {
            "checked": self.records, "ok": self.ok, "missing": self.missing,
            "damaged": self.damaged, "unarchived": self.unarchived, "files": self.files,
            "bytes": self.bytes, "seconds": round(self.seconds, 3),
            "rate": round(self.rate, 1), "problems": [p.to_dict() for p in self.problems],
        }  # fmt: skip


def pointers(session: Session, site: str | None = None) -> tuple[list[Pointer], int]:
    """Every WARC pointer of every revision and attachment (of ``site``), and the number of
    revisions without one."""
    revisions = (
        select(Release.id, Revision.number, Revision.warc_file, Revision.warc_offset,
               Revision.warc_digest)
        .join(Revision, Revision.release_pk == Release.pk)
    )  # fmt: skip
    attachments = select(
        Release.id, Attachment.warc_file, Attachment.warc_offset, Attachment.warc_digest
    ).join(Attachment, Attachment.release_pk == Release.pk)
    if site:
        revisions = revisions.where(Release.site == site)
        attachments = attachments.where(Release.site == site)
    found, unarchived = [], 0
    for release, number, file, offset, digest in session.execute(revisions):
        if file is None:
            unarchived += 1
        else:
            found.append(Pointer(release, f"revision {number}", file, offset, digest))
    for release, file, offset, digest in session.execute(attachments):
        if file is not None:
            found.append(Pointer(release, "attachment", file, offset, digest))
    return found, unarchived


def _check_record(record, expected: str | None) -> str | None:
    """Why this record does not hold what the archive recorded (None: it does). The payload
    is hashed here (a cut record reads back short, without error); reading it to the end
    also lets warcio check the block digest (``check_digests``)."""
    if record.rec_type not in ("response", "revisit"):
        return f"a {record.rec_type} record, not a response"
    sha1 = hashlib.sha1()
    while chunk := record.raw_stream.read(1 << 16):
        sha1.update(chunk)
    header = record.rec_headers.get_header("WARC-Payload-Digest")
    if expected and header != expected:
        return f"payload digest {header} is not the recorded {expected}"
    if record.rec_type == "revisit":
        return None  # no payload of its own: the original is checked
    if not header:
        return "a response record without a payload digest"
    if "sha1:" + base64.b32encode(sha1.digest()).decode("ascii") != header:
        return "payload does not match its digest (truncated or damaged record)"
    if record.digest_checker.passed is False:
        return "block digest does not match (damaged record)"
    return None


def _unreadable(exc: BaseException) -> str:
    """A one-line reason for a record warcio cannot parse."""
    text = str(exc).split(", first line")[0][:80]
    return f"unreadable ({type(exc).__name__}: {text})"


def _scan(path: Path, wanted: dict[int, list[Pointer]]) -> dict[int, str | None]:
    """One pass over a WARC file: offset -> problem (None: fine) for the wanted offsets."""
    verdicts: dict[int, str | None] = {}
    with open(path, "rb") as stream:
        iterator = ArchiveIterator(stream, check_digests=True)
        try:
            for record in iterator:
                offset = iterator.offset  # where this record starts (before reading it)
                if offset in wanted:
                    verdicts[offset] = _check_record(record, wanted[offset][0].digest)
                    if record.rec_type == "revisit" and verdicts[offset] is None:
                        verdicts[offset] = _check_revisit(path.parent, record)
                if len(verdicts) == len(wanted):
                    break
        except READ_ERRORS:
            pass  # damaged from here on: the offsets not reached are read one by one
    for offset in wanted.keys() - verdicts.keys():
        verdicts[offset] = _check_alone(path, offset, wanted[offset][0].digest)
    return verdicts


def _check_alone(path: Path, offset: int, expected: str | None) -> str | None:
    """Read the record at ``offset`` directly (after damage earlier in the file)."""
    try:
        with open(path, "rb") as stream:
            stream.seek(offset)
            iterator = ArchiveIterator(stream, check_digests=True)
            record = next(iter(iterator), None)
            if record is None:
                return "no record at this offset (file truncated?)"
            problem = _check_record(record, expected)
            if problem is None and record.rec_type == "revisit":
                problem = _check_revisit(path.parent, record)
            return problem
    except READ_ERRORS as exc:
        return _unreadable(exc)


def _check_revisit(folder: Path, record) -> str | None:
    """A revisit is fine when the original it refers to is there with the same payload."""
    try:
        original = read_response(folder, *refers_to(record))
    except (WarcReadError, TypeError, ValueError) as exc:
        return f"revisit whose original is unreadable: {exc}"
    header = record.rec_headers.get_header("WARC-Payload-Digest")
    if original.digest != header:
        return "revisit whose original holds another payload"
    return None


def refers_to(record) -> tuple[str, int]:
    """File and offset of the response a pressarchiv revisit record refers to."""
    headers = record.rec_headers
    return (
        headers.get_header("WARC-Refers-To-Filename"),
        int(headers.get_header("WARC-Refers-To-File-Offset")),
    )


def verify(
    engine,
    folder: str | Path,
    site: str | None = None,
    clock: Callable[[], float] | None = None,
) -> VerifyReport:
    """Check every WARC record the archive points at (of ``site``) in ``folder``."""
    clock = clock or time.perf_counter
    started = clock()
    folder = Path(folder)
    report = VerifyReport()
    with Session(engine) as session:
        found, report.unarchived = pointers(session, site)
    by_file: dict[str, dict[int, list[Pointer]]] = defaultdict(lambda: defaultdict(list))
    for pointer in found:
        by_file[pointer.file][pointer.offset].append(pointer)
    report.records = len(found)
    for name in sorted(by_file):
        wanted = by_file[name]
        path = folder / name
        if not path.is_file():
            releases = [p.release for at in wanted.values() for p in at]
            report.problems.append(
                Problem("missing", name, "no such file", sorted(wanted), releases)
            )
            continue
        report.files += 1
        report.bytes += path.stat().st_size
        for offset, problem in sorted(_scan(path, wanted).items()):
            if problem is None:
                report.ok += len(wanted[offset])
                continue
            releases = [p.release for p in wanted[offset]]
            report.problems.append(Problem("damaged", name, problem, [offset], releases))
    report.seconds = clock() - started
    return report
