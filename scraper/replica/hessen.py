"""The hessen.de Drupal platform: one theme, one host folder per ministry.

Listings ``/<host>/presse?page=N`` (pager from 0, ten cards a page, newest first) and
release pages in two layouts: ``current`` (ministry line, meta line, title, lead,
reading time, rich text, contact block) and ``2018`` (label ``Presseinformation``,
``Ort, DD.MM.YYYY`` line, title, subtitle, dateline, social footer in the rich text).

Release paths: ``/presse/<slug>`` (2025 on), ``/presse/pressearchiv/<slug>`` (2021-2024),
``/pressearchiv/pressemitteilung/<slug cut at 64>`` (up to 2020); ``path`` overrides.
Aliases: ``utm`` (listed with newsletter tracking parameters), ``slash`` (listed with a
trailing slash), ``archive`` (also served and listed, at the end of the listing, under
``/presse/pressearchiv/<slug>``). Fault pages (``faults`` mode, hessen-soziales page 0):
see ``FAULTS``.
"""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date

from .attachments import attachment_pages, downloads_block
from .pages import (
    Page,
    attr,
    body_paragraphs,
    esc,
    first_sentence,
    html_page,
    plain_text,
    reading_minutes,
)
from .releases import Release, Site, entry, load_family

FAMILY = "hessen-drupal"
DATA_FILES = (
    "hessen-soziales", "hessen-innen", "hessen-kultus", "hessen-finanzen", "hessen-weitere",
)  # fmt: skip
PER_PAGE = 10
UTM = "?utm_source=newsletter&utm_medium=email"
CHANNELS = ("Facebook", "Twitter", "Instagram", "Flickr")
FAULT_SITE = "hessen-soziales"
FAULTS = (  # path, card title, what is wrong
    ("/presse/hotline-zeiten-zum-jahreswechsel", "Hotline-Zeiten zum Jahreswechsel",
     "HTTP 500 Internal Server Error"),
    ("/presse/neue-broschuere-zum-ehrenamt", "Neue Broschüre zum Ehrenamt",
     "no date anywhere: neither on the card nor on the page"),
    ("/presse/foerderaufruf-quartiersarbeit", "Förderaufruf Quartiersarbeit",
     "truncated HTML followed by binary bytes"),
)  # fmt: skip
SEARCH_CARD_SITE = "hessen-innen"
ROBOTS_DISALLOW = ("/suche", "/user/", "/admin/")
WITHDRAWN_SITE = "hessen-innen"
# ``withdrawn`` mode: the site's two oldest releases are gone; the oldest answers 410 and
# is off the listing, the next answers 404 while its card stays listed (a dead link).
WITHDRAWN = {"innenminister-kallweit-stellt-polizeiliche-kriminalstatistik-2016-vor": 410,
             "feuerwehren-erhalten-82-neue-fahrzeuge": 404}  # fmt: skip


def sites() -> tuple[Site, ...]:
    return tuple(site for name in DATA_FILES for site in load_family(name))


def kind_of(release: Release) -> str:
    return release.kind or ("Presseinformation" if release.layout == "2018" else "Pressemitteilung")


def release_path(release: Release) -> str:
    """The release's own path on its host (without the host folder)."""
    scheme = release.path or (
        "current"
        if release.published.year >= 2025
        else "archive"
        if release.published.year >= 2021
        else "old-archive"
    )
    if scheme == "current":
        return f"/presse/{release.slug}"
    if scheme == "archive":
        return f"/presse/pressearchiv/{release.slug}"
    if scheme == "old-archive":
        return f"/pressearchiv/pressemitteilung/{release.slug[:64].rstrip('-')}"
    return scheme


def served_paths(release: Release) -> list[str]:
    """Every path (without host folder) the release's page is served at."""
    own = release_path(release)
    paths = [own]
    if "utm" in release.aliases:
        paths.append(own + UTM)
    if "slash" in release.aliases:
        paths.append(own + "/")
    if "archive" in release.aliases:
        paths.append(f"/presse/pressearchiv/{release.slug}")
    return paths


def contact_lines(site: Site) -> list[str]:
    c = site.contact
    return [
        f"{c['role']}: {c['name']}",
        site.ministry,
        f"Telefon: {c['phone']}",
        f"Fax: {c['fax']}",
        f"E-Mail: {c['email']}",
    ]


def has_contact(release: Release) -> bool:
    return release.layout != "2018" and release.contact


