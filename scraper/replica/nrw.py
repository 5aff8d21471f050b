"""Nordrhein-Westfalen: the central Drupal portal land.nrw for every ministry.

Listing ``/pressemitteilungen?page=N`` (Drupal pager from 0) with cards whose meta line
reads ``• Topic • Pressemitteilung • 21.11.2025``; releases at ``/pressemitteilung/<slug>``.
Release pages: meta line with ``time[datetime]``, ``h1.page-title``, lead, the issuing
ministry (per release), body ``.field--name-body``, ``Rückfragen bitte an: …`` contact,
optional attachments (``Download (PDF, …)``) and related cards with ``Mehr anzeigen``.
"""

from __future__ import annotations

from .pages import (
    Page,
    attr,
    body_paragraphs,
    esc,
    first_sentence,
    html_page,
    paginate,
    plain_text,
    robots_txt,
)
from .pdf import pdf_document
from .releases import SUBHEADING, Release, Site, entry, load_family, plain
from .shapes import page_notices

FAMILY = "nrw-drupal"
PER_PAGE = 4
LISTING = "/pressemitteilungen"
DISALLOW = ("/suche", "/user/")
KIND = "Pressemitteilung"


def sites() -> tuple[Site, ...]:
    return load_family("nrw")


def release_path(release: Release) -> str:
    return f"/pressemitteilung/{release.slug}"


def start_path(site: Site) -> str:
    return f"/{site.host}{LISTING}?page=0"


def entries(edited: bool = False) -> list[dict]:
    return [
        entry(
            site,
            release,
            url=f"https://{site.host}{release_path(release)}",
            paths=[f"/{site.host}{release_path(release)}"],
            kind=KIND,
            contact=release.extra["press_contact"],
            edited=edited,
        )
        for site in sites()
        for release in site.releases
    ]


def _attachment_path(release: Release) -> str:
    return f"/system/files/media/document/file/{release.slug[:30]}.pdf"


def _attachment(release: Release) -> Page:
    """The release's attachment as a real PDF (its title and the release text)."""
    paragraphs = [plain(p) for p in release.body if not p.startswith(SUBHEADING)]
    return Page(pdf_document(release.extra["attachment"], paragraphs), "application/pdf")


def _meta(release: Release) -> str:
    day = release.published
    return (
        f'• <span class="topic">{esc(release.extra["topic"])}</span> • {KIND} • '
        f'<time datetime="{day.isoformat()}T10:30:00Z">{day.strftime("%d.%m.%Y")}</time>'
    )


def _frame(site: Site, title: str, canonical: str, main: str) -> str:
    root = f"/{site.host}"
    return f"""<!DOCTYPE html>
<html lang="de" dir="ltr">
<head>
<meta charset="utf-8">
<title>{esc(title)} | Land.NRW</title>
<link rel="canonical" href="{attr(canonical)}">
</head>
<body class="path-node">
<a href="#main-content" class="visually-hidden focusable">Direkt zum Inhalt</a>
<header role="banner"><a href="{root}/" class="logo">Land.NRW</a>
<nav aria-label="Hauptnavigation"><ul><li><a href="{root}/themen">Themen</a></li>
<li><a href="{root}{LISTING}?page=0">Pressemitteilungen</a></li>
<li><a href="{root}/suche">Suche</a></li></ul></nav></header>
<main id="main-content" role="main">
{main}</main>
<footer><a href="{root}/impressum">Impressum</a> <a href="{root}/datenschutz">Datenschutz</a>
<p>Jetzt teilen: <a href="#">Facebook</a> <a href="#">X</a></p></footer>
</body>
</html>
"""


