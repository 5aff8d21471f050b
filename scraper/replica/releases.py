"""The replica's truth: sites and releases loaded from the TOML files in ``data/``.

A data file declares a family and its ``[[sites]]``; every site lists its
``[[sites.releases]]``. A release's ``body`` is the expected body: paragraphs
separated by a blank line, the dateline kept apart in ``dateline``, bare
subheadings written as ``## Text`` and links as ``[text](href)``.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).parent / "data"
LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")
SUBHEADING = "## "
SPEAKER = ">> "  # a speaker label line ("Name:") before a statement: shown, not body text
FIELDS = (
    "kind", "number", "place", "published", "kicker", "title",
    "subtitle", "dateline", "body", "contact", "persons", "ministry",
)  # fmt: skip

_RELEASE_KEYS = {
    "slug", "published", "title", "body", "layout", "kind", "number", "place", "kicker",
    "subtitle", "dateline", "persons", "edited", "teaser", "caption", "path", "aliases",
    "broken", "contact", "flags",
}  # fmt: skip


def paragraphs(text: str) -> tuple[str, ...]:
    """Split a data body into paragraphs (blank-line separated, inner newlines folded)."""
    return tuple(" ".join(p.split()) for p in re.split(r"\n\s*\n", text.strip()) if p.strip())


def plain(paragraph: str) -> str:
    """A data paragraph as a reader sees it: link markup and subheading marks removed."""
    return LINK.sub(r"\1", paragraph).removeprefix(SUBHEADING)


@dataclass(frozen=True)
class Release:
    """One press release as it was published."""

    site: str
    slug: str
    published: date
    title: str
    body: tuple[str, ...]
    layout: str = "current"
    kind: str | None = None
    number: str | None = None
    place: str | None = None
    kicker: str | None = None
    subtitle: str | None = None
    dateline: str | None = None
    persons: tuple[dict, ...] = ()
    edited: tuple[str, ...] | None = None
    teaser: str | None = None
    caption: str | None = None
    path: str | None = None
    aliases: tuple[str, ...] = ()
    broken: bool = False
    contact: bool = True
    flags: tuple[str, ...] = ()
    extra: dict = field(default_factory=dict, hash=False, compare=False)

    def text(self, edited: bool = False) -> tuple[str, ...]:
        """The body paragraphs (data markup kept), the edited variant when asked."""
        return self.edited if edited and self.edited else self.body

    def body_text(self, edited: bool = False) -> str:
        """The expected body: plain paragraphs without speaker labels, blank-line separated."""
        return "\n\n".join(plain(p) for p in self.text(edited) if not p.startswith(SPEAKER))

    def words(self, edited: bool = False) -> int:
        return len(self.body_text(edited).split())


@dataclass(frozen=True)
class Site:
    """One ministry's press site as the replica serves it."""

    id: str
    family: str
    host: str
    ministry: str
    abbreviation: str | None
    contact: dict
    releases: tuple[Release, ...]
    extra: dict = field(default_factory=dict, hash=False, compare=False)


def _release(site_id: str, data: dict) -> Release:
    known = {k: v for k, v in data.items() if k in _RELEASE_KEYS}
    extra = {k: v for k, v in data.items() if k not in _RELEASE_KEYS}
    known["body"] = paragraphs(known["body"])
    if "edited" in known:
        known["edited"] = paragraphs(known["edited"])
    known["persons"] = tuple(dict(p) for p in known.get("persons", ()))
    for key in ("aliases", "flags"):
        known[key] = tuple(known.get(key, ()))
    return Release(site=site_id, extra=extra, **known)


@cache
def load_family(name: str) -> tuple[Site, ...]:
    """The sites (with their releases) of one data file, ``data/<name>.toml``."""
    data = tomllib.loads((DATA_DIR / f"{name}.toml").read_text(encoding="utf-8"))
    sites = []
    for entry in data["sites"]:
        own = {k: v for k, v in entry.items() if k != "releases"}
        sites.append(
            Site(
                id=own.pop("id"),
                family=data["family"],
                host=own.pop("host"),
                ministry=own.pop("ministry"),
                abbreviation=own.pop("abbreviation", None),
                contact=own.pop("contact", {}),
                releases=tuple(_release(entry["id"], r) for r in entry.get("releases", ())),
                extra=own,
            )
        )
    return tuple(sites)


def entry(
    site: Site,
    release: Release,
    *,
    url: str,
    paths: list[str],
    kind: str | None,
    contact: str | None,
    edited: bool = False,
) -> dict:
    """A catalogue entry: where the release is served and what must be read from it."""
    return {
        "site": site.id,
        "family": site.family,
        "slug": release.slug,
        "layout": release.layout,
        "url": url,
        "paths": paths,
        "edited": bool(release.edited),
        "flags": list(release.flags),
        **expected_fields(release, site, kind=kind, contact=contact, edited=edited),
    }


def expected_fields(
    release: Release, site: Site, *, kind: str | None, contact: str | None, edited: bool = False
) -> dict:
    """The 12 public fields a normaliser must read from this release's page."""
    return {
        "kind": kind,
        "number": release.number,
        "place": release.place,
        "published": release.published.isoformat(),
        "kicker": release.kicker,
        "title": release.title,
        "subtitle": release.subtitle,
        "dateline": release.dateline,
        "body": release.body_text(edited),
        "contact": contact,
        "persons": [dict(p) for p in release.persons],
        "ministry": release.extra.get("ministry", site.ministry),
    }
