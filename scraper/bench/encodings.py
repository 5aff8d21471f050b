"""Saved pages served in other encodings and shapes: does the record stay the same?

Every saved page (UTF-8, one ``<meta charset>``) is turned into the same page as a server
might send it: re-encoded and correctly declared as Windows-1252 or Latin-1 (in the
``Content-Type`` header, the ``<meta charset>``, or both; characters outside the encoding
as character references, Latin-1 also without them where a page fits), as UTF-16 with a
byte order mark, with NULs in ``<head>``, or with its body wrapped in 300 (or 3000) ``div``s. Each
variant must normalise to the record of the original; a record that differs is counted,
and ``garbled`` when its text holds characters the original's does not.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from scraper.normalise import FIELDS, normalise_html

_META_CHARSET = re.compile(
    rb"<meta\s[^>]*?charset\s*=\s*[\"']?[\w-]+[\"']?[^>]*>", re.I
)  # <meta charset="utf-8"> and <meta http-equiv="Content-Type" content="...; charset=utf-8">
_HEAD = re.compile(rb"<head\b[^>]*>", re.I)
_BODY = re.compile(rb"(<body\b[^>]*>)(.*)(</body\s*>)", re.I | re.S)
# Flags that describe how the page was served, not what it says.
SERVING_FLAGS = frozenset({"charset-mismatch", "deep-nesting"})


@dataclass(frozen=True)
class Served:
    """A page as a server sends it: body bytes and the ``Content-Type`` header (or None)."""

    body: bytes
    content_type: str | None


def _declared(page: bytes, codec: str, header: str | None, meta: str | None,
              strict: bool = False) -> Served | None:  # fmt: skip
    """The page re-encoded in ``codec``, with ``header`` as the ``Content-Type`` charset and
    ``meta`` as the ``<meta charset>`` (each left out when None). Characters outside the
    encoding are written as character references, as a CMS does; ``strict``: None instead
    (Latin-1 cannot write German quotation marks, so few pages are Latin-1 as they stand)."""
    try:
        body = page.decode("utf-8").encode(codec, "strict" if strict else "xmlcharrefreplace")
    except UnicodeEncodeError:
        return None
    tag = f'<meta charset="{meta}">'.encode("ascii") if meta else b""
    body, found = _META_CHARSET.subn(lambda _: tag, body, count=1)
    if not found:  # a page that declared nothing: the declaration goes first in <head>
        body = _HEAD.sub(lambda m: m.group(0) + tag, body, count=1)
    return Served(body, f"text/html; charset={header}" if header else None)


def _after_script(meta: str | None) -> Callable[[bytes], Served]:
    """Windows-1252 behind 8 KB of inline script, declared by a ``<meta charset>`` after it
    (beyond the first 4 KB that a declaration is looked for in), or not at all."""
    script = b"<script>var pad = '" + b"x" * 8192 + b"';</script>"

    def transform(page: bytes) -> Served:
        served = _declared(page, "cp1252", None, meta or "windows-1252")
        tag = b'<meta charset="windows-1252">'
        return Served(served.body.replace(tag, script + (tag if meta else b""), 1), None)

    return transform


def _utf16(codec: str, bom: bytes) -> Callable[[bytes], Served]:
    return lambda page: Served(bom + page.decode("utf-8").encode(codec), None)


def _nuls_in_head(count: int) -> Callable[[bytes], Served]:
    return lambda page: Served(_HEAD.sub(lambda m: m.group(0) + b"\x00" * count, page, 1), None)


def _wrapped(depth: int, opener: bytes) -> Callable[[bytes], Served]:
    """The page's body inside ``depth`` nested ``div``s, each opened by ``opener``."""

    def wrap(m: re.Match) -> bytes:
        return m.group(1) + opener * depth + m.group(2) + b"</div>" * depth + m.group(3)

    return lambda page: Served(_BODY.sub(wrap, page, count=1), None)


def _as(codec: str, header: str | None, meta: str | None,
        strict: bool = False) -> Callable[[bytes], Served | None]:  # fmt: skip
    return lambda page: _declared(page, codec, header, meta, strict)