def entries(edited: bool = False) -> list[dict]:
    """Catalogue entries: real URL, served paths and expected fields of every release."""
    return [
        entry(
            site,
            release,
            url=f"https://{site.host}{release_path(release)}",
            paths=[f"/{site.host}{p}" for p in served_paths(release)],
            kind=kind_of(release),
            contact="\n".join(contact_lines(site)) if has_contact(release) else None,
            edited=edited,
        )
        for site in sites()
        for release in site.releases
    ]


def start_path(site: Site) -> str:
    return f"/{site.host}/presse?page=0"


# --- page chrome -------------------------------------------------------------------------


def _head(title: str, site: Site, canonical: str) -> str:
    return f"""<!DOCTYPE html>
<html lang="de" dir="ltr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>{esc(title)} | {esc(site.ministry)}</title>
<link rel="canonical" href="{attr(canonical)}">
<link rel="stylesheet" href="/{site.host}/themes/custom/hessen/css/style.css">
</head>
<body class="path-node page-node-type-press-release">
<a href="#main-content" class="visually-hidden focusable skip-link">Springe zum Inhalt</a>
<div class="cookie-banner" role="dialog" aria-live="polite">
<p>Diese Webseite verwendet Cookies, um Ihnen die bestmögliche Nutzung zu ermöglichen. \
Mit der Nutzung der Webseite stimmen Sie der Verwendung technisch notwendiger Cookies zu. \
<a href="/{site.host}/datenschutz">Mehr erfahren</a></p>
<button type="button" class="cookie-banner__close">Hinweis schliessen</button>
</div>
<div class="page-wrapper">
<header class="header" role="banner">
<a class="header__logo" href="/{site.host}/" title="Startseite">\
<img src="/{site.host}/themes/custom/hessen/logo.svg" alt="Hessen"></a>
<p class="header__site-name">{esc(site.ministry)}</p>
<nav class="main-nav" aria-label="Hauptnavigation"><ul>
<li><a href="/{site.host}/">Startseite</a></li>
<li><a href="/{site.host}/ministerium">Ministerium</a></li>
<li><a href="/{site.host}/themen">Themen</a></li>
<li><a href="/{site.host}/presse">Presse</a></li>
<li><a href="/{site.host}/service">Service</a></li>
<li><a href="/{site.host}/suche" class="main-nav__search">Suche</a></li>
</ul></nav>
<button type="button" class="main-nav__close">Schließen</button>
</header>
"""


def _foot(site: Site) -> str:
    channels = "".join(
        f'<li><a href="https://www.{name.lower()}.com/{site.abbreviation}">{name}</a></li>'
        for name in CHANNELS
    )
    return f"""<footer class="footer" role="contentinfo">
<div class="footer__social"><p>Folgen Sie uns</p><ul>{channels}</ul></div>
<ul class="footer__links">
<li><a href="/{site.host}/impressum">Impressum</a></li>
<li><a href="/{site.host}/datenschutz">Datenschutz</a></li>
<li><a href="/{site.host}/barrierefreiheit">Barrierefreiheit</a></li>
</ul>
<a href="#top" class="footer__top">Zurück zum Seitenanfang</a>
</footer>
</div>
<div class="overlay" hidden><button type="button" class="overlay__close">Schließen</button></div>
</body>
</html>
"""


def _image(site: Site, release: Release, style: str) -> str:
    month = release.published.strftime("%Y-%m")
    return (
        f"/{site.host}/sites/default/files/styles/{style}/public/{month}/"
        f"{release.slug[:40].rstrip('-')}.jpg"
    )


def _breadcrumb(site: Site, title: str) -> str:
    return f"""<nav class="breadcrumb" aria-label="Pfadnavigation"><ol>
<li><a href="/{site.host}/">Startseite</a></li>
<li><a href="/{site.host}/presse">Presse</a></li>
<li>{esc(title)}</li>
</ol></nav>
"""


# --- release pages -----------------------------------------------------------------------


def _body_html(site: Site, release: Release, edited: bool) -> str:
    return body_paragraphs(release, site.host, edited, close=not release.broken)


def _contact(site: Site) -> str:
    c = site.contact
    return f"""<div class="cp-contact">
<h2 class="cp-contact__title">Kontakt für Pressevertreter</h2>
<p><strong>{esc(c["role"])}:</strong> {esc(c["name"])}</p>
<p>{esc(site.ministry)}</p>
<p>Telefon: {esc(c["phone"])}</p>
<p>Fax: {esc(c["fax"])}</p>
<p>E-Mail: <a href="mailto:{attr(c["email"])}">{esc(c["email"])}</a></p>
</div>
"""


