"""A federal ministry on the Government Site Builder (bmas.de style).

Releases at ``/DE/Service/Presse/Pressemitteilungen/<YYYY>/<slug>.html``; the listing is a
search form under ``/SiteGlobals/Forms/...`` whose results page on with a "next" link
(``?gtp=<id>_list%253D<N>``, GSB's doubly encoded pager). Release pages: content type line,
``h1``, ``time[datetime]``, lead ``.abstract``, body ``.body-text`` that ends with the
newsletter promo ``Immer sofort informiert!``; speeches start with
``Es gilt das gesprochene Wort.``; speaker labels (``Name:``) stand before statements.
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
from .releases import Release, Site, entry, load_family

FAMILY = "gsb"
PER_PAGE = 4
SEARCH = "/SiteGlobals/Forms/Suche/Pressemitteilungensuche_Formular.html"
PAGER = "?gtp=36774_list%253D{n}"
DISALLOW = ("/SiteGlobals/Forms/Suche/Expertensuche", "/DE/Service/Suche")
SPEECH = "Es gilt das gesprochene Wort."


def sites() -> tuple[Site, ...]:
    return load_family("gsb")


def release_path(release: Release) -> str:
    return f"/DE/Service/Presse/Pressemitteilungen/{release.published.year}/{release.slug}.html"


def kind_of(release: Release) -> str:
    return release.kind or ("Rede" if "speech" in release.flags else "Pressemitteilung")


def start_path(site: Site) -> str:
    return f"/{site.host}{SEARCH}"


def _listing_path(n: int) -> str:
    return SEARCH if n == 1 else SEARCH + PAGER.format(n=n)


def entries(edited: bool = False) -> list[dict]:
    return [
        entry(
            site,
            release,
            url=f"https://{site.host}{release_path(release)}",
            paths=[f"/{site.host}{release_path(release)}"],
            kind=kind_of(release),
            contact=None,
            edited=edited,
        )
        for site in sites()
        for release in site.releases
    ]


def _frame(site: Site, title: str, canonical: str, content: str) -> str:
    root = f"/{site.host}"
    return f"""<!DOCTYPE html>
<html lang="de">
<head>
<meta charset="UTF-8">
<title>{esc(title)} - {esc(site.ministry)}</title>
<link rel="canonical" href="{attr(canonical)}">
</head>
<body class="gsbbund">
<div id="wrapperBranding">
<p class="navSkip"><a href="#content">Direkt zum Inhalt</a></p>
<h2 class="aural">Navigation und Service</h2>
<ul class="navServiceMeta"><li><a href="{root}/DE/Service/Gebaerdensprache/gebaerdensprache.html">\
Gebärdensprache</a></li><li><a href="{root}/DE/Service/Leichte-Sprache/leichte-sprache.html">\
Leichte Sprache</a></li><li><a href="{root}/DE/Service/Suche/suche.html">Suche</a></li></ul>
<p class="logo"><a href="{root}/DE/Startseite/start.html">{esc(site.ministry)}</a></p>
</div>
<nav class="navMain"><ul><li><a href="{root}/DE/Arbeit/arbeit.html">Arbeit</a></li>
<li><a href="{root}/DE/Soziales/soziales.html">Soziales</a></li>
<li><a href="{root}{SEARCH}">Presse</a></li></ul></nav>
<div id="content" class="content">
{content}</div>
<footer id="footer"><ul><li><a href="{root}/DE/Service/Impressum/impressum.html">Impressum</a></li>
<li><a href="{root}/DE/Service/Datenschutz/datenschutz.html">Datenschutz</a></li></ul>
<a href="#wrapperBranding" class="toTop">Zurück zum Seitenanfang</a></footer>
</body>
</html>
"""


def release_page(site: Site, release: Release, edited: bool = False) -> str:
    day = release.published
    lead = (
        f'<div class="abstract"><p>{esc(release.subtitle)}</p></div>\n' if release.subtitle else ""
    )
    speech = f"<p><em>{SPEECH}</em></p>\n" if "speech" in release.flags else ""
    content = f"""<div class="c-breadcrumb"><span>Sie sind hier:</span> <ol>