TRANSFORMS: dict[str, Callable[[bytes], Served | None]] = {
    "windows-1252 header": _as("cp1252", header="windows-1252", meta=None),
    "windows-1252 meta": _as("cp1252", header=None, meta="windows-1252"),
    "windows-1252 both": _as("cp1252", header="windows-1252", meta="windows-1252"),
    "windows-1252 header, meta utf-8": _as("cp1252", header="windows-1252", meta="utf-8"),
    "windows-1252 meta after 8 KB": _after_script("windows-1252"),
    "windows-1252 undeclared": _as("cp1252", header=None, meta=None),
    "windows-1252 undeclared, 8 KB": _after_script(None),
    "iso-8859-1 header": _as("latin-1", header="iso-8859-1", meta=None),
    "iso-8859-1 meta": _as("latin-1", header=None, meta="iso-8859-1"),
    "iso-8859-1 both": _as("latin-1", header="iso-8859-1", meta="iso-8859-1"),
    "iso-8859-1 both, no references": _as("latin-1", "iso-8859-1", "iso-8859-1", strict=True),
    "utf-16le with bom": _utf16("utf-16-le", b"\xff\xfe"),
    "utf-16be with bom": _utf16("utf-16-be", b"\xfe\xff"),
    "nul in head": _nuls_in_head(1),
    "3 nuls in head": _nuls_in_head(3),
    "300 divs": _wrapped(300, b"<div>"),
    "3000 divs, a comment in each": _wrapped(3000, b"<div><!-- -->"),
}


def saved_pages(folder: Path) -> list[Path]:
    """Every saved page (``.html``) under ``folder``, all subfolders."""
    return sorted(folder.rglob("*.html"))


def page_url(path: Path) -> str | None:
    """The page's address from the expected JSON beside it, if any."""
    beside = path.with_suffix(".json")
    return json.loads(beside.read_text(encoding="utf-8")).get("url") if beside.exists() else None


def record(served: Served, url: str | None) -> dict:
    """The record's fields, profile, sources and flags, less what tells how it was served
    (``sources["encoding"]`` and ``SERVING_FLAGS``)."""
    rec = normalise_html(served.body, url=url, content_type=served.content_type)
    sources = {k: v for k, v in rec.sources.items() if k != "encoding"}
    flags = sorted(f for f in rec.flags if f not in SERVING_FLAGS)
    return {**rec.fields(), "profile": rec.profile, "sources": sources, "flags": flags}


def differences(original: dict, variant: dict) -> list[str]:
    """The names of the record entries that differ."""
    return [name for name in original if original[name] != variant[name]]


def is_garbled(original: dict, variant: dict) -> bool:
    """Whether the variant's text holds characters the original's does not (a replacement
    character, mojibake, umlauts read in another code page)."""

    def characters(rec: dict) -> set[str]:
        return set(json.dumps([rec[name] for name in FIELDS], ensure_ascii=False))

    return bool(characters(variant) - characters(original))


@dataclass
class Tally:
    """One transform over all pages: how many could be served, changed, garbled."""

    pages: int = 0
    changed: list[tuple[str, list[str]]] = field(default_factory=list)
    garbled: int = 0


@dataclass
class Result:
    """Each transform's tally, and the pages left out (not UTF-8: nothing to re-encode)."""

    tallies: dict[str, Tally]
    left_out: list[str] = field(default_factory=list)


def run(folder: Path) -> Result:
    """Each transform over every saved page under ``folder``."""
    result = Result({name: Tally() for name in TRANSFORMS})
    for path in saved_pages(folder):
        page, url, name = path.read_bytes(), page_url(path), str(path.relative_to(folder))
        try:
            page.decode("utf-8")
        except UnicodeDecodeError:
            result.left_out.append(name)
            continue
        original = record(Served(page, None), url)
        for transform_name, transform in TRANSFORMS.items():
            served = transform(page)
            if served is None:
                continue
            tally = result.tallies[transform_name]
            tally.pages += 1
            variant = record(served, url)
            changed = differences(original, variant)
            if changed:
                tally.changed.append((name, changed))
                tally.garbled += is_garbled(original, variant)
    return result


def report(result: Result, details: bool = False) -> str:
    """One line per transform; with ``details`` each changed page and what changed."""
    lines = [f"{'transform':<32} {'pages':>5} {'changed':>7} {'garbled':>7}"]
    for name, tally in result.tallies.items():
        lines.append(f"{name:<32} {tally.pages:>5} {len(tally.changed):>7} {tally.garbled:>7}")
        if details:
            lines += [f"    {page}: {', '.join(what)}" for page, what in tally.changed]
    if result.left_out:
        lines.append(f"left out, not UTF-8: {len(result.left_out)} pages")
    return "\n".join(lines)
