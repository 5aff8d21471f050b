"""CSV / JSON / JSONL exports of archive rows, written atomically.

``write(rows, fmt, path=None)``: ``path=None`` writes to stdout; otherwise the rows go to
a temporary file in the same folder that is renamed over ``path`` only when complete, so a
reader never sees half a file; on failure the temporary file is removed and an existing
file at ``path`` is left as it was. ``export_rows`` adds attachments, archived copy and
citation to the stored rows; ``write_sidecars`` writes the manifest and data dictionary.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import BinaryIO, TextIO

from exports.columns import CSV_LIST_FORMS, EXPORT_COLUMNS, FORMULA_PREFIXES, SCHEMA_VERSION
from exports.writers import WRITERS, encoded

FORMATS = tuple(WRITERS)

__all__ = [
    "CSV_LIST_FORMS",
    "EXPORT_COLUMNS",
    "FORMATS",
    "FORMULA_PREFIXES",
    "SCHEMA_VERSION",
    "write",
    "write_atomic",
    "write_chunks",
]


def _file_mode(path: Path) -> int:
    if path.exists():
        return path.stat().st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


class _TextSink:
    """A binary stream's ``write`` onto a text stream without a binary buffer."""

    def __init__(self, stream: TextIO):
        self.stream = stream

    def write(self, data: bytes) -> int:
        return self.stream.write(data.decode("utf-8"))


def write_atomic(path: str | os.PathLike, fill: Callable[[BinaryIO], int]) -> int:
    """Run ``fill(out)`` on a temporary binary file beside ``path``, then rename it into
    place."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with open(fd, "wb", buffering=1 << 20) as out:
            result = fill(out)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, _file_mode(path))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return result


def write(
    rows: Iterable[dict],
    fmt: str,
    path: str | os.PathLike | None = None,
    stream: TextIO | None = None,
) -> int:
    """Write ``rows`` as ``fmt`` (csv, json or jsonl) to ``path`` or ``stream`` (stdout).

    Returns the number of rows. On stdout a reader that goes away raises
    ``BrokenPipeError`` (the CLI ends quietly on it).
    """
    _check(fmt)
    return write_chunks(encoded(rows, fmt), fmt, path, stream)


def write_chunks(
    chunks: Iterable[tuple[list[bytes], list]],
    fmt: str,
    path: str | os.PathLike | None = None,
    stream: TextIO | None = None,
) -> int:
    """``write`` of records already encoded as ``fmt`` (``(records, publication dates)``
    chunks, see ``exports.rows.export_chunks``)."""
    _check(fmt)
    writer = WRITERS[fmt]
    if path is not None:
        return write_atomic(path, lambda out: writer(chunks, out))
    stream = stream or sys.stdout
    if not hasattr(stream, "buffer"):
        return writer(chunks, _TextSink(stream))
    stream.flush()
    count = writer(chunks, stream.buffer)
    stream.buffer.flush()
    return count


def _check(fmt: str) -> None:
    if fmt not in WRITERS:
        raise ValueError(f"unknown export format {fmt!r} (choose from {', '.join(FORMATS)})")
