"""What the journalist's pages show, read with the library on a SQLAlchemy session.

Each function returns plain data for one page (or None when the thing asked for does not
exist); templates only lay it out.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, exists, func, literal_column, or_, select
from sqlalchemy.orm import Session, aliased

from exports.citation import citation
from scraper.web.wordiff import counts, segments
from storage import clusters, reader
from storage.models import Attachment, Release, ReleasePerson, Revision
from storage.records import fold

LABELS = {
    "kind": "Art", "number": "Nummer", "place": "Ort", "published": "Datum",
    "kicker": "Dachzeile", "title": "Titel", "subtitle": "Untertitel",
    "dateline": "Ortsmarke", "body": "Text", "contact": "Kontakt",
    "persons": "Personen", "ministry": "Ministerium",
}  # fmt: skip
FIELD_ORDER = ("title", "kicker", "subtitle", "body", "persons", "contact",
               "published", "place", "dateline", "kind", "number", "ministry")  # fmt: skip
_BEFORE = aliased(Revision)
EDIT = and_(
    Revision.number > literal_column("1"),  # a literal, so that the partial index applies
    or_(Revision.source.is_(None), Revision.source != "reparse"),
    ~exists().where(
        _BEFORE.release_pk == Revision.release_pk,
        _BEFORE.number == Revision.number - 1,
        _BEFORE.warc_digest == Revision.warc_digest,
    ),
)
"""A later text found by a crawl on a page that changed: an edit by the ministry. A reparse
is not one, nor is a new text read from the very same page bytes (the same WARC payload
digest as the version before: the normaliser changed, not the page)."""
CONTEXT = 12
"""Unchanged words shown either side of a change (the full text is one click away)."""


def person_text(persons) -> str:
    """``Name (Amt); Name`` for a persons list."""
    return "; ".join(p["name"] + (f" ({p['role']})" if p.get("role") else "") for p in persons)


def field_text(name: str, value) -> str:
    """A field value as the text that is compared and shown."""
    if name == "persons":
        return person_text(value or [])
    return "" if value is None else str(value)


def _release(session: Session, release_id: str) -> Release | None:
    return session.scalar(select(Release).where(Release.id == release_id))


def _revision_rows(session: Session, release: Release) -> list[dict]:
    """The versions of ``release`` with ``edit`` (see ``EDIT``), ``same_page`` and
    ``previous`` (the number of the version before)."""
    revisions = reader.revisions(session, release)
    for before, rev in zip([None, *revisions], revisions, strict=False):
        digest = rev["warc_digest"]
        rev["same_page"] = before is not None and digest and before["warc_digest"] == digest
        rev["edit"] = before is not None and rev["source"] != "reparse" and not rev["same_page"]
        rev["previous"] = before["number"] if before else None
    return revisions


def release_page(session: Session, release_id: str) -> dict | None:
    """A release with its URLs, versions, attachments and citation."""
    release = _release(session, release_id)
    if release is None:
        return None
    row = reader.row(release, reader.urls_of(session, [release.pk])[release.pk])
    revisions = _revision_rows(session, release)
    current = revisions[-1] if revisions else None
    archived_at = None
    if current is not None:
        archived_at = datetime.fromisoformat(current["fetched_at"])
        if current["warc_file"]:
            row["archived_copy"] = f"warc:{current['warc_file']}#{current['warc_offset']}"
    stmt = select(Attachment).where(Attachment.release_pk == release.pk).order_by(Attachment.pk)
    row.update(
        ministry_id=release.ministry_id,
        ministry_match=release.ministry_match,
        revisions=revisions,
        edits=sum(1 for r in revisions if r["edit"]),
        attachments=[
            {
                "pk": a.pk,
                "url": a.url,
                "size": a.size,
                "pages": a.pages,
                "sha256": a.sha256,
                "archived": bool(a.warc_file),
                "fetched_at": reader.iso(a.fetched_at),
            }
            for a in session.scalars(stmt)
        ],
    )
    row["citation"] = citation(row, archived_at)
    row["cluster"] = clusters.cluster_ids(session, [release.pk])[release.pk]
    row["also_published_as"] = clusters.also_published(session, [release.pk])[release.pk]
    return row


def revision_count(session: Session, release_id: str) -> int | None:
    """How many versions a release has (None for an unknown id)."""
    return session.scalar(select(Release.revision).where(Release.id == release_id))


def revision(session: Session, release_id: str, number: int) -> dict | None:
    """One stored version (its fields and provenance) with the release it belongs to."""
    release = _release(session, release_id)
    if release is None:
        return None
    found = session.scalar(
        select(Revision).where(Revision.release_pk == release.pk, Revision.number == number)
    )
    if found is None:
        return None
    return {
        "release": {"id": release.id, "title": release.title, "revisions": release.revision},
        "number": found.number,
        "fields": found.fields,
        "fetched_at": reader.iso(found.fetched_at),
        "fetched_url": found.fetched_url,
        "source": found.source or "crawl",
        "note": found.note,
        "warc_file": found.warc_file,
        "warc_offset": found.warc_offset,
        "warc_digest": found.warc_digest,
    }


def compare(old: dict, new: dict, context: int | None) -> list[dict]:
    """Per public field (in reading order): label, whether it changed, the diff pieces and
    the number of words removed and added."""
    out = []
    for name in FIELD_ORDER:
        before, after = field_text(name, old.get(name)), field_text(name, new.get(name))
        pieces = segments(before, after, context) if before != after else []
        removed, added = counts(pieces)
        out.append(
            {
                "name": name,
                "label": LABELS[name],
                "changed": before != after,
                "pieces": pieces,
                "text": after,
                "removed": removed,
                "added": added,
            }
        )
    return out


def diff(session: Session, release_id: str, a: int, b: int, context: int | None) -> dict | None:
    """Versions ``a`` and ``b`` of a release compared field by field; whether a crawl (an
    edit by the ministry) lies between them or only reparses."""
    release = _release(session, release_id)
    if release is None:
        return None
    revisions = {r["number"]: r for r in _revision_rows(session, release)}
    if a not in revisions or b not in revisions:
        return None
    lo, hi = sorted((a, b))
    return {
        "release": {"id": release.id, "title": release.title, "revisions": release.revision},
        "old": revisions[a],
        "new": revisions[b],
        "numbers": sorted(revisions),
        "edited": any(revisions[n]["edit"] for n in range(lo + 1, hi + 1)),
        "fields": compare(revisions[a]["fields"], revisions[b]["fields"], context),
    }


def _current(release: Release) -> dict:
    """The release's current public fields, as a revision stores them."""
    fields = {name: getattr(release, name) for name in LABELS}
    fields["published"] = reader.iso(release.published)
    return fields


