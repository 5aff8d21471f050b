"""The data dictionary of the export columns: type and description of each.

Types are Frictionless Table Schema types; list columns are ``array`` in JSON and JSON
Lines and ``string`` (in the form ``CSV_LIST_FORMS`` gives) in CSV.
"""

from __future__ import annotations

from exports.columns import CSV_LIST_FORMS

COLUMNS: dict[str, tuple[str, str]] = {
    "id": ("string", "Stable release id: 16 hex digits over site, date and folded title."),
    "site": ("string", "Site id the release was crawled from (see `pressarchiv sites`)."),
    "ministry": ("string", "The issuing ministry."),
    "url": ("string", "Canonical URL of the release on the real site."),
    "kind": ("string", "Kind of release, e.g. Pressemitteilung or Presseinformation."),
    "number": ("string", "The release's own number, if it has one."),
    "place": ("string", "Place in the header line (Ort, Datum)."),
    "published": ("date", "Publication date (YYYY-MM-DD)."),
    "kicker": ("string", "Line above the title."),
    "title": ("string", "Title."),
    "subtitle": ("string", "Subtitle or lead."),
    "dateline": ("string", "Place word leading the body (Wetzlar. ...), without the dot."),
    "body": ("string", "The release's own words; paragraphs separated by a blank line."),
    "contact": ("string", "Press contact block, one line per line."),
    "persons": ("array", "People named: objects with name and role (role may be null)."),
    "urls": ("array", "Every canonical URL the release was found at, oldest first."),
    "flags": ("array", "Normaliser remarks such as speech, no-date, mojibake-repaired."),
    "profile": ("string", "Site profile that read the page; null for the generic reader."),
    "sources": (
        "object",
        "Which reader gave each field (and the page's encoding), e.g. published: json-ld,"
        " title: h1, body: trafilatura, encoding: utf-8 (meta).",
    ),
    "first_seen": ("datetime", "When the archive first fetched the release (UTC)."),
    "last_seen": ("datetime", "When the archive last fetched the release (UTC)."),
    "withdrawn": (
        "datetime",
        "When the archive noticed the release gone from its site (404/410), else empty.",
    ),
    "revisions": ("integer", "Number of texts the archive holds for the release."),
    "content_hash": ("string", "SHA-256 over the 12 normalised fields of the current text."),
    "attachments": ("array", "URLs of the release's PDF attachments, in page order."),
    "archived_copy": ("string", "WARC record of the current text: warc:<file>#<offset>."),
    "citation": ("string", "Ministry: „Title“. Place, DD.MM.YYYY. URL (archiviert am ...)."),
    "cluster": (
        "string",
        "Near-duplicate group: the id of the oldest release with the same text (published"
        " by another issuer or reposted with small edits); the release's own id if none.",
    ),
}


def table_schema(fmt: str) -> dict:
    """A Frictionless Table Schema of the export columns as written in ``fmt``."""
    fields = []
    for name, (kind, description) in COLUMNS.items():
        if kind in ("array", "object") and fmt == "csv":
            kind, description = "string", f"{description} CSV form: {CSV_LIST_FORMS[name]}"
        fields.append({"name": name, "type": kind, "description": description})
    return {"fields": fields, "primaryKey": ["id"]}
