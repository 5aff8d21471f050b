"""The normalised press release: twelve public fields plus provenance."""

from __future__ import annotations

from dataclasses import dataclass, field

FIELDS = (
    "kind",
    "number",
    "place",
    "published",
    "kicker",
    "title",
    "subtitle",
    "dateline",
    "body",
    "contact",
    "persons",
    "ministry",
)


@dataclass
class Record:
    """One release: the public fields, the profile used, where each value came from, flags.

    ``sources`` maps a field name (and ``encoding`` for a page) to the reader that gave it,
    e.g. ``{"published": "json-ld", "title": "h1", "body": "trafilatura"}``.
    """

    kind: str | None = None
    number: str | None = None
    place: str | None = None
    published: str | None = None
    kicker: str | None = None
    title: str | None = None
    subtitle: str | None = None
    dateline: str | None = None
    body: str | None = None
    contact: str | None = None
    persons: list[dict] = field(default_factory=list)
    ministry: str | None = None
    profile: str | None = None
    sources: dict[str, str] = field(default_factory=dict)
    flags: list[str] = field(default_factory=list)
    notes: dict[str, str] = field(default_factory=dict, repr=False)
    """Why a field is uncertain, in words (for ``pressarchiv normalise``; not archived)."""

    def flag(self, *names: str) -> None:
        """Add flags once each, keeping their order."""
        for name in names:
            if name not in self.flags:
                self.flags.append(name)

    def fields(self) -> dict:
        """The twelve public fields."""
        out = {name: getattr(self, name) for name in FIELDS}
        out["persons"] = [dict(p) for p in self.persons]
        return out

    def to_dict(self) -> dict:
        """The public fields plus provenance (profile, sources, flags)."""
        return {
            **self.fields(),
            "profile": self.profile,
            "sources": dict(self.sources),
            "flags": list(self.flags),
        }
