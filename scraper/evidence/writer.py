"""WARC files of one crawl process: gzip member per record, size-based rollover.

File names are unique per process and machine (workers on many machines share one folder):
``pressarchiv-<UTC timestamp>-<host name>-<pid>-<serial>.warc.gz``.
Each file starts with a ``warcinfo`` record. Every record is flushed to the operating
system as soon as it is written, so a crawl killed (even ``kill -9``) leaves at worst a
truncated last gzip member, which the reader tolerates; files are created with ``x`` mode
and never reopened, so nothing already written is ever touched again.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import socket
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from scraper.evidence.reader import payload_digest

DEFAULT_MAX_SIZE = 100 * 1000 * 1000
# zlib's default level: on real press pages (about 130 KB of HTML) 1.9 ms a page instead of
# warcio's level 9 (3.1 ms), for files 0.6% larger.
GZIP_LEVEL = 6
_serial = itertools.count(1)
_HOST = re.sub(r"[^A-Za-z0-9.-]+", "_", socket.gethostname()) or "host"


@dataclass(frozen=True)
class WarcPointer:
    """Where a response record lives: file (relative to the WARC folder), offset, digest."""

    file: str
    offset: int
    digest: str

    @property
    def ref(self) -> str:
        """``warc:<file>#<offset>``, the form exports show."""
        return f"warc:{self.file}#{self.offset}"

    def to_dict(self) -> dict:
        return {"file": self.file, "offset": self.offset, "digest": self.digest}


@dataclass(frozen=True)
class Exchange:
    """One HTTP exchange as sent and received (bodies exactly as on the wire)."""

    url: str
    request_head: StatusAndHeaders
    request_body: bytes
    response_head: StatusAndHeaders
    response_body: bytes
    fetched_at: datetime
    ip_address: str | None = None


def warc_date(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class GzipPerRecord:
    """The file as warcio's writer (``gzip=False``) sees it: each record, which the writer
    ends with ``flush()``, becomes one gzip member of ``out``, as WARC readers expect.

    A record is held back until ``BUFFER`` bytes, so that a small one is compressed with a
    window no larger than itself: zlib's full 32 KB window and hash table cost about 50 us
    to set up per member (three members a page), more than compressing a 4 KB page; a
    window as large as the data finds the same matches, and every inflater reads it.
    """

    BUFFER = 1 << 15

    def __init__(self, out, level: int = GZIP_LEVEL):
        self.out = out
        self.level = level
        self._member = None
        self._held: list[bytes] = []
        self._size = 0

    def write(self, data: bytes) -> None:
        if self._member is None:
            self._held.append(data)
            self._size += len(data)
            if self._size < self.BUFFER:
                return
            data = self._start()
        self.out.write(self._member.compress(data))

    def _start(self) -> bytes:
        """Start the member sized to what is held; returns the held bytes."""
        bits = min(zlib.MAX_WBITS, max(9, self._size.bit_length()))
        memory = max(1, min(8, bits - 7))  # zlib's default pairs 15 window bits with 8
        self._member = zlib.compressobj(self.level, zlib.DEFLATED, bits + 16, memory)
        data = b"".join(self._held)
        self._held, self._size = [], 0
        return data

    def flush(self) -> None:
        if self._member is None and self._held:
            data = self._start()
            self.out.write(self._member.compress(data))
        if self._member is not None:
            self.out.write(self._member.flush())
            self._member = None
        self.out.flush()


class WarcRecorder:
    """Appends exchanges to ``folder``, starting a new file past ``max_size`` bytes.

    With ``known`` (a ``KnownPayloads``), a ``200`` response whose payload is already
    archived is written as a ``revisit`` record referring to the original response.
    """

    def __init__(
        self, folder: str | Path, info: dict, max_size: int = DEFAULT_MAX_SIZE, known=None
    ):
        self.folder = Path(folder)
        self.info = info
        self.max_size = max_size
        self.known = known
        self.files: list[str] = []
        self._out = None
        self._writer: WARCWriter | None = None

    def _open(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S%f")
        name = f"pressarchiv-{stamp}-{_HOST}-{os.getpid()}-{next(_serial):05d}.warc.gz"
        self._out = open(self.folder / name, "xb")  # noqa: SIM115 (kept open across calls)
        self._writer = WARCWriter(GzipPerRecord(self._out), gzip=False)
        self.files.append(name)
        self._write(self._writer.create_warcinfo_record(name, self.info))

    def _write(self, record) -> int:
        offset = self._out.tell()
        self._writer.write_record(record)  # flushed to the OS with the record's last bytes
        return offset

    def write(self, exchange: Exchange, metadata: dict | None = None) -> WarcPointer:
        """Write response, request (and metadata) records; returns the response's pointer."""
        if self._out is None:
            self._open()
        date = warc_date(exchange.fetched_at)
        headers = {"WARC-Date": date} | (
            {"WARC-IP-Address": exchange.ip_address} if exchange.ip_address else {}
        )
        response = self._revisit(exchange, headers) or self._writer.create_warc_record(
            exchange.url,
            "response",
            payload=BytesIO(exchange.response_body),
            length=len(exchange.response_body),
            http_headers=exchange.response_head,
            warc_headers_dict=headers,
        )
        response_id = response.rec_headers.get_header("WARC-Record-ID")
        offset = self._write(response)
        linked = {"WARC-Date": date, "WARC-Concurrent-To": response_id}
        self._write(
            self._writer.create_warc_record(
                exchange.url,
                "request",
                payload=BytesIO(exchange.request_body),
                length=len(exchange.request_body),
                http_headers=exchange.request_head,
                warc_headers_dict=linked,
            )
        )
        if metadata:
            data = json.dumps(metadata, ensure_ascii=False, sort_keys=True).encode("utf-8")
            self._write(
                self._writer.create_warc_record(
                    exchange.url,
                    "metadata",
                    payload=BytesIO(data),
                    length=len(data),
                    warc_content_type="application/json",
                    warc_headers_dict=linked,
                )
            )
        digest = response.rec_headers.get_header("WARC-Payload-Digest")
        pointer = WarcPointer(self.files[-1], offset, digest)
        if self._out.tell() >= self.max_size:
            self.close()
        return pointer

    def _revisit(self, exchange: Exchange, headers: dict):
        """A ``revisit`` record for a payload already archived, else None."""
        if self.known is None or not exchange.response_body:
            return None
        if exchange.response_head.get_statuscode() != "200":
            return None
        digest = payload_digest(exchange.response_body)
        original = self.known.find(digest)
        if original is None:
            return None
        refers = {
            "WARC-Refers-To": original.record_id,
            "WARC-Refers-To-Filename": original.file,
            "WARC-Refers-To-File-Offset": str(original.offset),
        }
        return self._writer.create_revisit_record(
            exchange.url, digest, original.uri, original.date,
            http_headers=exchange.response_head, warc_headers_dict=headers | refers,
        )  # fmt: skip

    def close(self) -> None:
        """Close the current file (the next write starts a new one)."""
        if self._out is not None:
            os.fsync(self._out.fileno())
            self._out.close()
            self._out = self._writer = None