def _figure(site: Site, release: Release) -> str:
    caption = release.caption or release.title
    broken = "" if not release.broken else '<div class="cp-image__wrapper">'
    return f"""<div class="cp-image">{broken}<figure>
<img src="{_image(site, release, "press_large")}" alt="" width="1200" height="675">
<figcaption>{esc(caption)} <span class="image-credit">© {esc(site.abbreviation)}</span>\
</figcaption>
</figure></div>
"""


def _reading_time(release: Release, edited: bool) -> str:
    minutes = reading_minutes(release.words(edited))
    return (
        '<div class="reading-time"><span class="reading-time__label">Lesedauer:</span>'
        f'<span class="reading-time__value">{minutes} Minuten</span></div>\n'
    )


def _current_article(site: Site, release: Release, edited: bool) -> str:
    day = release.published
    number = (
        f' <span class="cp-press__number">Nr. {esc(release.number)}</span>'
        if release.number
        else ""
    )
    kicker = f'<p class="cp-press__kicker">{esc(release.kicker)}</p>\n' if release.kicker else ""
    lead = (
        f'<div class="cp-press__lead"><p>{esc(release.subtitle)}</p></div>\n'
        if release.subtitle
        else ""
    )
    contact = _contact(site) if has_contact(release) else ""
    stray = "</div>\n" if release.broken else ""
    return f"""{_figure(site, release)}<p class="cp-press__ministry">{esc(site.ministry)}</p>
<div class="cp-press__meta"><span class="cp-press__type">{esc(kind_of(release))}</span>{number}
<time class="cp-press__date" datetime="{day.isoformat()}T10:00:00+01:00">\
{day.strftime("%d.%m.%Y")}</time></div>
{kicker}<h1 class="cp-press__title">{esc(release.title)}</h1>
{lead}{_reading_time(release, edited)}<div class="cp-richtext">\
<div class="cp-richtext__field-richtext">
{_body_html(site, release, edited)}
</div></div>
{contact}{stray}"""


def _archive_2018_article(site: Site, release: Release, edited: bool) -> str:
    subtitle = (
        f'<p class="cp-press__subtitle"><strong>{esc(release.subtitle)}</strong></p>\n'
        if release.subtitle
        else ""
    )
    channels = "\n".join(
        f'<p><a href="https://www.{name.lower()}.com/{site.abbreviation}">{name}</a></p>'
        for name in CHANNELS
    )
    place = f"{release.place}, " if release.place else ""
    return f"""{_figure(site, release)}<p class="cp-press__ministry">{esc(site.ministry)}</p>
<div class="cp-press__header">
<p class="cp-press__label">{esc(kind_of(release))}</p>
<p class="cp-press__place-date">{esc(place)}{release.published.strftime("%d.%m.%Y")}</p>
<h1 class="cp-press__title">{esc(release.title)}</h1>
{subtitle}</div>
{_reading_time(release, edited)}<div class="cp-richtext"><div class="cp-richtext__field-richtext">
{_body_html(site, release, edited)}
<p>Sie finden unser Ministerium auf folgenden Kanälen:</p>
{channels}
</div></div>
"""


def release_page(site: Site, release: Release, edited: bool = False) -> str:
    """The full HTML page of one release."""
    canonical = f"https://{site.host}{release_path(release)}"
    article = (
        _archive_2018_article(site, release, edited)
        if release.layout == "2018"
        else _current_article(site, release, edited)
    )
    share = f"""<div class="social-share"><span>Seite teilen</span>
<a href="https://www.facebook.com/sharer/sharer.php?u={attr(canonical)}">Facebook</a>
<a href="mailto:?subject={attr(release.title)}">E-Mail</a>
<button type="button" class="social-share__print">Drucken</button></div>
"""
    return (
        _head(release.title, site, canonical)
        + _breadcrumb(site, release.title)
        + f'<main id="main-content" role="main">\n<article class="cp-press">\n{article}'
        + downloads_block(site.host, release)
        + f"</article>\n{share}</main>\n"
        + _foot(site)
    )


# --- listings ----------------------------------------------------------------------------


