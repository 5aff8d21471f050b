"""Storing one batch of crawled items (called inside the batch's transaction)."""

from __future__ import annotations

from typing import NamedTuple

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from storage.models import Attachment, Release, ReleasePerson, ReleaseUrl, Revision
from storage.records import PUBLIC_FIELDS, Item, fold


class StoreCounts(NamedTuple):
    """How many items of a batch were new, changed or unchanged releases."""

    new: int = 0
    changed: int = 0
    unchanged: int = 0


def _find(session: Session, item: Item) -> Release | None:
    """The release ``item`` belongs to: by any known URL, else by id or (site, date, title)."""
    pk = session.scalar(select(ReleaseUrl.release_pk).where(ReleaseUrl.url == item.url))
    if pk is not None:
        return session.get(Release, pk)
    same_key = (
        (Release.site == item.site)
        & (Release.published == item.published)
        & (Release.title_key == item.title_key)
    )
    match = Release.id == item.id
    if item.published and item.title_key:
        match = or_(match, same_key)
    return session.scalars(select(Release).where(match).order_by(Release.pk).limit(1)).first()


def _apply(release: Release, item: Item) -> None:
    """Copy the item's current text onto the release row."""
    fields = item.fields
    for name in PUBLIC_FIELDS:
        if name != "published":
            setattr(release, name, fields[name])
    release.published = item.published
    release.profile = fields["profile"]
    release.sources = fields["sources"] or {}
    release.flags = fields["flags"]
    release.title_key = item.title_key
    release.content_hash = item.content_hash


def _persons(session: Session, release: Release) -> None:
    session.execute(delete(ReleasePerson).where(ReleasePerson.release_pk == release.pk))
    session.add_all(
        ReleasePerson(
            release_pk=release.pk, name=p["name"], role=p["role"], name_key=fold(p["name"])
        )
        for p in release.persons
    )


def _revision(session: Session, release: Release, item: Item, **extra) -> None:
    warc = item.warc or {}
    session.add(
        Revision(
            release_pk=release.pk,
            number=release.revision,
            content_hash=item.content_hash,
            fields=item.fields,
            fetched_at=item.fetched_at,
            fetched_url=item.fetched_url,
            warc_file=warc.get("file"),
            warc_offset=warc.get("offset"),
            warc_digest=warc.get("digest"),
            **extra,
        )
    )


def _attachments(session: Session, release: Release, item: Item) -> bool:
    """Store the item's attachments not yet known with the same URL and content.

    Returns True when one was added (its text then goes into the search index).
    """
    added = False
    for found in item.attachments:
        known = select(Attachment.pk).where(
            (Attachment.release_pk == release.pk)
            & (Attachment.url == found["url"])
            & (Attachment.sha256 == found["sha256"])
        )
        if session.scalar(known) is not None:
            continue
        warc = found.get("warc") or {}
        session.add(
            Attachment(
                release_pk=release.pk,
                url=found["url"],
                fetched_url=found.get("fetched_url"),
                fetched_at=found.get("fetched_at") or item.fetched_at,
                content_type=found.get("content_type"),
                sha256=found["sha256"],
                size=found["size"],
                warc_file=warc.get("file"),
                warc_offset=warc.get("offset"),
                warc_digest=warc.get("digest"),
                pages=found.get("pages"),
                text=found.get("text"),
            )
        )
        session.flush()
        added = True
    return added


def store_item(session: Session, item: Item, on_text_change) -> str:
    """Store one item; returns ``new``, ``changed`` or ``unchanged``.

    ``on_text_change(session, release)`` runs after a release got a new text (the search
    index hooks in here).
    """
    release = _find(session, item)
    if release is None:
        release = Release(
            id=item.id,
            site=item.site,
            url=item.url,
            first_seen=item.fetched_at,
            last_seen=item.fetched_at,
            revision=1,
        )
        _apply(release, item)
        session.add(release)
        session.flush()
        outcome = "new"
    else:
        release.first_seen = min(release.first_seen, item.fetched_at)
        release.last_seen = max(release.last_seen, item.fetched_at)
        if release.content_hash == item.content_hash:
            outcome = "unchanged"
        else:
            release.revision += 1
            _apply(release, item)
            outcome = "changed"
    if session.get(ReleaseUrl, item.url) is None:
        session.add(ReleaseUrl(url=item.url, release_pk=release.pk, first_seen=item.fetched_at))
    new_attachment = _attachments(session, release, item)
    if outcome != "unchanged":
        _revision(session, release, item)
        _persons(session, release)
        session.flush()
    if outcome != "unchanged" or new_attachment:
        on_text_change(session, release)
    return outcome


def store_reparse(
    session: Session, release: Release, item: Item, note: str, on_text_change
) -> bool:
    """Record a reparsed text as a new revision (``source="reparse"``) if it differs.

    The release's current text becomes the reparsed one; no revision is changed, and
    first/last seen stay as they are. Returns True when a revision was added.
    """
    if release.content_hash == item.content_hash:
        return False
    release.revision += 1
    _apply(release, item)
    _revision(session, release, item, source="reparse", note=note)
    _persons(session, release)
    session.flush()
    on_text_change(session, release)
    return True
