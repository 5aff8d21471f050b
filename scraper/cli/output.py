"""How commands print rows: one aligned table printer, JSON and CSV."""

from __future__ import annotations

import csv
import json
import sys

import click

from exports.columns import csv_cell


def emit_json(data) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def emit_csv(columns: list[str], rows: list[dict]) -> None:
    """CSV with a header; list cells and formula neutralising as in exports."""
    writer = csv.writer(sys.stdout, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([csv_cell(name, row.get(name)) for name in columns])


def plain(value, empty: str = "") -> str:
    """A cell as text: lists joined with commas, None as ``empty``."""
    if value is None:
        return empty
    return ", ".join(map(str, value)) if isinstance(value, list) else str(value)


def cut(text: str, width: int) -> str:
    """``text`` cut to ``width`` characters with an ellipsis."""
    return text if len(text) <= width else text[: width - 1] + "…"


def emit_table(
    columns: list[str], rows: list[dict], widths: dict[str, int] | None = None, empty: str = ""
) -> None:
    """Plain aligned columns; cells longer than their width (default 60) are cut."""
    widths = widths or {}
    cells = [[cut(plain(row.get(c), empty), widths.get(c, 60)) for c in columns] for row in rows]
    sizes = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]
    for line in [columns] + cells:
        click.echo("  ".join(c.ljust(size) for c, size in zip(line, sizes, strict=True)).rstrip())


def emit(fmt: str, columns: list[str], rows: list[dict], widths=None) -> None:
    """``rows`` as ``fmt``: ``table``, ``json`` or ``csv``."""
    if fmt == "json":
        emit_json(rows)
    elif fmt == "csv":
        emit_csv(columns, rows)
    else:
        emit_table(columns, rows, widths)
