"""The citation string of an export row."""

from __future__ import annotations

from datetime import date, datetime


def german_date(value: str | None) -> str | None:
    """``2018-09-25`` as ``25.09.2018``."""
    if not value:
        return None
    day = date.fromisoformat(value)
    return f"{day.day:02d}.{day.month:02d}.{day.year}"


def citation(row: dict, archived_at: datetime | None) -> str:
    """``Ministerium: „Titel“. Ort, TT.MM.JJJJ. URL (archiviert am JJJJ-MM-DD, warc:…#…)``.

    Missing parts are left out; without an archived copy the date is that of the fetch.
    """
    head = f"{row['ministry']}: " if row.get("ministry") else ""
    text = f"{head}„{row.get('title') or 'ohne Titel'}“."
    when = ", ".join(filter(None, (row.get("place"), german_date(row.get("published")))))
    if when:
        text += f" {when}."
    text += f" {row['url']}"
    archived = [f"archiviert am {archived_at.date().isoformat()}"] if archived_at else []
    if row.get("archived_copy"):
        archived.append(row["archived_copy"])
    return text + (f" ({', '.join(archived)})" if archived else "")
