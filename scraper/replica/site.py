"""The whole replica: every family's routes plus the root ``robots.txt``."""

from __future__ import annotations

from functools import cache
from types import ModuleType

from . import bund, gsb, hessen, lsa, nds, nrw, shapes
from .pages import TEXT, Page

FAMILIES: tuple[ModuleType, ...] = (hessen, bund, gsb, nds, lsa, nrw)


def _families(family: str | None) -> tuple[ModuleType, ...]:
    chosen = tuple(f for f in FAMILIES if family in (None, f.FAMILY))
    if not chosen:
        raise KeyError(f"unknown replica family {family!r}")
    return chosen


@cache
def routes(edited: bool = False, faults: bool = False, withdrawn: bool = False) -> dict[str, Page]:
    """Every served path (``/<host>/...`` with query) mapped to its page."""
    table: dict[str, Page] = {}
    disallow = []
    for family in FAMILIES:
        table.update(family.routes(edited=edited, faults=faults))
        disallow.extend(family.robots_rules())
    if withdrawn:
        table.update(hessen.withdrawn_routes(edited=edited, faults=faults))
    rules = "".join(f"Disallow: {rule}\n" for rule in dict.fromkeys(disallow))
    table["/robots.txt"] = Page(f"User-agent: *\n{rules}Allow: /\n".encode(), TEXT)
    return table


def catalogue(edited: bool = False, family: str | None = None) -> list[dict]:
    """The truth of every release (of one family): site, real URL, paths, expected fields."""
    return [entry for f in _families(family) for entry in f.entries(edited=edited)]


def site_ids(family: str | None = None) -> list[str]:
    """Ids of every site the replica serves (of one family)."""
    return [site.id for f in _families(family) for site in f.sites()]


def families() -> list[str]:
    """The CMS family ids the replica covers."""
    return [f.FAMILY for f in FAMILIES]


def text_version(site_id: str, slug: str, edited: bool = False) -> str:
    """A release as plain text (what a reader copies out of the page or a PDF)."""
    for family in FAMILIES:
        for site in family.sites():
            for release in site.releases if site.id == site_id else ():
                if release.slug == slug:
                    text = family.text_version(site, release, edited)
                    return shapes.apply(text, site, release, edited)
    raise KeyError(f"{site_id}:{slug}")


def start_path(site_id: str) -> str:
    """The mirror path of a site's first listing page (what a crawl starts from)."""
    for family in FAMILIES:
        for site in family.sites():
            if site.id == site_id:
                return family.start_path(site)
    raise KeyError(site_id)
