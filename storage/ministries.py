"""Linking releases to the ministries authority file (``scraper.ministries``).

A release's ``ministry_id``/``ministry_match`` are set whenever its text is stored (a
ministry name is part of the text); ``relink`` sets them for a whole archive, e.g. one
created before the authority file or after the file was corrected.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.orm import Session

from storage.models import Release

Resolve = Callable[[str | None, str | None, date | None], tuple[str | None, str | None]]
CHUNK = 5000


def default_resolver() -> Resolve:
    """``resolve(site, name, published)`` of the shipped authority file (and the user's)."""
    from scraper.ministries import load_authority

    return load_authority().resolve


def link(release: Release, resolve: Resolve) -> None:
    """Set the release's authority entry from its site, ministry name and date."""
    release.ministry_id, release.ministry_match = resolve(
        release.site, release.ministry, release.published
    )


def relink(session: Session, resolve: Resolve) -> dict[str, int]:
    """Link every release anew; returns counts per match kind (``None``: not linked) and
    ``changed`` (how many links differ from before)."""
    counts: dict[str, int] = {"changed": 0}
    last = 0
    stmt = select(
        Release.pk, Release.site, Release.ministry, Release.published,
        Release.ministry_id, Release.ministry_match,
    ).order_by(Release.pk)  # fmt: skip
    write = (
        update(Release.__table__)
        .where(Release.__table__.c.pk == bindparam("b_pk"))
        .values(ministry_id=bindparam("b_id"), ministry_match=bindparam("b_match"))
    )
    while True:
        rows = session.execute(stmt.where(Release.pk > last).limit(CHUNK)).all()
        if not rows:
            return counts
        changes = []
        for pk, site, name, published, old_id, old_match in rows:
            new_id, how = resolve(site, name, published)
            counts[how or "none"] = counts.get(how or "none", 0) + 1
            if (new_id, how) != (old_id, old_match):
                changes.append({"b_pk": pk, "b_id": new_id, "b_match": how})
        if changes:
            session.connection().execute(write, changes)
            counts["changed"] += len(changes)
        last = rows[-1][0]


def release_counts(session: Session) -> tuple[dict[str, dict], dict[str | None, dict]]:
    """``(linked, unlinked)``: releases with first and last publication date per authority
    entry id, and per printed ministry name of the releases no entry claims (both grouped
    over indexes, fast on large archives)."""

    def grouped(key, *where):
        stmt = select(key, func.count(), func.min(Release.published), func.max(Release.published))
        stmt = stmt.where(*where).group_by(key)
        return {
            value: {"releases": n, "first": first, "last": last}
            for value, n, first, last in session.execute(stmt)
        }

    linked = grouped(Release.ministry_id, Release.ministry_id.is_not(None))
    return linked, grouped(Release.ministry, Release.ministry_id.is_(None))
