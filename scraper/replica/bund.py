"""bundesregierung.de (CoreMedia, ``bpa-`` classes): German and English press releases.

Releases live at ``<section>/<slug>-<7-digit id>``. The listing page is rendered by
JavaScript; what a crawler reads is the JSON search endpoint ``<search>?page=N``
(from 1) returning ``{"page", "pageCount", "resultCount", "html"}`` with teaser HTML.
Release pages: cookie banner that is itself a ``.bpa-richtext``, ``Pressemitteilung 305``
in ``li.bpa-collection-item``, ``.bpa-time time[datetime]`` with a weekday date
(English pages: ``MM/DD/YYYY`` text and no ``datetime``), ``6 Min. Lesedauer``,
title ``.bpa-teaser-title-text``, lead ``.bpa-short-text``, body ``.bpa-richtext``.
"""

from __future__ import annotations

import json

from .pages import (
    JSON,
    Page,
    attr,
    body_paragraphs,
    esc,
    first_sentence,
    german_date,
    html_page,
    paginate,
    plain_text,
    reading_minutes,
    robots_txt,
)
from .releases import Release, Site, entry, load_family
from .shapes import page_notices

FAMILY = "bund-coremedia"
PER_PAGE = 5
DISALLOW = ("/breg-de/suche", "/breg-en/search")
WORDS = {
    "de": {"kind": "Pressemitteilung", "minutes": "Min. Lesedauer", "home": "Startseite",
           "cookie": "Diese Website verwendet Cookies. Einige davon sind technisch notwendig, "
                     "andere helfen uns, das Angebot zu verbessern.",
           "accept": "Alle akzeptieren", "share": "Seite teilen", "print": "Drucken"},
    "en": {"kind": "Press release", "minutes": "min. reading time", "home": "Home",
           "cookie": "This website uses cookies. Some are technically necessary, others "
                     "help us to improve our service.",
           "accept": "Accept all", "share": "Share page", "print": "Print"},
}  # fmt: skip


def sites() -> tuple[Site, ...]:
    return load_family("bund")


def _lang(site: Site) -> str:
    return site.extra.get("lang", "de")


def release_path(site: Site, release: Release) -> str:
    return f"{site.extra['section']}/{release.slug}-{release.extra['id']}"


def kind_of(site: Site) -> str:
    return WORDS[_lang(site)]["kind"]


def start_path(site: Site) -> str:
    return f"/{site.host}{site.extra['search']}?page=1"


def entries(edited: bool = False) -> list[dict]:
    return [
        entry(
            site,
            release,
            url=f"https://{site.host}{release_path(site, release)}",
            paths=[f"/{site.host}{release_path(site, release)}"],
            kind=kind_of(site),
            contact="\n".join(site.contact["lines"]),
            edited=edited,
        )
        for site in sites()
        for release in site.releases
    ]


def _time(site: Site, release: Release, short: bool = False) -> str:
    day = release.published
    if _lang(site) == "en":
        return f"<time>{day.strftime('%m/%d/%Y')}</time>"
    shown = day.strftime("%d.%m.%Y") if short else german_date(day, weekday=True)
    return f'<time datetime="{day.isoformat()}T12:00:00+01:00">{shown}</time>'


def _frame(site: Site, title: str, canonical: str, main: str) -> str:
    lang, words, root = _lang(site), WORDS[_lang(site)], f"/{site.host}"
    section = site.extra["section"]
    home = section.split("/")[1]
    return f"""<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<title>{esc(title)} | Bundesregierung</title>
<link rel="canonical" href="{attr(canonical)}">
</head>
<body class="bpa-body">
<div class="bpa-cookie-banner" role="dialog"><div class="bpa-richtext">
<p>{words["cookie"]} <a href="{root}/{home}/datenschutz">Datenschutz</a></p></div>
<button class="bpa-button">{words["accept"]}</button></div>
<a class="bpa-skip-link" href="#main">Zum Inhalt springen</a>
<header class="bpa-header"><nav class="bpa-navigation"><ul>
<li><a href="{root}/{home}">{words["home"]}</a></li>
<li><a href="{root}{section}">{esc(kind_of(site))}</a></li>
<li><a href="{root}/{home}/{"search" if lang == "en" else "suche"}">Suche</a></li>
</ul></nav></header>
<main id="main" class="bpa-main">
{main}</main>
<footer class="bpa-footer"><ul><li><a href="{root}/impressum">Impressum</a></li>
<li><a href="{root}/datenschutz">Datenschutz</a></li>
<li><a href="{root}/barrierefreiheit">Barrierefreiheit</a></li></ul></footer>
</body>
</html>
"""