def _card(site: Site, href: str, title: str, teaser: str, day: date | None, image: str) -> str:
    shown = day.strftime("%d.%m.%Y") if day else ""
    return f"""<div class="row mb-4"><div class="col-12">
<div class="article">
<div class="article__image"><img data-src="{attr(image)}" src="data:image/gif;base64,\
R0lGODlhAQABAAAAACw=" alt="" class="lazyload"><span class="image-credit">© \
{esc(site.abbreviation)}</span></div>
<div class="article__meta"><span class="date">{shown}</span> \
<span class="publisher">{esc(site.abbreviation)}</span></div>
<h2 class="article__title"><a href="{attr(href)}">{esc(title)}</a></h2>
<p class="article__teaser">{esc(teaser)}</p>
</div></div></div>
"""


def _cards(site: Site, edited: bool, faults: bool) -> list[str]:
    cards = []
    if faults and site.id == FAULT_SITE:
        newest = max(r.published for r in site.releases)
        for n, (path, title, _) in enumerate(FAULTS):
            day = None if n == 1 else newest
            cards.append(_card(site, f"/{site.host}{path}", title, title, day, ""))
    if site.id == SEARCH_CARD_SITE:
        cards.append(
            _card(site, f"/{site.host}/suche?f%5B0%5D=thema%3Apolizei",
                  "Alle Meldungen zum Thema Polizei",
                  "Weitere Pressemitteilungen finden Sie über die Suche.",
                  max(r.published for r in site.releases), "")
        )  # fmt: skip
    ordered = sorted(site.releases, key=lambda r: r.published, reverse=True)
    for release in ordered:
        href = release_path(release)
        if "utm" in release.aliases:
            href += UTM
        elif "slash" in release.aliases:
            href += "/"
        teaser = release.teaser or first_sentence(release.text(edited))
        image = _image(site, release, "teaser")
        cards.append(
            _card(site, f"/{site.host}{href}", release.title, teaser, release.published, image)
        )
    for release in ordered:
        if "archive" in release.aliases:
            teaser = release.teaser or first_sentence(release.text(edited))
            cards.append(
                _card(site, f"/{site.host}/presse/pressearchiv/{release.slug}", release.title,
                      teaser, release.published, _image(site, release, "teaser"))
            )  # fmt: skip
    return cards


def _pager(page: int, pages: int) -> str:
    items = []
    if page > 0:
        items.append('<li class="pager__item pager__item--first"><a href="?page=0" '
                     'title="Zur ersten Seite">« Erste Seite</a></li>')  # fmt: skip
        items.append(f'<li class="pager__item pager__item--previous"><a href="?page={page - 1}" '
                     'rel="prev">‹ Vorherige Seite</a></li>')  # fmt: skip
    for n in range(pages):
        active = ' is-active" aria-current="page' if n == page else ""
        items.append(f'<li class="pager__item{active}"><a href="?page={n}">{n + 1}</a></li>')
    if page < pages - 1:
        items.append(f'<li class="pager__item pager__item--next"><a href="?page={page + 1}" '
                     'rel="next">Nächste Seite ›</a></li>')  # fmt: skip
        items.append(f'<li class="pager__item pager__item--last"><a href="?page={pages - 1}" '
                     'title="Zur letzten Seite">Letzte Seite »</a></li>')  # fmt: skip
    return (
        '<nav class="pager" role="navigation" aria-labelledby="pagination-heading">\n'
        '<h4 id="pagination-heading" class="visually-hidden">Seitennummerierung</h4>\n'
        '<ul class="pager__items js-pager__items">\n' + "\n".join(items) + "\n</ul></nav>\n"
    )


def listing_pages(site: Site, edited: bool = False, faults: bool = False) -> list[str]:
    """The listing ``/presse?page=N`` pages of one site, page 0 first."""
    cards = _cards(site, edited, faults)
    pages = math.ceil(len(cards) / PER_PAGE)
    out = []
    for page in range(pages):
        chunk = "".join(cards[page * PER_PAGE : (page + 1) * PER_PAGE])
        canonical = f"https://{site.host}/presse?page={page}"
        out.append(
            _head("Pressemitteilungen", site, canonical)
            + _breadcrumb(site, "Pressemitteilungen")
            + '<main id="main-content" role="main">\n<h1>Pressemitteilungen</h1>\n'
            + f'<div class="view-content">\n{chunk}</div>\n{_pager(page, pages)}</main>\n'
            + _foot(site)
        )
    return out


# --- special pages -----------------------------------------------------------------------


def _search_page(site: Site) -> str:
    return (
        _head("Suche", site, f"https://{site.host}/suche")
        + '<main id="main-content" role="main"><h1>Suche</h1>'
        + "<p>Bitte geben Sie einen Suchbegriff ein.</p></main>\n"
        + _foot(site)
    )


