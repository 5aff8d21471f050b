"""Save replica pages as files, for fixtures and offline inspection.

``python -m scraper.replica.save DIR`` writes every distinct page as a mirror tree
(``DIR/<host>/<path>.html``, a query as ``@page=0``) and, beside each release page,
a ``.json`` with its expected fields. ``--release SITE:SLUG`` (repeatable) and
``--listing SITE`` write only those pages, flat, named after the slug or the site.
``--fixtures`` writes the test fixtures: ``DIR/hessen/`` (``FIXTURES``, and listing
page 0 of hessen-soziales) and the gold set ``DIR/gold/<family>/<slug>.html`` + ``.json``
for every release of the non-Hessian families and ``GOLD_HESSEN``, plus ``.txt``
plain-text versions (same expected fields) for ``GOLD_TEXTS``::

    python -m scraper.replica.save tests/files --fixtures
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from .site import catalogue, routes, start_path, text_version

GOLD_FOLDERS = {
    "hessen-drupal": "hessen", "bund-coremedia": "bund", "gsb": "gsb",
    "niedersachsen": "niedersachsen", "sachsen-anhalt": "sachsen-anhalt", "nrw-drupal": "nrw",
}  # fmt: skip
FIXTURES = [
    "hessen-soziales:integrationskonferenz-in-wetzlar",
    "hessen-soziales:sozialminister-reuter-eroeffnet-neue-pflegestuetzpunkte-in-nordhessen-und-kassel",
    "hessen-soziales:kinderschutz-neue-fachstelle-in-darmstadt-nimmt-arbeit-auf",
    "hessen-soziales:inklusion-am-arbeitsplatz-preis-fuer-vorbildliche-unternehmen",
    "hessen-soziales:sozialbudget-2026-rekordmittel-fuer-kitas-und-pflege",
    "hessen-soziales:soforthilfe-fuer-soziale-einrichtungen-in-der-corona-krise",
    "hessen-innen:polizeiliche-kriminalstatistik-2025-weniger-einbrueche-mehr-betrug-im-netz",
    "hessen-kultus:digitalpakt-schule-erste-mittel-an-schultraeger-ausgezahlt",
    "hessen-finanzen:neuer-finanzminister-wendt-legt-amtseid-ab",
]
GOLD_HESSEN = {
    "hessen-soziales:landesehrenamtspreis-fuer-initiativen-aus-giessen-und-limburg",
    "hessen-soziales:gute-arbeit-in-der-pflege-landesregierung-startet-fachkraefteinitiative",
    "hessen-soziales:welt-aids-tag-beratung-und-testangebote-ausgebaut",
    "hessen-soziales:equal-pay-day-ministerin-fordert-transparenz-bei-loehnen",
    "hessen-innen:feuerwehren-erhalten-82-neue-fahrzeuge",
    "hessen-innen:verfassungsschutzbericht-2022-vorgestellt",
    "hessen-kultus:ganztag-land-foerdert-200-neue-ganztagsschulen",
    "hessen-kultus:abitur-2026-durchschnittsnote-stabil",
    "hessen-finanzen:hessenkasse-land-uebernimmt-kassenkredite-der-kommunen",
    "hessen-finanzen:corona-steuerliche-hilfen-fuer-unternehmen",
    "hessen-justiz:digitale-gerichtsakte-alle-landgerichte-umgestellt",
    "hessen-staatskanzlei:kabinett-beschliesst-entlastungspaket-fuer-kommunen",
}
GOLD_TEXTS = {
    "hessen-soziales:landesehrenamtspreis-fuer-initiativen-aus-giessen-und-limburg",
    "hessen-finanzen:corona-steuerliche-hilfen-fuer-unternehmen",
    "bund-breg:kabinett-beschliesst-strategie-gegen-lebensmittelverschwendung",
    "bund-breg:regierungssprecher-zum-telefonat-mit-dem-franzoesischen-staatspraesidenten",
    "bund-bmas:mindestlohn-steigt-zum-1-januar",
    "bund-bmas:rede-baumann-arbeitsmarktkonferenz",
    "nds-stk:landesregierung-beschliesst-wasserstoffstrategie",
    "nds-mi:innenministerin-stellt-lagebild-clankriminalitaet-vor",
    "lsa-stk:landesregierung-beschliesst-hilfsprogramm-fuer-flutgeschaedigte-unternehmen",
    "lsa-stk:neujahrsempfang-der-landesregierung",
    "lsa-mb:hochwasser-schulen-in-betroffenen-gebieten-bleiben-geschlossen",
    "lsa-stk:landesregierung-foerdert-kulturelle-bildung-im-laendlichen-raum",
    "nrw-land:mehr-schulsozialarbeit-an-grundschulen",
    # texts in the shapes real copies have (see ``shapes``)
    "hessen-innen:feuerwehren-erhalten-82-neue-fahrzeuge",
    "hessen-innen:verfassungsschutzbericht-2022-vorgestellt",
    "lsa-mb:lehrereinstellung-zum-schuljahr-2013-14",
    "bund-bmas:buergergeld-neue-regeln-fuer-mitwirkungspflichten",
    "bund-breg:soforthilfe-fuer-die-hochwassergebiete-beschlossen",
    "nrw-land:sicherheit-im-bahnhofsumfeld-gemeinsame-streifen",
}


def file_name(path: str) -> str:
    """A relative file name for a served path (``/h/presse?page=1`` -> ``h/presse@page=1.html``)."""
    path, _, query = path.lstrip("/").partition("?")
    if path.endswith("/"):
        path += "index"
    if path.endswith(".txt"):
        return path
    return path + (f"@{query}" if query else "") + ".html"


def expectation(entry: dict) -> dict:
    """What a fixture's ``.json`` holds: where the page is from and its expected fields."""
    from .releases import FIELDS

    return {
        "site": entry["site"],
        "url": entry["url"],
        "flags": entry["flags"],
        "fields": {key: entry[key] for key in FIELDS},
    }