def release_page(site: Site, release: Release, edited: bool = False) -> str:
    words = WORDS[_lang(site)]
    number = (
        f'<li class="bpa-collection-item">{esc(kind_of(site))} {esc(release.number)}</li>\n'
        if release.number
        else f'<li class="bpa-collection-item">{esc(kind_of(site))}</li>\n'
    )
    lead = (
        f'<div class="bpa-short-text"><p>{esc(release.subtitle)}</p></div>\n'
        if release.subtitle
        else ""
    )
    contact = "".join(f"<p>{esc(line)}</p>" for line in site.contact["lines"])
    minutes = reading_minutes(release.words(edited))
    canonical = f"https://{site.host}{release_path(site, release)}"
    main = f"""{page_notices(site, release)}<article class="bpa-article">
<header class="bpa-article-header">
<ul class="bpa-collection">
{number}<li class="bpa-collection-item"><span class="bpa-time">{_time(site, release)}</span></li>
<li class="bpa-collection-item bpa-reading-time">{minutes} {words["minutes"]}</li>
</ul>
<h1 class="bpa-teaser-title"><span class="bpa-teaser-title-text">{esc(release.title)}</span></h1>
{lead}</header>
<div class="bpa-richtext">
{body_paragraphs(release, site.host, edited, heading="h2")}
</div>
<div class="bpa-press-contact">{contact}</div>
<div class="bpa-share"><span>{words["share"]}</span> <button>{words["print"]}</button></div>
</article>
"""
    return _frame(site, release.title, canonical, main)


def _teaser(site: Site, release: Release, edited: bool) -> str:
    href = f"/{site.host}{release_path(site, release)}"
    text = release.subtitle or first_sentence(release.text(edited))
    return (
        f'<li class="bpa-teaser"><a class="bpa-link" href="{attr(href)}">'
        f'<span class="bpa-time">{_time(site, release, short=True)}</span> '
        f'<span class="bpa-teaser-type">{esc(kind_of(site))}</span>'
        f'<h2 class="bpa-teaser-title"><span class="bpa-teaser-title-text">{esc(release.title)}'
        f'</span></h2><p class="bpa-teaser-text">{esc(text)}</p></a></li>'
    )


def search_pages(site: Site, edited: bool = False) -> list[bytes]:
    """The JSON search endpoint's pages (page 1 first)."""
    ordered = sorted(site.releases, key=lambda r: r.published, reverse=True)
    chunks = paginate(ordered, PER_PAGE)
    return [
        json.dumps(
            {
                "page": n,
                "pageCount": len(chunks),
                "resultCount": len(ordered),
                "html": '<ul class="bpa-teaser-list">'
                + "".join(_teaser(site, r, edited) for r in chunk)
                + "</ul>",
            },
            ensure_ascii=False,
        ).encode("utf-8")
        for n, chunk in enumerate(chunks, start=1)
    ]


def _listing_shell(site: Site) -> str:
    search = f"/{site.host}{site.extra['search']}?page=1"
    main = (
        f'<h1>{esc(kind_of(site))}</h1>\n<div class="bpa-search-result" '
        f'data-search-url="{attr(search)}"><noscript>Bitte aktivieren Sie JavaScript.'
        "</noscript></div>\n"
    )
    return _frame(site, kind_of(site), f"https://{site.host}{site.extra['section']}", main)


def text_version(site: Site, release: Release, edited: bool = False) -> str:
    label = f"{kind_of(site)} {release.number}" if release.number else kind_of(site)
    day = release.published
    shown = day.strftime("%m/%d/%Y") if _lang(site) == "en" else german_date(day, weekday=True)
    header = [site.ministry, f"{label}\n{shown}", release.title, release.subtitle]
    return plain_text(header, release, edited, list(site.contact["lines"]))


def routes(edited: bool = False, faults: bool = False) -> dict[str, Page]:
    table: dict[str, Page] = {}
    for site in sites():
        root = f"/{site.host}"
        table[f"{root}/robots.txt"] = robots_txt(DISALLOW)
        table[root + site.extra["section"]] = html_page(_listing_shell(site))
        for n, body in enumerate(search_pages(site, edited), start=1):
            table[f"{root}{site.extra['search']}?page={n}"] = Page(body, JSON)
        for release in site.releases:
            table[root + release_path(site, release)] = html_page(
                release_page(site, release, edited)
            )
    return table


def robots_rules() -> list[str]:
    return [f"/*{path}" for path in DISALLOW]
