"""Rebuild every release from its archived page: the current normaliser over the WARC bytes.

For each release, the response record its current revision points at is read back from
the WARC files (no network), normalised exactly as the crawl's pipelines do (same
profile, same listing card from the record's metadata) and compared with the stored text.
An identical text changes nothing; a different one is stored as a new revision marked
``reparse`` (with a note naming the normaliser), so the old text stays as it was.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from scraper import __version__, jobs, workers
from scraper.evidence import WarcReadError, read_response, warc_dir_for
from scraper.profiles import Profile, ProfileError, load_profiles
from storage import Archive
from storage.lock import ArchiveLock
from storage.models import Release, Revision

BATCH = 50
REQUIRED = ("title", "published", "body")  # as the validate pipeline requires


@dataclass
class ReparseSummary:
    reparsed: int = 0
    changed: int = 0
    unchanged: int = 0
    failed: int = 0
    failures: list[str] = field(default_factory=list)

    def line(self) -> str:
        return (
            f"reparsed={self.reparsed} changed={self.changed} "
            f"unchanged={self.unchanged} failed={self.failed}"
        )


def default_note() -> str:
    return f"reparsed by pressarchiv {__version__}"


def normalised(body: bytes, url: str, profile: Profile, listing: dict | None, **fetch) -> dict:
    """The fields the crawl's normalise pipeline gives for this page (``fetch``: the
    response's ``content_type`` and the ``fetched`` day, as the crawl had them), read in a
    worker with the same time budget; ``ValueError`` when it is over budget."""
    timeout = workers.setting("PRESSARCHIV_PARSE_TIMEOUT")
    try:
        args = (body, url, profile, listing, fetch.get("content_type"), fetch.get("fetched"))
        return workers.run_sync(jobs.normalise_page, *args, timeout=timeout)
    except workers.OverBudget as exc:
        raise ValueError(f"the normaliser {exc}") from None


def _targets(archive: Archive, site: str | None) -> list:
    stmt = (
        select(Release.id, Release.site, Release.url, Revision.fetched_at, Revision.fetched_url,
               Revision.warc_file, Revision.warc_offset, Revision.warc_digest)
        .join(Revision, Revision.release_pk == Release.pk)
        .where(Revision.number == Release.revision)
        .order_by(Release.pk)
    )  # fmt: skip
    if site:
        stmt = stmt.where(Release.site == site)
    with Session(archive.engine) as session:
        return session.execute(stmt).all()


def _rebuild(target, folder: Path, profiles: dict[str, Profile]) -> dict:
    """The reparsed item of one release; ``ValueError`` / ``WarcReadError`` say why not."""
    if not target.warc_file:
        raise ValueError("no archived copy (crawled before WARC files were kept)")
    if target.site not in profiles:
        raise ValueError(f"no site profile {target.site!r}")
    response = read_response(folder, target.warc_file, target.warc_offset)
    fields = normalised(
        response.body, target.url, profiles[target.site], response.metadata.get("listing"),
        content_type=response.content_type, fetched=target.fetched_at.date(),
    )  # fmt: skip
    missing = [name for name in REQUIRED if not fields.get(name)]
    if missing:
        raise ValueError(f"the normaliser found no {', '.join(missing)}")
    warc = {"file": target.warc_file, "offset": target.warc_offset, "digest": target.warc_digest}
    return fields | {
        "site": target.site,
        "url": target.url,
        "fetched_url": target.fetched_url,
        "fetched_at": target.fetched_at,
        "warc": warc,
    }


def reparse(
    db_url: str,
    site: str | None = None,
    warc_dir: str | None = None,
    sites_dir: str | None = None,
    note: str | None = None,
) -> ReparseSummary:
    """Reparse the current revision of every release (of ``site``) from the WARC files.

    Holds the archive lock, so it never runs beside a crawl. Raises ``ArchiveError`` for an
    unusable or locked archive and ``ProfileError`` for bad profiles.
    """
    folder = warc_dir_for(db_url, warc_dir) or Path("warc")  # in-memory: nothing to read
    profiles = load_profiles(sites_dir)
    if site and site not in profiles:
        raise ProfileError(f"unknown site id {site!r} (see `pressarchiv sites`)")
    summary = ReparseSummary()
    with ArchiveLock(db_url), Archive(db_url) as archive:
        targets = _targets(archive, site)
        for start in range(0, len(targets), BATCH):
            rebuilt = []
            for target in targets[start : start + BATCH]:
                try:
                    rebuilt.append((target.id, _rebuild(target, folder, profiles)))
                except (ValueError, WarcReadError) as exc:
                    summary.failed += 1
                    summary.failures.append(f"{target.id} {target.url}: {exc}")
            changed = archive.store_reparses(rebuilt, note or default_note())
            summary.reparsed += len(rebuilt)
            summary.changed += changed
            summary.unchanged += len(rebuilt) - changed
    return summary
