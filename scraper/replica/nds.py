"""Niedersachsen: one portal per Ressort (``<ressort>.niedersachsen.de``).

Releases at ``/startseite/aktuelles/presseinformationen/<slug>-<id>.html``; listing
``/startseite/aktuelles/presseinformationen/?page=N`` (from 1, "Weiter" link). Release
pages: house-style line ``PresseInformation <der|des Behörde> vom DD.MM.YYYY``, title,
bullet subtitles ``- …``, body, contact, and a metadata box ``Artikel-Informationen``
with ``erstellt am:`` and the date on the next line (plus a later ``zuletzt aktualisiert
am:``). A release with ``charset = "latin-1-lie"`` is sent as UTF-8 bytes while header and
meta declare ISO-8859-1 (mojibake when the declaration is trusted).
"""

from __future__ import annotations

from datetime import timedelta

from .pages import (
    HTML,
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
from .releases import Release, Site, entry, load_family

FAMILY = "niedersachsen"
PER_PAGE = 3
SECTION = "/startseite/aktuelles/presseinformationen"
DISALLOW = ("/suche", "/live/")
KIND = "PresseInformation"
LATIN1 = "text/html; charset=iso-8859-1"


def sites() -> tuple[Site, ...]:
    return load_family("niedersachsen")


def release_path(release: Release) -> str:
    return f"{SECTION}/{release.slug}-{release.extra['id']}.html"


def start_path(site: Site) -> str:
    return f"/{site.host}{SECTION}/?page=1"


def entries(edited: bool = False) -> list[dict]:
    return [
        entry(
            site,
            release,
            url=f"https://{site.host}{release_path(release)}",
            paths=[f"/{site.host}{release_path(release)}"],
            kind=KIND,
            contact="\n".join(site.contact["lines"]),
            edited=edited,
        )
        for site in sites()
        for release in site.releases
    ]


def _frame(site: Site, title: str, canonical: str, content: str, charset: str = "utf-8") -> str:
    root = f"/{site.host}"
    return f"""<!DOCTYPE html>
<html lang="de">
<head>
<meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>{esc(title)} | {esc(site.ministry)}</title>
<link rel="canonical" href="{attr(canonical)}">
</head>
<body>
<a href="#inhalt" class="skiplink">Zum Inhalt springen</a>
<div id="header"><p class="logo"><a href="{root}/startseite/">Niedersachsen. Klar.</a></p>
<ul class="servicenav"><li>A A A</li><li><a href="{root}/suche/">Suche</a></li>
<li><a href="{root}/startseite/service/kontakt/">Kontakt</a></li></ul>
<p class="ressort">{esc(site.ministry)}</p></div>
{content}<div id="footer"><a href="{root}/startseite/impressum/">Impressum</a>
<a href="{root}/startseite/datenschutz/">Datenschutz</a>
<a href="#header">Zurück zum Seitenanfang</a></div>
</body>
</html>
"""


def release_page(site: Site, release: Release, edited: bool = False, charset: str = "utf-8") -> str:
    day = release.published
    updated = day + timedelta(days=release.extra.get("updated_after", 1))
    bullets = (
        '<div class="subtitle">'
        + "".join(f"<p>{esc(line)}</p>" for line in release.subtitle.split("\n"))
        + "</div>\n"
        if release.subtitle
        else ""
    )
    contact = "".join(f"<p>{esc(line)}</p>" for line in site.contact["lines"])
    content = f"""<div id="breadcrumb">Sie sind hier:
<a href="/{site.host}/startseite/">Startseite</a> »
<a href="/{site.host}{SECTION}/?page=1">Presseinformationen</a> » {esc(release.title)}</div>
<div id="inhalt" class="content">
<div class="article">
<p class="pi-header">{KIND} {esc(site.extra["issuer"])} vom {day.strftime("%d.%m.%Y")}</p>
<h1>{esc(release.title)}</h1>
{bullets}<div class="text">
{body_paragraphs(release, site.host, edited, heading="h2", glue_titles=False)}
</div>
<div class="contact"><h2>Pressekontakt</h2>{contact}</div>
</div>
<div class="sidebar"><div class="article-info"><h3>Artikel-Informationen</h3>
<dl><dt>erstellt am:</dt><dd>{day.strftime("%d.%m.%Y")}</dd>
<dt>zuletzt aktualisiert am:</dt><dd>{updated.strftime("%d.%m.%Y")}</dd></dl></div></div>
</div>
"""
    canonical = f"https://{site.host}{release_path(release)}"
    return _frame(site, release.title, canonical, content, charset)


def listing_pages(site: Site, edited: bool = False) -> list[str]:
    ordered = sorted(site.releases, key=lambda r: r.published, reverse=True)
    chunks = paginate(ordered, PER_PAGE)
    out = []
    for n, chunk in enumerate(chunks, start=1):
        items = "".join(
            f'<div class="article-teaser"><p class="date">{r.published.strftime("%d.%m.%Y")}</p>'
            f'<h3><a href="/{site.host}{release_path(r)}">{esc(r.title)}</a></h3>'
            f"<p>{esc(first_sentence(r.text(edited)))}</p></div>\n"
            for r in chunk
        )
        forward = f'<a class="next" href="?page={n + 1}">Weiter</a>' if n < len(chunks) else ""
        content = (
            f'<div id="inhalt" class="content"><h1>Presseinformationen</h1>\n'
            f'<div class="article-list">\n{items}</div>\n<div class="pagination">{forward}</div>'
            "</div>\n"
        )
        out.append(_frame(site, "Presseinformationen", f"https://{site.host}{SECTION}/", content))
    return out


def _page(site: Site, release: Release, edited: bool) -> Page:
    if release.extra.get("charset") == "latin-1-lie":
        html = release_page(site, release, edited, charset="iso-8859-1")
        return Page(html.encode("utf-8"), LATIN1)
    return Page(release_page(site, release, edited).encode("utf-8"), HTML)


def text_version(site: Site, release: Release, edited: bool = False) -> str:
    day = release.published.strftime("%d.%m.%Y")
    header = [site.ministry, f"{KIND} {site.extra['issuer']} vom {day}", release.title,
              release.subtitle]  # fmt: skip
    return plain_text(header, release, edited, list(site.contact["lines"]))


def routes(edited: bool = False, faults: bool = False) -> dict[str, Page]:
    table: dict[str, Page] = {}
    for site in sites():
        root = f"/{site.host}"
        table[f"{root}/robots.txt"] = robots_txt(DISALLOW)
        for n, html in enumerate(listing_pages(site, edited), start=1):
            table[f"{root}{SECTION}/?page={n}"] = html_page(html)
        for release in site.releases:
            table[root + release_path(release)] = _page(site, release, edited)
    return table


def robots_rules() -> list[str]:
    return [f"/*{path}" for path in DISALLOW]
