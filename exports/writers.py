"""Writers for the three export formats: encoded records (``encoded`` makes them of row
dicts) written as UTF-8 bytes to a binary stream (each returns the number of rows).

JSON rows are written compact (no spaces between items; the JSON itself is the same as
``json.dumps(row, ensure_ascii=False)`` gives), encoded by ``orjson``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
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


def encoded(rows: Iterable[dict], fmt: str) -> Iterator[tuple[list[bytes], list]]:
    """``rows`` as ``fmt`` records (CSV without line ends) with their publication dates,
    ``BATCH`` at a time."""
    encode = encode_row if fmt != "csv" else lambda row: csv_line(row)[:-2].encode()
    records, published = [], []
    for row in rows:
        records.append(encode(row))
        published.append(row.get("published"))
        if len(records) == BATCH:
            yield records, published
            records, published = [], []
    if records:
        yield records, published


def write_csv(chunks: Iterable[tuple[list[bytes], list]], out: BinaryIO) -> int:
    """UTF-8 CSV, header row, RFC 4180 quoting with CRLF line ends."""
    out.write((",".join(EXPORT_COLUMNS) + "\r\n").encode())
    count = 0
    for records, _ in chunks:
        if records:
            out.write(b"\r\n".join(records) + b"\r\n")
            count += len(records)
    return count


def write_json(chunks: Iterable[tuple[list[bytes], list]], out: BinaryIO) -> int:
    """One JSON array, one row per line, streamed."""
    count = 0
    out.write(b"[")
    for records, _ in chunks:
        if records:
            out.write((b",\n" if count else b"\n") + b",\n".join(records))
            count += len(records)
    out.write(b"\n]\n")
    return count


def write_jsonl(chunks: Iterable[tuple[list[bytes], list]], out: BinaryIO) -> int:
    """JSON Lines: one object per line."""
    count = 0
    for records, _ in chunks:
        if records:
            out.write(b"\n".join(records) + b"\n")
            count += len(records)
    return count


WRITERS = {"csv": write_csv, "json": write_json, "jsonl": write_jsonl}
