"""Side files of an export written with ``-o FILE``: ``FILE.manifest.json`` and the data
dictionary ``FILE.datapackage.json`` (a Frictionless Data Package).

The manifest is written last: once it exists, the export beside it is complete.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path

from exports import SCHEMA_VERSION, write_atomic
from exports.dictionary import table_schema
from scraper import __version__

MEDIA_TYPES = {"csv": "text/csv", "json": "application/json", "jsonl": "application/jsonl"}


class Tally:
    """Passes ``(records, publication dates)`` chunks through and notes the range of
    publication dates they cover."""

    def __init__(self, chunks: Iterable[tuple[list, list]]):
        self.chunks = chunks
        self.first: str | bytes | None = None
        self.last: str | bytes | None = None

    def __iter__(self) -> Iterator[tuple[list, list]]:
        for chunk in self.chunks:
            days = [day for day in chunk[1] if day]
            if days:
                first, last = min(days), max(days)
                self.first = first if self.first is None else min(self.first, first)
                self.last = last if self.last is None else max(self.last, last)
            yield chunk

    def published(self) -> dict:
        text = lambda day: day.decode() if isinstance(day, bytes) else day  # noqa: E731
        return {"min": text(self.first), "max": text(self.last)}


def sha256_of(path: Path) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with open(path, "rb") as data:
        for block in iter(lambda: data.read(1 << 20), b""):
            digest.update(block)
            size += len(block)
    return digest.hexdigest(), size


def sidecar(path: Path, kind: str) -> Path:
    """``FILE.<kind>.json`` beside ``FILE``."""
    return path.with_name(f"{path.name}.{kind}.json")


def datapackage(path: Path, fmt: str, digest: str, size: int) -> dict:
    resource = {
        "name": "releases",
        "path": path.name,
        "format": fmt,
        "mediatype": MEDIA_TYPES[fmt],
        "encoding": "utf-8",
        "bytes": size,
        "hash": f"sha256:{digest}",
        "schema": table_schema(fmt),
    }
    if fmt == "csv":
        resource["dialect"] = {"delimiter": ",", "lineTerminator": "\r\n", "header": True}
    return {
        "name": "pressarchiv-releases",
        "title": "Press releases exported by pressarchiv",
        "version": str(SCHEMA_VERSION),
        "resources": [resource],
    }


def _dump(target: Path, data: dict) -> None:
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    write_atomic(target, lambda out: out.write(text.encode("utf-8")))


def write_sidecars(
    path: str, fmt: str, count: int, query: dict, published: dict, revisions: dict
) -> Path:
    """Write the data dictionary, then the manifest, beside the finished export ``path``."""
    path = Path(path)
    digest, size = sha256_of(path)
    dictionary = sidecar(path, "datapackage")
    _dump(dictionary, datapackage(path, fmt, digest, size))
    manifest = sidecar(path, "manifest")
    _dump(
        manifest,
        {
            "file": path.name,
            "format": fmt,
            "count": count,
            "bytes": size,
            "sha256": digest,
            "query": query,
            "schema_version": SCHEMA_VERSION,
            "published": published,
            "revisions": revisions,
            "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "software": f"pressarchiv {__version__}",
            "data_dictionary": dictionary.name,
        },
    )
    return manifest
