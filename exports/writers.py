"""Row writers for the three export formats, writing UTF-8 bytes to a binary stream (each
returns the number of rows).

JSON rows are written compact (no spaces between items; the JSON itself is the same as
``json.dumps(row, ensure_ascii=False)`` gives), encoded by ``orjson``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import BinaryIO

import orjson

from exports.columns import EXPORT_COLUMNS, cell_text, has_formula, neutralise

BATCH = 200
"""Rows joined into one write."""


def encode_row(row: dict) -> bytes:
    """One export row as a JSON object, its keys in ``EXPORT_COLUMNS`` order."""
    if tuple(row) != EXPORT_COLUMNS:
        row = {name: row.get(name) for name in EXPORT_COLUMNS}
    try:
        return orjson.dumps(row)
    except orjson.JSONEncodeError:  # what orjson does not take, e.g. integers over 64 bits
        return json.dumps(row, ensure_ascii=False, separators=(",", ":")).encode()


def _batches(rows: Iterable[dict]):
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def quoted(cell: str) -> str:
    """``cell`` as ``csv.writer`` writes it (``QUOTE_MINIMAL``, RFC 4180): in double quotes,
    inner ones doubled, when it holds a quote, a comma or a line break.

    Written here because ``csv.writer`` looks at every character of a 4 KB body twice
    (about three times the time of the whole rest of a row).
    """
    if '"' in cell:
        return '"' + cell.replace('"', '""') + '"'
    if "," in cell or "\n" in cell or "\r" in cell:
        return '"' + cell + '"'
    return cell


def csv_line(row: dict) -> str:
    """One CSV record of ``row``, CRLF-terminated, every cell neutralised and quoted."""
    get = row.get
    cells = [v if type(v := get(name)) is str else cell_text(name, v) for name in EXPORT_COLUMNS]
    line = ",".join(cells)
    # A formula starter in a cell is one in the cells joined at commas (a cell's start
    # follows a comma there), so most records need one look instead of one per cell.
    if has_formula(line) or "\t" in line or "\r" in line:
        cells = [neutralise(cell) for cell in cells]
    return ",".join([quoted(cell) for cell in cells]) + "\r\n"


def write_csv(rows: Iterable[dict], out: BinaryIO) -> int:
    """UTF-8 CSV, header row, RFC 4180 quoting with CRLF line ends."""
    out.write((",".join(EXPORT_COLUMNS) + "\r\n").encode())
    count = 0
    for batch in _batches(rows):
        out.write("".join(map(csv_line, batch)).encode())
        count += len(batch)
    return count


def write_json(rows: Iterable[dict], out: BinaryIO) -> int:
    """One JSON array, one row per line, streamed."""
    count = 0
    out.write(b"[")
    for batch in _batches(rows):
        out.write((b",\n" if count else b"\n") + b",\n".join(map(encode_row, batch)))
        count += len(batch)
    out.write(b"\n]\n")
    return count


def write_jsonl(rows: Iterable[dict], out: BinaryIO) -> int:
    """JSON Lines: one object per line."""
    count = 0
    for batch in _batches(rows):
        out.write(b"".join(encode_row(row) + b"\n" for row in batch))
        count += len(batch)
    return count


WRITERS = {"csv": write_csv, "json": write_json, "jsonl": write_jsonl}