def release_page(site: Site, release: Release, edited: bool = False) -> str:
    lead = (
        f'<div class="field--name-field-lead"><p>{esc(release.subtitle)}</p></div>\n'
        if release.subtitle
        else ""
    )
    download = (
        '<div class="press-release__downloads"><h2>Anhänge zur Pressemitteilung</h2>'
        f'<p><a href="/{site.host}{_attachment_path(release)}">'
        f"{esc(release.extra['attachment'])}</a> Download (PDF, 620 KB, nicht barrierefrei)"
        "</p></div>\n"
        if "attachment" in release.extra
        else ""
    )
    ministry = release.extra.get("ministry", site.ministry)
    related = "".join(
        f'<div class="teaser"><h3><a href="/{site.host}{release_path(other)}">'
        f"{esc(other.title)}</a></h3><p>{esc(first_sentence(other.body))}</p>"
        f'<a href="/{site.host}{release_path(other)}">Mehr anzeigen</a></div>'
        for other in site.releases
        if other.slug != release.slug and other.extra["topic"] == release.extra["topic"]
    )
    main = f"""{page_notices(site, release)}<article class="node node--type-press-release">
<div class="press-release__meta">{_meta(release)}</div>
<h1 class="page-title"><span>{esc(release.title)}</span></h1>
{lead}<div class="press-release__ministry">{esc(ministry)}</div>
<div class="field--name-body">
{body_paragraphs(release, site.host, edited, heading="h2", glue_titles=False)}
</div>
<div class="press-release__contact"><p>{esc(release.extra["press_contact"])}</p></div>
{download}</article>
<section class="related"><h2>Das könnte Sie auch interessieren</h2>{related}</section>
"""
    return _frame(site, release.title, f"https://{site.host}{release_path(release)}", main)


def _pager(page: int, pages: int) -> str:
    nxt = (
        f'<li class="pager__item pager__item--next"><a href="?page={page + 1}" rel="next">'
        "Nächste Seite</a></li>"
        if page < pages - 1
        else ""
    )
    return f'<nav class="pager"><ul class="pager__items">{nxt}</ul></nav>\n'


def listing_pages(site: Site, edited: bool = False) -> list[str]:
    ordered = sorted(site.releases, key=lambda r: r.published, reverse=True)
    chunks = paginate(ordered, PER_PAGE)
    out = []
    for n, chunk in enumerate(chunks):
        cards = "".join(
            f'<div class="views-row"><article class="teaser teaser--press">'
            f'<div class="teaser__meta">{_meta(r)}</div><h3 class="teaser__title">'
            f'<a href="/{site.host}{release_path(r)}">{esc(r.title)}</a></h3>'
            f'<p class="teaser__text">{esc(r.subtitle or first_sentence(r.text(edited)))}</p>'
            "</article></div>\n"
            for r in chunk
        )
        main = f'<h1>Pressemitteilungen</h1>\n<div class="view-content">\n{cards}</div>\n'
        canonical = f"https://{site.host}{LISTING}?page={n}"
        out.append(_frame(site, "Pressemitteilungen", canonical, main + _pager(n, len(chunks))))
    return out


def text_version(site: Site, release: Release, edited: bool = False) -> str:
    day = release.published.strftime("%d.%m.%Y")
    ministry = release.extra.get("ministry", site.ministry)
    header = [ministry, f"{KIND}\n{day}", release.title, release.subtitle]
    return plain_text(header, release, edited, [release.extra["press_contact"]])


def routes(edited: bool = False, faults: bool = False) -> dict[str, Page]:
    table: dict[str, Page] = {}
    for site in sites():
        root = f"/{site.host}"
        table[f"{root}/robots.txt"] = robots_txt(DISALLOW)
        for n, html in enumerate(listing_pages(site, edited)):
            table[f"{root}{LISTING}?page={n}"] = html_page(html)
        for release in site.releases:
            table[root + release_path(release)] = html_page(release_page(site, release, edited))
            if "attachment" in release.extra:
                table[root + _attachment_path(release)] = _attachment(release)
    return table


def robots_rules() -> list[str]:
    return [f"/*{path}" for path in DISALLOW]
