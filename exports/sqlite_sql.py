"""SQL expressions with which SQLite builds each export record itself (``sqlite_records``).

Every expression gives, for the rows it accepts, exactly the text the Python path
(``reading.release_row``, ``citation``, ``writers``) gives. What it does not accept is
caught by ``odd(fmt)`` or, for CSV cells, made to contain a double
quote, so that the row is written by the Python path instead. The statement names its
tables ``releases``, ``cur`` (the current revision) and ``oldest`` (the cluster's oldest
release).
"""

from __future__ import annotations

NAIVE_TIME = "__________ ________.______"
"""The form ``reading.stamp`` reads without parsing (LIKE: any character but the space
and the dot): a time as SQLAlchemy stores it in SQLite, naive UTC with microseconds."""
DAY = "[1-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]"
TIMES = ("releases.first_seen", "releases.last_seen", "releases.withdrawn", "cur.fetched_at")
NESTED = "(releases.persons || releases.flags || ifnull(releases.sources, ''))"


def odd(fmt: str) -> str:
    """1 for a release whose values the expressions here do not cover, else NULL: a time
    or date in another form; for JSON also JSON columns with escapes or numbers with an
    exponent (which json() writes as stored, orjson in its own form), or ``sources``
    that is not an object."""
    conditions = [f"{t} NOT LIKE '{NAIVE_TIME}'" for t in TIMES]
    conditions.append(f"releases.published NOT GLOB '{DAY}'")
    if fmt != "csv":
        conditions += [
            f"instr({NESTED}, '\\') OR instr({NESTED}, 'e+') OR instr({NESTED}, 'e-')",
            "substr(releases.sources, 1, 1) <> '{'",
        ]
    return f"CASE WHEN {' OR '.join(conditions)} THEN 1 END"


def stamp(column: str) -> str:
    """``reading.stamp`` of a ``NAIVE_TIME``: ISO 8601 with ``T`` and ``+00:00``, without
    a zero fraction."""
    return (
        f"substr({column}, 1, 10) || 'T' || substr({column}, 12, "
        f"CASE WHEN substr({column}, 20) = '.000000' THEN 8 ELSE 15 END) || '+00:00'"
    )


def _german_date(day: str) -> str:
    return f"substr({day}, 9, 2) || '.' || substr({day}, 6, 2) || '.' || substr({day}, 1, 4)"


ARCHIVED_COPY = (
    "CASE WHEN cur.warc_file <> '' "
    "THEN 'warc:' || cur.warc_file || '#' || ifnull(cur.warc_offset, 'None') END"
)
ARCHIVED_ON = "substr(cur.fetched_at, 1, 10)"


def _citation() -> str:
    """``citation.citation`` of the row."""
    place, day = "releases.place <> ''", "releases.published <> ''"
    german = _german_date("releases.published")
    return f"""(CASE WHEN releases.ministry <> '' THEN releases.ministry || ': ' ELSE '' END
 || '„' || ifnull(nullif(releases.title, ''), 'ohne Titel') || '“.'
 || CASE WHEN {place} AND {day} THEN ' ' || releases.place || ', ' || {german} || '.'
         WHEN {place} THEN ' ' || releases.place || '.'
         WHEN {day} THEN ' ' || {german} || '.' ELSE '' END
 || ' ' || releases.url
 || CASE WHEN cur.fetched_at IS NOT NULL AND cur.warc_file <> ''
              THEN ' (archiviert am ' || {ARCHIVED_ON} || ', ' || {ARCHIVED_COPY} || ')'
         WHEN cur.fetched_at IS NOT NULL THEN ' (archiviert am ' || {ARCHIVED_ON} || ')'
         WHEN cur.warc_file <> '' THEN ' (' || {ARCHIVED_COPY} || ')' ELSE '' END)"""


CITATION = _citation()
CLUSTER = "ifnull(oldest.id, releases.id)"
_URLS = (
    "SELECT url FROM release_urls WHERE release_urls.release_pk = releases.pk "
    "ORDER BY release_urls.first_seen, release_urls.url"
)
_ATTACHMENTS = (
    "SELECT url FROM attachments WHERE attachments.release_pk = releases.pk "
    "GROUP BY attachments.url ORDER BY min(attachments.pk)"
)
_HAS_ATTACHMENTS = "EXISTS (SELECT 1 FROM attachments WHERE attachments.release_pk = releases.pk)"


