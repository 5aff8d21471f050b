"""CSV / JSON / JSONL exports of archive rows, written atomically.

``write(rows, fmt, path=None)``: ``path=None`` writes to stdout; otherwise the rows go to
a temporary file in the same folder that is renamed over ``path`` only when complete, so a
reader never sees half a file; on failure the temporary file is removed and an existing
file at ``path`` is left as it was.
"""

from __future__ import annotations

import io
import os
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from exports.columns import CSV_LIST_FORMS, EXPORT_COLUMNS, FORMULA_PREFIXES
from exports.writers import WRITERS

FORMATS = tuple(WRITERS)

__all__ = ["CSV_LIST_FORMS", "EXPORT_COLUMNS", "FORMATS", "FORMULA_PREFIXES", "write"]


def _file_mode(path: Path) -> int:
    if path.exists():
        return path.stat().st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _write_atomic(rows: Iterable[dict], writer, path: Path) -> int:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with open(fd, "w", encoding="utf-8", newline="") as out:
            count = writer(rows, out)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, _file_mode(path))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return count


def write(
    rows: Iterable[dict],
    fmt: str,
    path: str | os.PathLike | None = None,
    stream: TextIO | None = None,
) -> int:
    """Write ``rows`` as ``fmt`` (csv, json or jsonl) to ``path`` or ``stream`` (stdout)."""
    if fmt not in WRITERS:
        raise ValueError(f"unknown export format {fmt!r} (choose from {', '.join(FORMATS)})")
    writer = WRITERS[fmt]
    if path is not None:
        return _write_atomic(rows, writer, Path(path))
    stream = stream or sys.stdout
    if not hasattr(stream, "buffer"):
        return writer(rows, stream)
    stream.flush()
    out = io.TextIOWrapper(stream.buffer, encoding="utf-8", newline="", write_through=True)
    try:
        return writer(rows, out)
    finally:
        out.flush()
        out.detach()
