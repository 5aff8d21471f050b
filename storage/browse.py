"""Read-only views for journalists: show, persons, changes, stats."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from storage import reader
from storage.diff import field_diffs
from storage.models import Release, ReleasePerson, Revision
from storage.records import PUBLIC_FIELDS, fold

TEXT_FIELDS = tuple(name for name in PUBLIC_FIELDS if name not in ("persons", "published"))


def with_diffs(revisions: list[dict]) -> list[dict]:
    """Revisions, each after the first with ``diff``: word diffs against the one before."""
    for before, after in zip(revisions, revisions[1:], strict=False):
        after["diff"] = field_diffs(before["fields"], after["fields"])
    return revisions


def show(session: Session, release: Release) -> dict:
    """Everything about one release: fields, URLs, first/last seen, revisions with diffs."""
    data = reader.row(release, reader.urls_of(session, [release.pk])[release.pk])
    data["revisions"] = with_diffs(reader.revisions(session, release))
    return data


def persons(session: Session, search: str | None = None) -> list[dict]:
    """People with their offices and release counts, most releases first."""
    where = [ReleasePerson.name_key.contains(fold(search), autoescape=True)] if search else []
    releases = func.count(func.distinct(ReleasePerson.release_pk))
    totals = (
        select(
            ReleasePerson.name_key,
            releases,
            func.min(Release.published),
            func.max(Release.published),
        )
        .join(Release, Release.pk == ReleasePerson.release_pk)
        .where(*where)
        .group_by(ReleasePerson.name_key)
    )
    people = {
        key: {
            "name": None,
            "roles": [],
            "releases": count,
            "first": reader.iso(first),
            "last": reader.iso(last),
        }
        for key, count, first, last in session.execute(totals)
    }
    by_role = (
        select(ReleasePerson.name_key, func.min(ReleasePerson.name), ReleasePerson.role)
        .where(*where)
        .group_by(ReleasePerson.name_key, ReleasePerson.role)
        .order_by(releases.desc(), ReleasePerson.role)
    )
    for key, name, role in session.execute(by_role):
        person = people[key]
        person["name"] = person["name"] or name
        if role:
            person["roles"].append(role)
    return sorted(people.values(), key=lambda p: (-p["releases"], p["name"]))


def changes(session: Session, since: date | None = None) -> list[dict]:
    """Releases whose text changed after it was first stored, newest change first."""
    edited = Revision.number > 1, or_(Revision.source.is_(None), Revision.source != "reparse")
    stmt = select(Revision.release_pk, func.max(Revision.fetched_at)).where(*edited)
    if since:
        start = datetime.combine(since, datetime.min.time(), tzinfo=UTC)
        stmt = stmt.where(Revision.fetched_at >= start)
    latest = dict(session.execute(stmt.group_by(Revision.release_pk)).all())
    releases = session.scalars(select(Release).where(Release.pk.in_(list(latest)))).all()
    out = []
    for release in sorted(releases, key=lambda r: (latest[r.pk], r.id), reverse=True):
        revisions = with_diffs(reader.revisions(session, release))
        out.append(
            {
                "id": release.id,
                "published": reader.iso(release.published),
                "ministry": release.ministry,
                "title": release.title,
                "changed_at": reader.iso(latest[release.pk]),
                "revisions": len(revisions),
                "changes": [
                    {
                        "from": r["number"] - 1,
                        "to": r["number"],
                        "fetched_at": r["fetched_at"],
                        "diff": r["diff"],
                    }
                    for r in revisions[1:]
                    if r["source"] != "reparse"
                ],
            }
        )
    return out


def stats(session: Session) -> dict:
    """Releases per ministry and per month, and how often each field is filled."""
    total = session.scalar(select(func.count()).select_from(Release)) or 0
    per_ministry = session.execute(
        select(Release.ministry, func.count())
        .group_by(Release.ministry)
        .order_by(func.count().desc(), Release.ministry)
    ).all()
    months: Counter = Counter()
    for day, count in session.execute(
        select(Release.published, func.count()).group_by(Release.published)
    ):
        months[day.strftime("%Y-%m") if day else None] += count
    filled = session.execute(
        select(
            *(func.count(func.nullif(getattr(Release, name), "")) for name in TEXT_FIELDS),
            func.count(Release.published),
        )
    ).one()
    with_persons = session.scalar(select(func.count(func.distinct(ReleasePerson.release_pk))))
    counts = dict(zip(TEXT_FIELDS + ("published",), filled, strict=True), persons=with_persons)
    return {
        "releases": total,
        "per_ministry": [{"ministry": m, "releases": n} for m, n in per_ministry],
        "per_month": [
            {"month": m, "releases": n}
            for m, n in sorted(months.items(), key=lambda kv: (kv[0] is None, kv[0] or ""))
        ],
        "fields": {
            name: {"filled": counts[name], "rate": round(counts[name] / total, 3) if total else 0.0}
            for name in PUBLIC_FIELDS
        },
    }