def compare_releases(session: Session, first: str, second: str, context: int | None):
    """Two releases (e.g. one text published by two issuers) compared field by field."""
    found = {
        r.id: r for r in session.scalars(select(Release).where(Release.id.in_([first, second])))
    }
    if first not in found or second not in found:
        return None
    a, b = found[first], found[second]
    about = [
        {
            "id": r.id,
            "title": r.title,
            "ministry": r.ministry,
            "ministry_id": r.ministry_id,
            "published": reader.iso(r.published),
            "url": r.url,
        }
        for r in (a, b)
    ]
    return {"a": about[0], "b": about[1], "fields": compare(_current(a), _current(b), context)}


def edits(
    session: Session, ministry_ids=None, pks=None, limit: int = 50, offset: int = 0
) -> tuple[int, list[dict]]:
    """Changes by the ministries, newest first: ``(total, events)``; each event is one
    later version with what changed against the version before it."""
    where = [EDIT]
    if ministry_ids:
        where.append(Release.ministry_id.in_(sorted(ministry_ids)))
    if pks is not None:
        where.append(Release.pk.in_(pks))
    joined = Revision.__table__.join(Release.__table__, Release.pk == Revision.release_pk)
    total = session.scalar(select(func.count()).select_from(joined).where(*where))
    base = select(Revision, Release).join(Release, Release.pk == Revision.release_pk).where(*where)
    stmt = base.order_by(Revision.fetched_at.desc(), Revision.pk.desc()).limit(limit).offset(offset)
    rows = session.execute(stmt).all()
    wanted = [(rev.release_pk, rev.number - 1) for rev, _ in rows]
    before = {}
    if wanted:
        prior = select(Revision).where(
            or_(*(and_(Revision.release_pk == pk, Revision.number == n) for pk, n in wanted))
        )
        before = {(r.release_pk, r.number): r for r in session.scalars(prior)}
    events = []
    for rev, release in rows:
        old = before.get((rev.release_pk, rev.number - 1))
        fields = compare(old.fields if old else {}, rev.fields, 8)
        events.append(
            {
                "id": release.id,
                "title": release.title,
                "old_title": old.fields.get("title") if old else None,
                "published": reader.iso(release.published),
                "ministry": release.ministry,
                "ministry_id": release.ministry_id,
                "number": rev.number,
                "previous": rev.number - 1,
                "fetched_at": reader.iso(rev.fetched_at),
                "changed": [f for f in fields if f["changed"]],
            }
        )
    return total, events


