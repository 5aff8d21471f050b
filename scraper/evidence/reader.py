"""Read archived responses back from the WARC files (for ``pressarchiv reparse``)."""

from __future__ import annotations

import base64
import hashlib
import io
import json
from dataclasses import dataclass
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.bufferedreaders import BufferedReader, DecompressingBufferedReader
from warcio.exceptions import ArchiveLoadFailed


class WarcReadError(Exception):
    """An archived record that is missing, truncated or not a response."""


@dataclass(frozen=True)
class ArchivedResponse:
    """One response record: URL, status, decoded body and the metadata written with it."""

    url: str
    status: int
    body: bytes
    digest: str | None
    metadata: dict
    content_type: str | None = None  # the response's Content-Type header (its charset)


def _metadata(records, response_id: str) -> dict:
    """The JSON metadata record that follows the response, if any (stops at the next fetch)."""
    for record in records:
        if record.rec_headers.get_header("WARC-Concurrent-To") != response_id:
            return {}
        if record.rec_type == "metadata":
            return json.loads(record.content_stream().read().decode("utf-8"))
    return {}


def payload_digest(data: bytes) -> str:
    """A ``WARC-Payload-Digest`` value: ``sha1:`` and the base32 SHA-1."""
    return "sha1:" + base64.b32encode(hashlib.sha1(data).digest()).decode("ascii")


def _body(record) -> bytes:
    """The payload, checked against its digest (warcio returns a cut record silently
    short), then decoded from its content encoding."""
    raw = record.raw_stream.read()
    digest = record.rec_headers.get_header("WARC-Payload-Digest")
    if digest and digest != payload_digest(raw):
        raise WarcReadError("payload does not match its digest (truncated or damaged record)")
    encoding = (record.http_headers.get_header("Content-Encoding") or "").lower()
    stream = io.BytesIO(raw)
    if encoding in BufferedReader.get_supported_decompressors():
        stream = DecompressingBufferedReader(stream, decomp_type=encoding)
    return stream.read()


def _revisited(folder: str | Path, record, depth: int) -> bytes:
    """The payload a ``revisit`` record refers to (the original response's body)."""
    headers = record.rec_headers
    file = headers.get_header("WARC-Refers-To-Filename")
    offset = headers.get_header("WARC-Refers-To-File-Offset")
    if not file or not (offset or "").isdigit():
        raise WarcReadError("a revisit record without the file and offset of its original")
    if depth > 0:
        raise WarcReadError("a revisit refers to another revisit")
    original = read_response(folder, file, int(offset), depth + 1)
    if original.digest != headers.get_header("WARC-Payload-Digest"):
        raise WarcReadError("a revisit whose original holds another payload")
    return original.body


def read_response(folder: str | Path, file: str, offset: int, depth: int = 0) -> ArchivedResponse:
    """The response record at ``offset`` in ``folder/file``, body content-decoded. A
    ``revisit`` record gives the body of the original response it refers to."""
    path = Path(folder) / file
    try:
        with open(path, "rb") as stream:
            stream.seek(offset)
            records = iter(ArchiveIterator(stream))
            record = next(records)
            if record.rec_type == "revisit":
                body = _revisited(folder, record, depth)
            elif record.rec_type == "response":
                body = _body(record)
            else:
                raise WarcReadError(f"a {record.rec_type} record, not a response")
            try:
                metadata = _metadata(records, record.rec_headers.get_header("WARC-Record-ID"))
            except (ArchiveLoadFailed, EOFError, OSError, ValueError):
                metadata = {}  # a truncated record after the response (a killed crawl)
            return ArchivedResponse(
                url=record.rec_headers.get_header("WARC-Target-URI"),
                status=int(record.http_headers.get_statuscode()),
                body=body,
                digest=record.rec_headers.get_header("WARC-Payload-Digest"),
                metadata=metadata,
                content_type=record.http_headers.get_header("Content-Type"),
            )
    except WarcReadError as exc:
        raise WarcReadError(f"{file}#{offset}: {exc}") from None
    except FileNotFoundError:
        raise WarcReadError(f"{file}: no such WARC file in {folder}") from None
    except StopIteration:
        raise WarcReadError(f"{file}#{offset}: no record there") from None
    except (ArchiveLoadFailed, EOFError, OSError, ValueError) as exc:
        raise WarcReadError(f"{file}#{offset}: unreadable ({exc})") from None
