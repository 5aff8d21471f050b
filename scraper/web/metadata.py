"""What Datasette shows about the archive: titles, sources, licence, facets, search."""

from __future__ import annotations

from markupsafe import escape

ARCHIVE = "archive"
PLUGIN = "pressarchiv"
FTS_TABLE = "release_search"
DEFAULT_SORT_DESC = {"releases": "published", "revisions": "pk"}
"""Tables shown newest first by default (see ``scraper.web.paging`` for the tie-breaker)."""


def sources_html(sources: list[tuple[str, str]]) -> str:
    """An HTML list of ``(ministry, site address)`` links."""
    items = "".join(
        f'<li>{escape(name)}: <a href="{escape(url)}">{escape(url)}</a></li>'
        for name, url in sources
    )
    return f"<ul>{items}</ul>" if items else ""


def metadata(sources: list[tuple[str, str]], search: bool = True) -> dict:
    """Datasette metadata for an archive whose releases come from ``sources``.

    ``search`` configures the search box on ``releases`` (the archive has ``release_search``).
    """
    about = (
        "<p>Pressemitteilungen deutscher Ministerien, archiviert von pressarchiv: jede Meldung "
        "einmal, mit Quelle und allen archivierten Fassungen. Nur lesbar.</p>"
    )
    releases = {
        "title": "Pressemitteilungen",
        "description_html": (
            "<p>Suche: ein Wort findet auch Zusammensetzungen (Integration → "
            "Integrationskonferenz), Umlaute und ß in beiden Schreibweisen, "
            "„Phrasen“ in Anführungszeichen, AND/OR/NOT und Präfixe wie Integr*.</p>"
        ),
        "label_column": "title",
        "sort_desc": DEFAULT_SORT_DESC["releases"],
        # counted over every row on each page: only facets an index answers (100,000
        # releases: ~0.1-0.25 s each); releases per person on demand (?_facet_person=persons)
        "facets": [{"ministry": "ministry_id"}, "site", {"month": "published"}],
    }
    sites = ", ".join(url for _, url in sources)
    if search:
        releases |= {"fts_table": FTS_TABLE, "fts_pk": "pk"}
    return {
        "title": "pressarchiv – Pressemitteilungen der Ministerien",
        "description_html": about + sources_html(sources),
        "source": f"Pressestellen der Ministerien: {sites}" if sites else "Pressestellen",
        "license": "Texte der Ministerien; Rechte bei den Herausgebern, "
        "Nutzung nur mit Quellenangabe",
        "databases": {
            ARCHIVE: {
                "title": "Archiv",
                "tables": {
                    "releases": releases,
                    "revisions": {
                        "title": "Fassungen",
                        "description": "Jede archivierte Fassung einer Meldung, mit Abrufzeit.",
                        "sort_desc": DEFAULT_SORT_DESC["revisions"],
                    },
                    "release_persons": {
                        "title": "Personen",
                        "label_column": "name",
                        "facets": ["name", "role"],
                    },
                    "release_urls": {"title": "Adressen"},
                    "search_terms": {"hidden": True},
                    "export_marks": {"hidden": True},
                    "alembic_version": {"hidden": True},
                },
            }
        },
    }
