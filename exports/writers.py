"""Row writers for the three export formats (each returns the number of rows)."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from typing import TextIO

from exports.columns import EXPORT_COLUMNS, csv_cell


def _ordered(row: dict) -> dict:
    return {name: row.get(name) for name in EXPORT_COLUMNS}


def write_csv(rows: Iterable[dict], out: TextIO) -> int:
    """UTF-8 CSV, header row, RFC 4180 quoting with CRLF line ends."""
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(EXPORT_COLUMNS)
    count = 0
    for row in rows:
        writer.writerow([csv_cell(name, row.get(name)) for name in EXPORT_COLUMNS])
        count += 1
    return count


def _dumps(row: dict) -> str:
    return json.dumps(_ordered(row), ensure_ascii=False)


def write_json(rows: Iterable[dict], out: TextIO) -> int:
    """One JSON array, one row per line, streamed."""
    count = 0
    out.write("[")
    for count, row in enumerate(rows, 1):
        out.write(("\n" if count == 1 else ",\n") + _dumps(row))
    out.write("\n]\n")
    return count


def write_jsonl(rows: Iterable[dict], out: TextIO) -> int:
    """JSON Lines: one object per line."""
    count = 0
    for row in rows:
        out.write(_dumps(row) + "\n")
        count += 1
    return count


WRITERS = {"csv": write_csv, "json": write_json, "jsonl": write_jsonl}
