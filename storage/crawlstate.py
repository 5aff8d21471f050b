"""What an incremental crawl needs from the archive, and what it writes back besides texts.

``site_state`` loads, at spider open, every known URL of a site with the release's date,
title key, HTTP validators (ETag, Last-Modified) and withdrawal. ``save_validators``,
``touch`` and ``withdraw`` run inside a batch's transaction (``Archive.store(then=...)``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from storage.models import Release, ReleaseUrl
from storage.runs import last_complete
from storage.urls import canonical_url


@dataclass(frozen=True)
class Known:
    """A URL the archive holds: its release and what the last fetch of it said."""

    release: int
    published: date | None
    title_key: str
    etag: str | None
    last_modified: str | None
    withdrawn: bool


@dataclass
class SiteState:
    urls: dict[str, Known]
    primary: dict[int, str]  # release pk -> its main URL (for re-checks), not withdrawn ones
    complete: bool  # the site's last run walked its listing completely


def site_state(session: Session, site: str, before_run: int | None = None) -> SiteState:
    stmt = (
        select(ReleaseUrl.url, ReleaseUrl.etag, ReleaseUrl.last_modified, Release.pk,
               Release.published, Release.title_key, Release.withdrawn, Release.url)
        .join(Release, Release.pk == ReleaseUrl.release_pk)
        .where(Release.site == site)
    )  # fmt: skip
    urls, primary = {}, {}
    for url, etag, modified, pk, published, key, withdrawn, main in session.execute(stmt):
        urls[url] = Known(pk, published, key, etag, modified, withdrawn is not None)
        if withdrawn is None:
            primary[pk] = main
    return SiteState(urls, primary, last_complete(session, site, before_run))


def _release_of(session: Session, url: str) -> Release | None:
    link = session.get(ReleaseUrl, canonical_url(url))
    return session.get(Release, link.release_pk) if link else None


def save_validators(session: Session, items: list[dict]) -> None:
    """Keep each stored page's ETag/Last-Modified; a page served again is not withdrawn.

    Three statements for the whole batch (it runs for every batch a crawl stores)."""
    validators = {canonical_url(item["url"]): item for item in items}  # the last fetch wins
    known = session.execute(
        select(ReleaseUrl.url, ReleaseUrl.release_pk).where(ReleaseUrl.url.in_(validators))
    ).all()
    if not known:  # every item was refused
        return
    session.execute(
        update(ReleaseUrl),
        [{"url": url, "etag": validators[url].get("etag"),
          "last_modified": validators[url].get("last_modified")} for url, _ in known],
    )  # fmt: skip
    pks = {pk for _, pk in known}
    session.execute(update(Release).where(Release.pk.in_(pks)).values(withdrawn=None))


def touch(session: Session, url: str, seen: datetime) -> None:
    """A ``304 Not Modified``: only last-seen moves."""
    release = _release_of(session, url)
    if release is not None:
        release.last_seen = max(release.last_seen, seen)


def withdraw(session: Session, url: str, seen: datetime) -> bool:
    """Mark the release gone (``404``/``410``), keeping it; True if newly withdrawn."""
    release = _release_of(session, url)
    if release is None or release.withdrawn is not None:
        return False
    release.withdrawn = seen
    return True


def load_site_state(db_url: str, site: str, before_run: int | None = None) -> SiteState:
    """``site_state`` read from the archive at ``db_url`` (opened and migrated if need be)."""
    from storage.archive import Archive

    with Archive(db_url) as archive, Session(archive.engine) as session:
        return site_state(session, site, before_run)