def person(session: Session, name: str, limit: int = 50, offset: int = 0) -> dict | None:
    """Every release naming a person (newest first) and the offices over time."""
    key = fold(name)
    named = select(ReleasePerson.release_pk).where(ReleasePerson.name_key == key)
    spelled = session.execute(
        select(ReleasePerson.name, func.count())
        .where(ReleasePerson.name_key == key)
        .group_by(ReleasePerson.name)
        .order_by(func.count().desc())
    ).first()
    if spelled is None:
        return None
    offices = session.execute(
        select(
            ReleasePerson.role,
            func.count(func.distinct(Release.pk)),
            func.min(Release.published),
            func.max(Release.published),
        )
        .join(Release, Release.pk == ReleasePerson.release_pk)
        .where(ReleasePerson.name_key == key)
        .group_by(ReleasePerson.role)
        .order_by(func.min(Release.published), ReleasePerson.role)
    ).all()
    total = session.scalar(select(func.count()).select_from(named.distinct().subquery()))
    stmt = (
        select(Release)
        .where(Release.pk.in_(named))
        .order_by(Release.published.desc().nulls_last(), Release.id)
        .limit(limit)
        .offset(offset)
    )
    return {
        "name": spelled[0],
        "total": total,
        "offices": [
            {
                "role": role,
                "releases": n,
                "first": reader.iso(first),
                "last": reader.iso(last),
            }
            for role, n, first, last in offices
        ],
        "releases": [
            {
                "id": r.id,
                "published": reader.iso(r.published),
                "title": r.title,
                "ministry": r.ministry,
                "ministry_id": r.ministry_id,
                "role": next(
                    (p.get("role") for p in r.persons or [] if fold(p["name"]) == key), None
                ),
            }
            for r in session.scalars(stmt)
        ],
    }


def people(session: Session, search: str | None, limit: int = 100) -> list[dict]:
    """People by number of releases naming them (names containing ``search``)."""
    where = [ReleasePerson.name_key.contains(fold(search), autoescape=True)] if search else []
    releases = func.count(func.distinct(ReleasePerson.release_pk))
    stmt = (
        select(func.min(ReleasePerson.name), ReleasePerson.name_key, releases)
        .where(*where)
        .group_by(ReleasePerson.name_key)
        .order_by(releases.desc(), ReleasePerson.name_key)
        .limit(limit)
    )
    return [{"name": name, "releases": n} for name, _, n in session.execute(stmt)]


def ministry_releases(
    session: Session, ministry_ids, limit: int = 30, offset: int = 0
) -> tuple[int, list[dict]]:
    """Releases of the given authority entries, newest publication first."""
    where = Release.ministry_id.in_(sorted(ministry_ids))
    total = session.scalar(select(func.count()).where(where))
    stmt = (
        select(Release)
        .where(where)
        .order_by(Release.published.desc(), Release.pk.desc())  # from the index alone
        .limit(limit)
        .offset(offset)
    )
    return total, [
        {
            "id": r.id,
            "published": reader.iso(r.published),
            "title": r.title,
            "ministry": r.ministry,
            "ministry_id": r.ministry_id,
            "revisions": r.revision,
        }
        for r in session.scalars(stmt)
    ]