def write(target: Path, body: bytes | str) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(body, str):
        target.write_text(body, encoding="utf-8")
    else:
        target.write_bytes(body)


def save_tree(directory: Path, edited: bool = False, faults: bool = False) -> int:
    """Write every distinct page once, and a ``.json`` beside each release; returns pages."""
    table = routes(edited, faults)
    seen: set[int] = set()
    for path, page in table.items():
        if id(page) not in seen:
            seen.add(id(page))
            write(directory / file_name(path), page.body)
    for entry in catalogue(edited):
        stem = file_name(entry["paths"][0]).removesuffix(".html")
        write(directory / f"{stem}.json", _dump(expectation(entry)))
    return len(seen)


def save_picks(directory: Path, releases: list[str], listings: list[str], edited: bool = False,
               faults: bool = False) -> list[Path]:  # fmt: skip
    """Write the chosen releases (``site:slug``) and listing pages 0 flat into ``directory``."""
    table = routes(edited, faults)
    by_key = {f"{e['site']}:{e['slug']}": e for e in catalogue(edited)}
    written = []
    for key in releases:
        entry = by_key[key]
        html_file = directory / f"{entry['slug']}.html"
        write(html_file, table[entry["paths"][0]].body)
        write(html_file.with_suffix(".json"), _dump(expectation(entry)))
        written.append(html_file)
    for site_id in listings:
        path = start_path(site_id)
        listing = directory / f"{site_id}-listing-page-0{Path(file_name(path)).suffix}"
        write(listing, table[path].body)
        written.append(listing)
    return written


def save_gold(directory: Path) -> list[Path]:
    """Write the gold set (pages, expected fields, plain-text versions) into ``directory``."""
    table = routes()
    written = []
    for entry in catalogue():
        key = f"{entry['site']}:{entry['slug']}"
        if entry["family"] == "hessen-drupal" and key not in GOLD_HESSEN:
            continue
        stem = directory / GOLD_FOLDERS[entry["family"]] / entry["slug"]
        write(stem.with_suffix(".html"), table[entry["paths"][0]].body)
        write(stem.with_suffix(".json"), _dump(expectation(entry)))
        written.append(stem.with_suffix(".html"))
        if key in GOLD_TEXTS:
            write(stem.with_suffix(".txt"), text_version(entry["site"], entry["slug"]))
            written.append(stem.with_suffix(".txt"))
    return written


def _dump(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m scraper.replica.save", description=__doc__)
    parser.add_argument("directory", type=Path)
    parser.add_argument("--release", action="append", default=[], metavar="SITE:SLUG")
    parser.add_argument("--listing", action="append", default=[], metavar="SITE")
    parser.add_argument("--fixtures", action="store_true", help="write hessen/ and gold/")
    parser.add_argument("--edited", action="store_true")
    parser.add_argument("--faults", action="store_true")
    args = parser.parse_args(argv)
    if args.fixtures:
        written = save_picks(args.directory / "hessen", FIXTURES, ["hessen-soziales"])
        written += save_gold(args.directory / "gold")
        print(f"{len(written)} fixture files written to {args.directory}")
    elif args.release or args.listing:
        written = save_picks(args.directory, args.release, args.listing, args.edited, args.faults)
        print(f"{len(written)} pages written to {args.directory}")
    else:
        count = save_tree(args.directory, args.edited, args.faults)
        print(f"{count} pages written to {args.directory}")


if __name__ == "__main__":
    main()
