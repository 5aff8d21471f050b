"""Ministries over time: the authority file, and which entry published a release.

``load_authority()`` reads ``scraper/data/ministries.toml`` (plus the file named by
``PRESSARCHIV_MINISTRIES``) into an ``Authority``. ``Authority.resolve(site, name, published)``
links a release to an entry, tried in this order:

* ``name``: the printed ministry name (or an alias) of an entry in office on the release date;
* ``site``: the one entry publishing on the release's site on that date (a site keeps its
  address across renames, so an old release printed with today's name still finds the name
  it was issued under);
* ``name-only``: the printed name, outside its period (or the release has no date).

A *lineage* is a chain of entries linked by ``predecessor``: one house under its successive
names. It is named by its newest entry's id, and groups a ministry across its names.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path

from storage.records import words

BUILTIN = Path(__file__).parent / "data" / "ministries.toml"
ENV = "PRESSARCHIV_MINISTRIES"
KEYS = {
    "id", "name", "abbreviation", "jurisdiction", "from", "until",
    "predecessor", "took_over", "aliases", "sites",
}  # fmt: skip
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")


class AuthorityError(Exception):
    """The authority file is unreadable or inconsistent (one line naming file and entry)."""


@dataclass(frozen=True)
class Ministry:
    """One name period of a ministry."""

    id: str
    name: str
    jurisdiction: str
    abbreviation: str | None = None
    start: date | None = None
    end: date | None = None
    predecessor: str | None = None
    took_over: tuple[tuple[str, str], ...] = ()  # (entry id, portfolio)
    aliases: tuple[str, ...] = ()
    sites: tuple[str, ...] = ()

    def in_office(self, day: date | None) -> bool:
        """Whether the name was in use on ``day`` (an unknown day is in no period)."""
        if day is None:
            return False
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)

    def label(self) -> str:
        """The name with its abbreviation."""
        return f"{self.name} ({self.abbreviation})" if self.abbreviation else self.name


def name_key(name: str) -> str:
    """The folded words of a ministry name (case, umlauts, punctuation ignored)."""
    return " ".join(words(name))


@dataclass
class Authority:
    """All entries, with the indexes ``resolve`` and the lineages need."""

    entries: dict[str, Ministry]
    by_name: dict[str, list[Ministry]] = field(default_factory=dict)
    by_site: dict[str, list[Ministry]] = field(default_factory=dict)
    successor: dict[str, str] = field(default_factory=dict)

    def __post_init__(self):
        for entry in self.entries.values():
            for name in (entry.name, *entry.aliases):
                self.by_name.setdefault(name_key(name), []).append(entry)
            for site in entry.sites:
                self.by_site.setdefault(site, []).append(entry)
            if entry.predecessor:
                self.successor[entry.predecessor] = entry.id

    def resolve(self, site: str | None, name: str | None, published: date | None):
        """``(entry id, how)`` for a release, or ``(None, None)`` (see the module doc)."""
        named = self.by_name.get(name_key(name or ""), [])
        current = [e for e in named if e.in_office(published)]
        if current:
            return current[0].id, "name"
        on_site = [e for e in self.by_site.get(site or "", []) if e.in_office(published)]
        if len(on_site) == 1:
            return on_site[0].id, "site"
        if named:
            return max(named, key=lambda e: e.start or date.min).id, "name-only"
        return None, None

    def lineage(self, entry_id: str) -> list[Ministry]:
        """The house of ``entry_id`` under all its names, oldest first."""
        first = self.entries[entry_id]
        while first.predecessor:
            first = self.entries[first.predecessor]
        chain = [first]
        while chain[-1].id in self.successor:
            chain.append(self.entries[self.successor[chain[-1].id]])
        return chain

    def lineage_id(self, entry_id: str) -> str:
        """The id naming a lineage: that of its newest entry."""
        return self.lineage(entry_id)[-1].id

    def lineages(self) -> list[list[Ministry]]:
        """Every lineage, by jurisdiction (Bund first) and current name."""
        ends = [e for e in self.entries.values() if e.id not in self.successor]
        chains = [self.lineage(e.id) for e in ends]
        return sorted(chains, key=lambda c: (c[-1].jurisdiction != "Bund", c[-1].jurisdiction,
                                             c[-1].name))  # fmt: skip

    def handed_over(self, entry_id: str) -> list[tuple[Ministry, str]]:
        """``(entry, portfolio)`` of the houses that took a portfolio from ``entry_id``."""
        return [
            (entry, portfolio)
            for entry in self.entries.values()
            for source, portfolio in entry.took_over
            if source == entry_id
        ]


def _date(value, where: str) -> date | None:
    if value is None or isinstance(value, date):
        return value
    raise AuthorityError(f"{where}: dates are written 2024-01-18 (no quotes)")


def _entry(raw: dict, where: str) -> Ministry:
    unknown = set(raw) - KEYS
    if unknown:
        raise AuthorityError(f"{where}: unknown key {sorted(unknown)[0]!r}")
    for key in ("id", "name", "jurisdiction"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            raise AuthorityError(f"{where}: {key} is required")
    if not _ID.match(raw["id"]):
        raise AuthorityError(f"{where}: id {raw['id']!r} must be lower case letters, digits, -")
    took = raw.get("took_over", [])
    if not all(isinstance(t, dict) and {"from", "portfolio"} == set(t) for t in took):
        raise AuthorityError(f"{where}: took_over entries are {{ from = id, portfolio = text }}")
    start, end = _date(raw.get("from"), where), _date(raw.get("until"), where)
    if start and end and end < start:
        raise AuthorityError(f"{where}: until {end} is before from {start}")
    return Ministry(
        id=raw["id"],
        name=raw["name"].strip(),
        jurisdiction=raw["jurisdiction"],
        abbreviation=raw.get("abbreviation"),
        start=start,
        end=end,
        predecessor=raw.get("predecessor"),
        took_over=tuple((t["from"], t["portfolio"]) for t in took),
        aliases=tuple(raw.get("aliases", ())),
        sites=tuple(raw.get("sites", ())),
    )


def _read(path: Path) -> list[Ministry]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise AuthorityError(f"{path}: {exc}") from None
    raw = data.get("ministry", [])
    if not isinstance(raw, list):
        raise AuthorityError(f"{path}: entries are [[ministry]] tables")
    return [_entry(r, f"{path} [[ministry]] #{n} {r.get('id', '')}") for n, r in enumerate(raw, 1)]


def _check(entries: dict[str, Ministry]) -> None:
    successors: dict[str, str] = {}
    for entry in entries.values():
        links = [entry.predecessor] if entry.predecessor else []
        for ref in links + [source for source, _ in entry.took_over]:
            if ref not in entries:
                raise AuthorityError(f"ministry {entry.id}: unknown entry {ref!r}")
        if entry.predecessor:
            if entry.predecessor in successors:
                raise AuthorityError(
                    f"ministry {entry.predecessor}: continued by both "
                    f"{successors[entry.predecessor]} and {entry.id} (one is a took_over)"
                )
            successors[entry.predecessor] = entry.id
    for entry in entries.values():  # a predecessor chain must end
        seen, step = {entry.id}, entry
        while step.predecessor:
            if step.predecessor in seen:
                raise AuthorityError(f"ministry {entry.id}: predecessors run in a circle")
            seen.add(step.predecessor)
            step = entries[step.predecessor]


def authority_files() -> list[Path]:
    """The shipped file, then the one named by ``PRESSARCHIV_MINISTRIES`` if set."""
    extra = os.environ.get(ENV)
    return [BUILTIN] + ([Path(extra)] if extra else [])


@cache
def _load(paths: tuple[Path, ...], stamps: tuple) -> Authority:
    entries: dict[str, Ministry] = {}
    for path in paths:
        file_ids: set[str] = set()
        for entry in _read(path):
            if entry.id in file_ids:
                raise AuthorityError(f"{path}: id {entry.id!r} appears twice")
            file_ids.add(entry.id)
            entries[entry.id] = entry
    _check(entries)
    return Authority(entries)


def load_authority(paths: list[Path] | None = None) -> Authority:
    """The authority of ``paths`` (default ``authority_files()``), later files overriding
    entries of earlier ones by id; cached until a file changes."""
    paths = tuple(paths or authority_files())
    stamps = []
    for path in paths:
        try:
            stamps.append(path.stat().st_mtime_ns)
        except OSError:
            raise AuthorityError(f"{path}: no such authority file") from None
    return _load(paths, tuple(stamps))


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def overview(authority: Authority, counts: dict, text: str | None = None, show_all=False):
    """``(houses, unlinked)`` for reports: each lineage with its names, periods and release
    counts (``counts`` as from ``Archive.ministry_counts()``), and the printed names of
    releases that no entry claims. ``text`` keeps lineages with a name containing it (folded)."""
    linked, unclaimed = counts
    per_entry = {k: v for k, v in linked.items() if k in authority.entries}
    unlinked = [{"ministry": name, "releases": row["releases"]} for name, row in unclaimed.items()]
    unlinked += [
        {"ministry": f"(unknown entry {k})", "releases": v["releases"]}
        for k, v in linked.items()
        if k not in authority.entries
    ]
    wanted = name_key(text) if text else None
    houses = []
    for chain in authority.lineages():
        names = [e.name for e in chain] + [a for e in chain for a in e.aliases]
        names += [e.abbreviation or "" for e in chain]
        if wanted and not any(wanted in name_key(n) for n in names):
            continue
        rows = []
        for entry in chain:
            seen = per_entry.get(entry.id, {"releases": 0, "first": None, "last": None})
            rows.append(
                {
                    "id": entry.id,
                    "name": entry.name,
                    "abbreviation": entry.abbreviation,
                    "from": _iso(entry.start),
                    "until": _iso(entry.end),
                    "releases": seen["releases"],
                    "first": _iso(seen["first"]),
                    "last": _iso(seen["last"]),
                }
            )
        total = sum(r["releases"] for r in rows)
        if not total and not show_all:
            continue
        houses.append(
            {
                "id": chain[-1].id,
                "jurisdiction": chain[-1].jurisdiction,
                "name": chain[-1].name,
                "releases": total,
                "names": rows,
                "changes": portfolio_changes(authority, chain),
            }
        )
    unlinked.sort(key=lambda r: (-r["releases"], r["ministry"] or ""))
    return houses, unlinked


def portfolio_changes(authority: Authority, chain: list[Ministry]) -> list[str]:
    """The portfolios a lineage took over from or handed to other houses, as sentences."""
    out = []
    for entry in chain:
        when = f"{entry.start.isoformat()}: " if entry.start else ""
        for source, portfolio in entry.took_over:
            out.append(f"{when}took over {portfolio} from {authority.entries[source].label()}")
        for taker, portfolio in authority.handed_over(entry.id):
            when = f"{taker.start.isoformat()}: " if taker.start else ""
            out.append(f"{when}handed {portfolio} to {taker.label()}")
    return out