def _json_record() -> str:
    """The JSON object of the row, keys in ``EXPORT_COLUMNS`` order."""
    plain = lambda name: (name, f"releases.{name}")  # noqa: E731
    pairs = [
        *map(plain, ("id", "site", "ministry", "url", "kind", "number", "place", "published")),
        *map(plain, ("kicker", "title", "subtitle", "dateline", "body", "contact")),
        ("persons", "json(releases.persons)"),
        ("urls", f"json((SELECT json_group_array(url) FROM ({_URLS})))"),
        ("flags", "json(releases.flags)"),
        ("profile", "releases.profile"),
        ("sources", "json(ifnull(releases.sources, '{}'))"),
        ("first_seen", stamp("releases.first_seen")),
        ("last_seen", stamp("releases.last_seen")),
        ("withdrawn", stamp("releases.withdrawn")),
        ("revisions", "releases.revision"),
        ("content_hash", "releases.content_hash"),
        (
            "attachments",
            f"CASE WHEN {_HAS_ATTACHMENTS} "
            f"THEN json((SELECT json_group_array(url) FROM ({_ATTACHMENTS}))) "
            "ELSE json_array() END",
        ),
        ("archived_copy", ARCHIVED_COPY),
        ("citation", CITATION),
        ("cluster", CLUSTER),
    ]
    return "json_object(" + ", ".join(f"'{key}', {value}" for key, value in pairs) + ")"


JSON_RECORD = _json_record()


def _text(value: str) -> str:
    return f"ifnull(CAST({value} AS TEXT), '')"


def _joined(values: tuple[str, ...]) -> str:
    """CSV cells that rarely need quoting, joined by commas unquoted: the Python side
    checks that the commas are only the separators and that no quote or line break is
    in them."""
    return " || ',' || ".join(_text(value) for value in values)


def _json_list(column: str) -> str:
    """A JSON list of strings as its CSV cell (``a | b``), or ``"`` when it is not one
    in the form json.dumps writes without escapes."""
    return (
        f"CASE WHEN {column} = '[]' THEN '' "
        f"WHEN instr({column}, '\\') = 0 AND substr({column}, 1, 2) = '[\"' "
        f"AND substr({column}, -2) = '\"]' "
        f"THEN replace(substr({column}, 3, length({column}) - 4), '\", \"', ' | ') "
        "ELSE '\"' END"
    )


def _json_mapping(column: str) -> str:
    """A JSON object of strings as its CSV cell (``key=value | key=value``), or ``"``
    when it is not one in the form json.dumps writes without escapes (every double
    quote left is one the replacements did not take as part of that form)."""
    return (
        f"CASE WHEN {column} IS NULL OR {column} = '{{}}' THEN '' "
        f"WHEN instr({column}, '\\') = 0 AND substr({column}, 1, 2) = '{{\"' "
        f"AND substr({column}, -2) = '\"}}' "
        f"THEN replace(replace(substr({column}, 3, length({column}) - 4), "
        "'\": \"', '='), '\", \"', ' | ') "
        "ELSE '\"' END"
    )


def _list_cell(query: str) -> str:
    return f"(SELECT group_concat(url, ' | ') FROM ({query}))"


_CSV_PARTS = (
    ("joined", ("releases.id", "releases.site")),
    ("cell", "releases.ministry"),
    ("joined", tuple(f"releases.{n}" for n in ("url", "kind", "number", "place", "published"))),
    *(("cell", f"releases.{n}") for n in ("kicker", "title", "subtitle", "dateline", "body")),
    ("cell", "releases.contact"),
    ("persons", "releases.persons"),
    (
        "joined",
        (
            _list_cell(_URLS),
            _json_list("releases.flags"),
            "releases.profile",
            _json_mapping("releases.sources"),
            stamp("releases.first_seen"),
            stamp("releases.last_seen"),
            stamp("releases.withdrawn"),
            "releases.revision",
            "releases.content_hash",
            f"CASE WHEN {_HAS_ATTACHMENTS} THEN {_list_cell(_ATTACHMENTS)} END",
            ARCHIVED_COPY,
        ),
    ),
    ("cell", CITATION),
    ("joined", (CLUSTER,)),
)
CSV_KINDS = tuple(kind for kind, _ in _CSV_PARTS)
"""The CSV record in parts, in column order: ``joined`` runs of cells (see ``_joined``),
single ``cell`` texts (quoted on the Python side) and the ``persons`` JSON."""
CSV_COMMAS = tuple(len(sql) - 1 if kind == "joined" else 0 for kind, sql in _CSV_PARTS)
"""The separating commas in each part."""
CSV_VALUES = tuple(
    _joined(sql) if kind == "joined" else _text(sql) if kind == "cell" else sql
    for kind, sql in _CSV_PARTS
)
