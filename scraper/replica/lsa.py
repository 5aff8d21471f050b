"""Sachsen-Anhalt (TYPO3 portals): ``Magdeburg, den …`` lines and ``Impressum:`` contacts.

Releases at ``/presse/pressemitteilungen/<YYYY>/<slug>.html`` (before 2010:
``/presse/archiv/<YYYY>/<slug>.htm``); listing ``/presse/pressemitteilungen/`` paged by
TYPO3's ``tx_news`` widget parameter (``li.next a``). Header lines: label, number
(``Nr.: 584/02``, ``K 31/2013``, ``158/2025``; ``number_in_title`` shows ``(133/2018)``
glued to the title), ``Magdeburg, den 18. September 2002`` (``date_style = "numeric"``:
``09.06.2013``; ``month`` overrides the month name, e.g. ``Jänner``). Layout ``glued``
runs issuer, label, number and date line into the first body paragraph. The contact
``Impressum: … Verantwortlich: … Tel: … Fax: … Mail: …`` loses all spaces when
``contact_glued`` is set.
"""

from __future__ import annotations

from .pages import (
    Page,
    attr,
    body_paragraphs,
    esc,
    german_date,
    html_page,
    paginate,
    plain_text,
    robots_txt,
)
from .releases import Release, Site, entry, load_family

FAMILY = "sachsen-anhalt"
PER_PAGE = 3
SECTION = "/presse/pressemitteilungen/"
PAGER = "?tx_news_pi1%5B%40widget_0%5D%5BcurrentPage%5D={n}"
DISALLOW = ("/suche", "/typo3/")
KIND = "Pressemitteilung"
LABELS = ("Impressum", "Verantwortlich", "Tel", "Fax", "Mail")


def sites() -> tuple[Site, ...]:
    return load_family("sachsen-anhalt")


def release_path(release: Release) -> str:
    year = release.published.year
    if year < 2010:
        return f"/presse/archiv/{year}/{release.slug}.htm"
    return f"{SECTION}{year}/{release.slug}.html"


def start_path(site: Site) -> str:
    return f"/{site.host}{SECTION}"


def _listing_path(n: int) -> str:
    return SECTION if n == 1 else SECTION + PAGER.format(n=n)


def contact_lines(site: Site, release: Release) -> list[str]:
    values = [site.contact[label.lower()] for label in LABELS]
    if release.extra.get("contact_glued"):
        values = ["".join(value.split()) for value in values]
    return [f"{label}: {value}" for label, value in zip(LABELS, values, strict=True)]


def entries(edited: bool = False) -> list[dict]:
    return [
        entry(
            site,
            release,
            url=f"https://{site.host}{release_path(release)}",
            paths=[f"/{site.host}{release_path(release)}"],
            kind=KIND,
            contact="\n".join(contact_lines(site, release)),
            edited=edited,
        )
        for site in sites()
        for release in site.releases
    ]


def date_line(release: Release) -> str:
    day = release.published
    if release.extra.get("date_style") == "numeric":
        shown = day.strftime("%d.%m.%Y")
    else:
        shown = german_date(day, month=release.extra.get("month"))
    return f"{release.place}, den {shown}"


def _contact(site: Site, release: Release) -> str:
    lines = contact_lines(site, release)
    if release.extra.get("contact_glued"):
        return f'<p class="impressum">{esc("".join(line.replace(": ", ":") for line in lines))}</p>'
    return '<p class="impressum">' + "<br>\n".join(esc(line) for line in lines) + "</p>"


def release_page(site: Site, release: Release, edited: bool = False) -> str:
    number_text = release.extra.get("number_text", release.number)
    title = release.title
    if release.extra.get("number_in_title"):
        title = f"{title} ({release.number})"
    body = body_paragraphs(release, site.host, edited, heading="h3", glue_titles=False)
    if release.layout == "glued":
        lead = f"{site.extra['short']} - {KIND} {number_text} {date_line(release)} "
        header = f"<h1>{esc(title)}</h1>\n"
        body = body.replace("<p>", f"<p>{esc(lead)}", 1)
    else:
        number = (
            f'<p class="pm-nr">{esc(number_text)}</p>\n'
            if number_text and not release.extra.get("number_in_title")
            else ""
        )
        header = (
            f'<p class="pm-label">{KIND}</p>\n{number}'
            f'<p class="pm-date">{esc(date_line(release))}</p>\n<h1>{esc(title)}</h1>\n'
        )
    root = f"/{site.host}"
    return f"""<!DOCTYPE html>
<html lang="de">
<head>
<meta charset="utf-8">
<title>{esc(title)}: {esc(site.ministry)}</title>
<link rel="canonical" href="https://{site.host}{attr(release_path(release))}">
</head>
<body>
<div id="header"><a href="{root}/">Landesportal Sachsen-Anhalt</a>
<p class="ministry">{esc(site.ministry)}</p>
<ul class="meta"><li><a href="{root}/suche/">Suche</a></li><li>Druckversion</li></ul></div>
<div id="content">
<div class="news-single">
{header}{body}
{_contact(site, release)}
</div>
<p class="back"><a href="{root}{SECTION}">Zurück zur Übersicht</a></p>
</div>
<div id="footer"><a href="{root}/impressum/">Impressum</a></div>
</body>
</html>
"""


def listing_pages(site: Site) -> list[str]:
    ordered = sorted(site.releases, key=lambda r: r.published, reverse=True)
    chunks = paginate(ordered, PER_PAGE)
    out = []
    for n, chunk in enumerate(chunks, start=1):
        items = "".join(
            f'<div class="news-list-item"><span class="news-list-date">'
            f'{r.published.strftime("%d.%m.%Y")}</span><h3><a href="/{site.host}'
            f'{release_path(r)}">{esc(r.title)}</a></h3></div>\n'
            for r in chunk
        )
        forward = (
            f'<li class="next"><a href="/{site.host}{_listing_path(n + 1)}">nächste</a></li>'
            if n < len(chunks)
            else ""
        )
        out.append(
            f"""<!DOCTYPE html>
<html lang="de"><head><meta charset="utf-8"><title>Pressemitteilungen: {esc(site.ministry)}</title>
</head><body><div id="content"><h1>Pressemitteilungen</h1>
<div class="news-list">
{items}</div>
<ul class="f3-widget-paginator">{forward}</ul></div></body></html>
"""
        )
    return out


def text_version(site: Site, release: Release, edited: bool = False) -> str:
    number = release.extra.get("number_text", release.number)
    title = release.title
    if release.extra.get("number_in_title"):
        title, number = f"{title} ({release.number})", None
    contact = contact_lines(site, release)
    if release.extra.get("contact_glued"):
        contact = ["".join(line.replace(": ", ":") for line in contact)]
    if release.layout == "glued":
        lead = f"{site.extra['short']} - {KIND} {number} {date_line(release)} "
        return plain_text([site.ministry, title], release, edited, contact, lead=lead)
    header = [site.ministry, KIND, number, date_line(release), title]
    return plain_text(header, release, edited, contact)


def routes(edited: bool = False, faults: bool = False) -> dict[str, Page]:
    table: dict[str, Page] = {}
    for site in sites():
        root = f"/{site.host}"
        table[f"{root}/robots.txt"] = robots_txt(DISALLOW)
        for n, html in enumerate(listing_pages(site), start=1):
            table[root + _listing_path(n)] = html_page(html)
        for release in site.releases:
            table[root + release_path(release)] = html_page(release_page(site, release, edited))
    return table


def robots_rules() -> list[str]:
    return [f"/*{path}" for path in DISALLOW]
