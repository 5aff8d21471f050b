"""PDF attachments of a few replica releases, served as real PDFs (``application/pdf``).

A release with attachments shows a download block after its text, as the real sites do:
``Anhänge zur Pressemitteilung`` with ``Download (PDF, 3 KB)`` links.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from .pages import Page, attr, esc
from .pdf import pdf_document

PDF = "application/pdf"


@dataclass(frozen=True)
class Attachment:
    """One PDF linked from one release (``site``, ``slug``)."""

    site: str
    slug: str
    file: str
    title: str
    paragraphs: tuple[str, ...]

    @cached_property
    def body(self) -> bytes:
        return pdf_document(self.title, list(self.paragraphs))

    def path(self, release) -> str:
        """The PDF's path on its host (without the host folder)."""
        month = release.published.strftime("%Y-%m")
        return f"/sites/default/files/media/document/{month}/{self.file}"


ATTACHMENTS = (
    Attachment(
        "hessen-soziales", "sozialbudget-2026-rekordmittel-fuer-kitas-und-pflege",
        "sozialbudget-2026-uebersicht.pdf", "Sozialbudget 2026 – Übersicht der Mittel",
        ("Für Kinderbetreuung, Pflege und Teilhabe stellt das Land im Jahr 2026 mehr Mittel "
         "bereit als je zuvor. Die größten Posten sind die Betriebskostenzuschüsse für Kitas "
         "und die Förderung der Pflegeausbildung.",
         "Kinderbetreuung: 1.214 Millionen Euro. Pflege und Gesundheit: 486 Millionen Euro. "
         "Teilhabe und Inklusion: 311 Millionen Euro. Familienzentren: 42 Millionen Euro."),
    ),
    Attachment(
        "hessen-soziales", "sozialbudget-2026-rekordmittel-fuer-kitas-und-pflege",
        "faktenblatt-kita-foerderung.pdf", "Faktenblatt Kita-Förderung",
        ("Die Betriebskostenzuschüsse je betreutem Kind steigen zum 1. Januar. Träger müssen "
         "keinen neuen Antrag stellen; die Auszahlung erfolgt über die Kommunen.",),
    ),
    Attachment(
        "hessen-innen",
        "polizeiliche-kriminalstatistik-2025-weniger-einbrueche-mehr-betrug-im-netz",
        "pks-2025-kurzfassung.pdf", "Polizeiliche Kriminalstatistik 2025 – Kurzfassung",
        ("Die Zahl der Wohnungseinbrüche ist erneut gesunken, während Betrugsdelikte im "
         "Internet zugenommen haben. Die Aufklärungsquote liegt bei 64,1 Prozent.",),
    ),
    Attachment(
        "hessen-soziales",
        "gute-arbeit-in-der-pflege-landesregierung-startet-fachkraefteinitiative",
        "fachkraefteinitiative-pflege-eckpunkte.pdf", "Fachkräfteinitiative Pflege – Eckpunkte",
        ("Die Initiative verbindet bessere Arbeitsbedingungen, mehr Ausbildungsplätze und die "
         "schnellere Anerkennung ausländischer Abschlüsse in der Pflege.",),
    ),
)  # fmt: skip


def attachments_of(release) -> tuple[Attachment, ...]:
    """The attachments of one replica release."""
    return tuple(a for a in ATTACHMENTS if (a.site, a.slug) == (release.site, release.slug))


def downloads_block(host: str, release) -> str:
    """The ``Anhänge zur Pressemitteilung`` block (empty without attachments)."""
    items = "".join(
        f'<li><a href="/{host}{attr(a.path(release))}" type="{PDF}">{esc(a.title)} '
        f"<span>Download (PDF, {max(1, len(a.body) // 1024)} KB)</span></a></li>\n"
        for a in attachments_of(release)
    )
    if not items:
        return ""
    return (
        '<div class="cp-downloads"><h2 class="cp-downloads__title">'
        f"Anhänge zur Pressemitteilung</h2>\n<ul>\n{items}</ul></div>\n"
    )


def attachment_pages(host: str, release) -> dict[str, Page]:
    """The served PDFs of one release: path (with host folder) to page."""
    return {f"/{host}{a.path(release)}": Page(a.body, PDF) for a in attachments_of(release)}