<li><a href="/{site.host}/DE/Startseite/start.html">Startseite</a></li>
<li><a href="/{site.host}{SEARCH}">Pressemitteilungen</a></li><li>{day.year}</li></ol></div>
<article class="article">
<p class="c-content-type">{esc(kind_of(release))}</p>
<h1 class="isFirstInSlot">{esc(release.title)}</h1>
<p class="c-date"><time datetime="{day.isoformat()}">{day.strftime("%d.%m.%Y")}</time></p>
{lead}<div class="body-text s-richtext">
{speech}{body_paragraphs(release, site.host, edited, heading="h2", glue_titles=False)}
<div class="c-newsletter-teaser"><h2>Immer sofort informiert!</h2>
<p>Abonnieren Sie unseren Newsletter und erhalten Sie die wichtigsten Nachrichten \
des Ministeriums direkt in Ihr Postfach.</p>
<p><a href="/{site.host}/DE/Service/Newsletter/newsletter.html">Jetzt abonnieren</a></p></div>
</div>
<div class="c-share"><span>Seite teilen</span> <a href="#">Drucken</a></div>
</article>
"""
    canonical = f"https://{site.host}{release_path(release)}"
    return _frame(site, release.title, canonical, content)


def listing_pages(site: Site, edited: bool = False) -> list[str]:
    ordered = sorted(site.releases, key=lambda r: r.published, reverse=True)
    chunks = paginate(ordered, PER_PAGE)
    out = []
    for n, chunk in enumerate(chunks, start=1):
        items = "".join(
            f'<li class="result-item"><p class="c-date"><time datetime="{r.published}">'
            f'{r.published.strftime("%d.%m.%Y")}</time> <span class="type">{kind_of(r)}</span>'
            f'</p><h3><a href="/{site.host}{release_path(r)}">{esc(r.title)}</a></h3>'
            f"<p>{esc(r.subtitle or first_sentence(r.text(edited)))}</p></li>\n"
            for r in chunk
        )
        forward = (
            f'<a class="forward" href="/{site.host}{_listing_path(n + 1)}" rel="next">weiter</a>'
            if n < len(chunks)
            else ""
        )
        content = f"""<h1>Pressemitteilungen</h1>
<form class="search-form" action="/{site.host}{SEARCH}" method="get">
<label for="f-query">Suchbegriff</label><input id="f-query" name="templateQueryString">
<button type="submit">Suchen</button></form>
<div class="c-search-result"><p class="count">{len(ordered)} Ergebnisse</p>
<ul class="result-list">
{items}</ul>
<div class="c-pagination">Seite {n} von {len(chunks)} {forward}</div></div>
"""
        out.append(_frame(site, "Pressemitteilungen", f"https://{site.host}{SEARCH}", content))
    return out


def text_version(site: Site, release: Release, edited: bool = False) -> str:
    day = release.published.strftime("%d.%m.%Y")
    speech = SPEECH if "speech" in release.flags else None
    header = [site.ministry, f"{kind_of(release)}\n{day}", release.title, release.subtitle, speech]
    return plain_text(header, release, edited)


def routes(edited: bool = False, faults: bool = False) -> dict[str, Page]:
    table: dict[str, Page] = {}
    for site in sites():
        root = f"/{site.host}"
        table[f"{root}/robots.txt"] = robots_txt(DISALLOW)
        for n, html in enumerate(listing_pages(site, edited), start=1):
            table[root + _listing_path(n)] = html_page(html)
        for release in site.releases:
            table[root + release_path(release)] = html_page(release_page(site, release, edited))
    return table


def robots_rules() -> list[str]:
    return [f"/*{path}" for path in DISALLOW]
