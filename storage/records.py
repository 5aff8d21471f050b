"""From crawled items to archive values: field lists, folding, content hashes, stable ids.

Stable id: the first 16 hex digits of SHA-256 over ``site``, ``published`` and the
folded title (``title_key``) of the first version the archive sees, joined by U+001F.
A rebuild from the same pages therefore gives the same ids. A release without a date
or title is keyed by its canonical URL instead.

Content hash: SHA-256 of the 12 public fields as compact JSON with sorted keys.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime

import orjson

from storage.errors import ArchiveError
from storage.urls import canonical_url

PUBLIC_FIELDS = (
    "kind", "number", "place", "published", "kicker", "title",
    "subtitle", "dateline", "body", "contact", "persons", "ministry",
)  # fmt: skip
PROVENANCE_FIELDS = ("profile", "sources", "flags")
_WORD = re.compile(r"[^\W_]+")
_ALNUM = re.compile(r"\w+")
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def fold(text: str) -> str:
    """Lower-case ``text`` with umlauts spelled out and other accents dropped.

    ``Mädchen`` and ``Maedchen`` both give ``maedchen``; ``Straße`` and ``Strasse`` both
    give ``strasse``; ``é`` gives ``e``.
    """
    text = unicodedata.normalize("NFC", text).casefold()
    text = text.replace("ä", "ae").replace("ö", "oe").replace("ü", "ue")
    if text.isascii():  # nothing left to decompose
        return text
    return _COMBINING.sub("", unicodedata.normalize("NFKD", text))


def words(text: str) -> list[str]:
    """The folded words of ``text``."""
    folded = fold(text)
    # without underscores, ``\w+`` finds the same words, a fifth faster
    return (_WORD if "_" in folded else _ALNUM).findall(folded)


def title_key(title: str | None) -> str:
    """The folded title used to recognise one release under two URLs."""
    return " ".join(words(title or ""))


def content_hash(fields: dict) -> str:
    """SHA-256 over the 12 public fields (stable JSON: sorted keys, no spaces, UTF-8).

    Texts, lists and objects of them are encoded by ``orjson``, which writes exactly what
    ``json.dumps`` does for them (checked for every character) about ten times faster;
    anything else (numbers, other types) by ``json.dumps`` itself."""
    public = {name: fields.get(name) for name in PUBLIC_FIELDS}
    if _texts_only(public):
        try:
            return hashlib.sha256(orjson.dumps(public, option=orjson.OPT_SORT_KEYS)).hexdigest()
        except orjson.JSONEncodeError:  # e.g. a lone surrogate: json's own error below
            pass
    data = json.dumps(public, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


_TEXT = {str, type(None)}


def _texts_only(value) -> bool:
    """Whether ``value`` is None, a text, or a list or text-keyed object of such values."""
    kind = type(value)
    if kind is dict:
        return all(
            type(k) is str and (type(v) in _TEXT or _texts_only(v)) for k, v in value.items()
        )
    if kind is list:
        return all(type(v) in _TEXT or _texts_only(v) for v in value)
    return kind in _TEXT


def stable_id(site: str, published: str | None, key: str, url: str) -> str:
    """The release id (see the module docstring)."""
    basis = f"{site}\x1f{published}\x1f{key}" if published and key else f"{site}\x1f{url}"
    return hashlib.sha256(basis.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class Item:
    """A validated crawled item, ready to be stored."""

    id: str
    site: str
    url: str
    fetched_url: str | None
    fetched_at: datetime
    published: date | None
    title_key: str
    content_hash: str
    fields: dict  # the 12 public fields plus provenance, JSON-ready
    warc: dict | None = None  # the WARC record of the page: {"file", "offset", "digest"}
    attachments: tuple = ()  # dicts as built by scraper.attachments.attachment_of


def _fetched_at(value) -> datetime:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if not isinstance(value, datetime):
        raise ValueError("fetched_at is not a datetime")
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def prepare(raw: dict) -> Item:
    """Validate one crawled item; raises ``ArchiveError`` naming the URL and the fault."""
    where = raw.get("url") or "item without url"
    try:
        if not raw.get("site") or not raw.get("url"):
            raise ValueError("site and url are required")
        url = canonical_url(raw["url"])
        published = raw.get("published")
        day = date.fromisoformat(published) if published else None
        fields = {name: raw.get(name) for name in PUBLIC_FIELDS + PROVENANCE_FIELDS}
        fields["persons"] = [
            {"name": p["name"], "role": p.get("role")} for p in fields["persons"] or []
        ]
        fields["flags"] = list(fields["flags"] or [])
        fields["ministry"] = raw.get("ministry")
        key = title_key(fields["title"])
        return Item(
            id=stable_id(raw["site"], published, key, url),
            site=raw["site"],
            url=url,
            fetched_url=raw.get("fetched_url"),
            fetched_at=_fetched_at(raw.get("fetched_at") or datetime.now(UTC)),
            published=day,
            title_key=key,
            content_hash=content_hash(fields),
            fields=fields,
            warc=raw.get("warc"),
            attachments=tuple(raw.get("attachments") or ()),
        )
    except (ValueError, TypeError, KeyError) as exc:
        raise ArchiveError(f"bad item {where}: {exc}") from None


def iso(value) -> str | None:
    """``value`` (a date or datetime) in ISO 8601, or None; a date read as text (SQLite,
    plain SQL) is ISO 8601 already."""
    if value is None or isinstance(value, str):
        return value
    return value.isoformat()


def as_date(value: date | str | None, name: str) -> date | None:
    """A date from a ``date`` or ``YYYY-MM-DD`` string (``ValueError`` names ``name``)."""
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{name}: {value!r} is not a date (YYYY-MM-DD)") from None