def _fault_pages(site: Site) -> dict[str, Page]:
    undated = Release(
        site=site.id,
        slug="neue-broschuere-zum-ehrenamt",
        published=date(2000, 1, 1),
        title="Neue Broschüre zum Ehrenamt",
        body=(
            "Das Ministerium hat eine neue Broschüre für Engagierte im Ehrenamt "
            "veröffentlicht. Sie erklärt Versicherungsschutz, Aufwandsentschädigung und "
            "Fortbildungsangebote in einfacher Sprache.",
        ),
        contact=False,
    )
    undated_html = release_page(site, undated)
    for start, end in (('<div class="cp-image">', "</figure></div>\n"),
                       ('<div class="cp-press__meta">', "</time></div>\n")):  # fmt: skip
        cut = undated_html.index(start)
        undated_html = undated_html[:cut] + undated_html[undated_html.index(end, cut) + len(end) :]
    truncated = release_page(site, site.releases[0]).encode("utf-8")[:1500]
    binary = truncated + bytes(range(256)) + b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 8
    paths = [path for path, _, _ in FAULTS]
    return {
        paths[0]: html_page("<h1>Internal Server Error</h1>", status=500),
        paths[1]: html_page(undated_html),
        paths[2]: Page(binary),
    }


def robots(site: Site) -> str:
    rules = "".join(f"Disallow: {path}\n" for path in ROBOTS_DISALLOW)
    return f"User-agent: *\n{rules}Allow: /presse\nAllow: /pressearchiv\n"


def text_version(site: Site, release: Release, edited: bool = False) -> str:
    """The release as plain text: letterhead, header lines, body, contact or social footer."""
    day = release.published.strftime("%d.%m.%Y")
    if release.layout == "2018":
        place = f"{release.place}, " if release.place else ""
        header = [site.ministry, kind_of(release), place + day, release.title, release.subtitle]
        footer = ["Sie finden unser Ministerium auf folgenden Kanälen:", *CHANNELS]
    else:
        label = kind_of(release) + (f" Nr. {release.number}" if release.number else "")
        header = [site.ministry, f"{label}\n{day}", release.kicker, release.title,
                  release.subtitle]  # fmt: skip
        footer = (
            ["Kontakt für Pressevertreter", *contact_lines(site)] if has_contact(release) else None
        )
    return plain_text(header, release, edited, footer)


def routes(edited: bool = False, faults: bool = False) -> dict[str, Page]:
    """Every path (with host folder) this family serves, mapped to its page."""
    table: dict[str, Page] = {}
    for site in sites():
        root = f"/{site.host}"
        table[f"{root}/robots.txt"] = Page(robots(site).encode(), "text/plain; charset=utf-8")
        table[f"{root}/suche"] = html_page(_search_page(site))
        for n, page in enumerate(listing_pages(site, edited, faults)):
            table[f"{root}/presse?page={n}"] = html_page(page)
        table[f"{root}/presse"] = table[f"{root}/presse?page=0"]
        if site.id == SEARCH_CARD_SITE:
            table[f"{root}/suche?f%5B0%5D=thema%3Apolizei"] = table[f"{root}/suche"]
        for release in site.releases:
            page = html_page(release_page(site, release, edited))
            for path in served_paths(release):
                table[root + path] = page
            table.update(attachment_pages(site.host, release))
        if faults and site.id == FAULT_SITE:
            table.update({root + path: page for path, page in _fault_pages(site).items()})
    return table


def robots_rules() -> list[str]:
    """Disallow lines for the replica root's robots.txt (paths under host folders)."""
    return [f"/*{path}" for path in ROBOTS_DISALLOW]


def withdrawn_routes(edited: bool = False, faults: bool = False) -> dict[str, Page]:
    """What ``withdrawn`` mode changes: the gone pages and the shortened listing."""
    site = next(site for site in sites() if site.id == WITHDRAWN_SITE)
    gone = [r for r in site.releases if r.slug in WITHDRAWN]
    listed = tuple(r for r in site.releases if WITHDRAWN.get(r.slug) != 410)
    root = f"/{site.host}"
    table = {
        f"{root}/presse?page={n}": html_page(page)
        for n, page in enumerate(listing_pages(replace(site, releases=listed), edited, faults))
    }
    table[f"{root}/presse"] = table[f"{root}/presse?page=0"]
    for release in gone:
        gone_page = "<!DOCTYPE html><title>Seite nicht gefunden</title>"
        page = html_page(gone_page, WITHDRAWN[release.slug])
        table.update({root + path: page for path in served_paths(release)})
    return table
