"""How far a listing walk goes: the incremental stop, ``--since``/``--until``, re-checks.

Incremental rule: the walk stops after ``known_limit`` cards in a row whose release the
archive already holds with the same date and title. It applies only when the site's last
run walked its listing completely (to the end or to this stop, without bounds, limits, an
interruption or a release page lost to a server or network error), so that such a run
never makes the next one skip releases it did not store; otherwise the walk goes to the end.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from scraper.normalise.dates import parse_date
from storage.crawlstate import SiteState
from storage.records import title_key
from storage.urls import canonical_url

GONE = (404, 410)


def as_day(value, name: str) -> date | None:
    """A ``date`` from a date or ``YYYY-MM-DD`` (spider arguments arrive as strings)."""
    if value is None or value == "" or isinstance(value, date):
        return value or None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ValueError(f"{name}: {value!r} is not a date (YYYY-MM-DD)") from None


def as_flag(value) -> bool:
    return value is True or str(value).lower() in {"1", "true", "yes", "on"}


@dataclass
class Walk:
    state: SiteState
    full: bool = False
    since: date | None = None
    until: date | None = None
    known_limit: int = 10
    known_in_row: int = 0
    past_since: bool = False
    ended: bool = False
    missed: bool = False  # a release page failed with a server or network error
    listed: set[int] = field(default_factory=set)

    @property
    def bounded(self) -> bool:
        return bool(self.since or self.until)

    @property
    def stopped(self) -> bool:
        """Enough known, unchanged releases in a row (incremental mode only)."""
        incremental = not (self.full or self.bounded) and self.state.complete
        return incremental and self.known_in_row >= self.known_limit

    @property
    def swept(self) -> bool:
        """The listing was walked completely: to its end or to the incremental stop."""
        return (self.ended or self.stopped) and not (self.bounded or self.missed)

    def card(self, url: str, listing: dict) -> bool:
        """Whether to fetch a card's release; counts known, unchanged cards in a row."""
        day = parse_date(listing.get("date"))
        if day and self.since and day < self.since:
            self.past_since = True
            return False
        if day and self.until and day > self.until:
            return False
        known = self.state.urls.get(canonical_url(url))
        if known is not None:
            self.listed.add(known.release)
        title = listing.get("title")
        agrees = (
            known is not None
            and day in (None, known.published)
            and (not title or title_key(title) == known.title_key)
        )
        self.known_in_row = self.known_in_row + 1 if agrees else 0
        return True

    def follow_next(self, newest_first: bool = True) -> bool:
        """Whether to read the next listing page."""
        return not self.stopped and not (self.past_since and newest_first)

    def knows(self, url: str) -> bool:
        return canonical_url(url) in self.state.urls

    def conditional(self, url: str) -> dict[str, str]:
        """``If-None-Match``/``If-Modified-Since`` from the URL's last fetch, if known."""
        known = self.state.urls.get(canonical_url(url))
        if known is None:
            return {}
        headers = {"If-None-Match": known.etag, "If-Modified-Since": known.last_modified}
        return {name: value for name, value in headers.items() if value}

    def unlisted(self) -> list[str]:
        """Main URLs of the site's releases (not withdrawn) the listing no longer shows."""
        return [url for pk, url in self.state.primary.items() if pk not in self.listed]
