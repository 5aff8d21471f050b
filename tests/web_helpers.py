"""A small newsroom archive for the journalist's pages (texts written for these tests).

Seven releases of four Hessian houses, with archived copies in a WARC folder beside the
archive: one edited by its ministry and later reparsed, one edited twice (the second time
in its title too), one only reparsed (not an edit), one with a PDF attachment and a second
text read from the very same page bytes (not an edit either), and an old release printed
with today's ministry name (linked to the name it was issued under); and one text published
by the Staatskanzlei and, slightly edited, by a ministry on the same day.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders

from scraper.evidence.writer import Exchange, WarcRecorder
from storage import Archive

T0 = datetime(2024, 6, 12, 9, 30, tzinfo=UTC)
SOZIALES = "Hessisches Ministerium für Arbeit, Integration, Jugend und Soziales"
INNEN = "Hessisches Ministerium des Innern, für Sicherheit und Heimatschutz"
KULTUS = "Hessisches Ministerium für Kultus, Bildung und Chancen"
STK = "Hessische Staatskanzlei"
HOSTS = {
    SOZIALES: "soziales.hessen.de",
    INNEN: "innen.hessen.de",
    KULTUS: "kultus.hessen.de",
    STK: "staatskanzlei.hessen.de",
}
SITES = {
    SOZIALES: "hessen-soziales",
    INNEN: "hessen-innen",
    KULTUS: "hessen-kultus",
    STK: "hessen-staatskanzlei",
}

LANGUAGE = "Sprachkurse für geflüchtete Frauen werden ausgebaut"
PRIZE = "Integrationspreis 2024 an drei Vereine verliehen"
POLICE = "Mehr Polizeiwachen in den Innenstädten"
YOUTH = "Förderprogramm für Jugendzentren wird verlängert"
SCHOOL = "Schulbau: Land gibt 50 Millionen Euro für Sanierungen"
SCHOOL_NEW = "Schulbau: Land gibt 65 Millionen Euro für Sanierungen"

LANGUAGE_BODY = (
    "Das Land baut die Sprachkurse für geflüchtete Frauen aus. Im kommenden Jahr stehen "
    "1.200 Plätze in 40 Kommunen bereit.\n\n„Sprache öffnet Türen“, sagte Staatssekretärin "
    "Dr. Anna Becker in Gießen. Die Kurse werden mit Kinderbetreuung angeboten."
)
LANGUAGE_EDITED = LANGUAGE_BODY.replace("1.200 Plätze", "1.500 Plätze") + (
    " Anmeldungen nehmen die Volkshochschulen entgegen."
)
HEAT = "Kabinett beschließt Hitzeschutzplan für Hessen"
HEAT_BODY = (
    "Das Kabinett hat am Dienstag einen Hitzeschutzplan beschlossen. Kommunen, Pflegeheime "
    "und Krankenhäuser erhalten Leitfäden für heiße Tage, das Land richtet ein Warnsystem "
    "für besonders gefährdete Menschen ein. Trinkbrunnen in Innenstädten werden mit zwei "
    "Millionen Euro gefördert.\n\nDer Plan wurde mit den kommunalen Spitzenverbänden, den "
    "Wohlfahrtsverbänden und dem Deutschen Wetterdienst abgestimmt. Er gilt ab dem 1. Juli."
)
SCHOOL_BODY = (
    "Das Land stellt den Schulträgern 50 Millionen Euro für die Sanierung von Schulgebäuden "
    "bereit. Gefördert werden Dächer, Fenster und Heizungen."
)


def release(title: str, ministry: str, published: str, body: str, **fields) -> dict:
    """One crawled item as the crawl hands it to the archive."""
    host = HOSTS[ministry]
    slug = fields.pop("slug", title.lower().split(":")[0].replace(" ", "-"))
    return {
        "site": SITES[ministry],
        "ministry": ministry,
        "url": f"https://{host}/presse/{slug}",
        "fetched_url": f"http://127.0.0.1:8000/{host}/presse/{slug}",
        "fetched_at": T0,
        "kind": "Pressemitteilung",
        "number": None,
        "place": "Wiesbaden",
        "published": published,
        "kicker": None,
        "title": title,
        "subtitle": None,
        "dateline": "Wiesbaden",
        "body": body,
        "contact": "Pressestelle, Telefon 0611 3219-0",
        "persons": [],
        "profile": SITES[ministry],
        "sources": {"published": "header"},
        "flags": [],
        **fields,
    }


def _exchange(url: str, body: bytes, content_type: str, when: datetime) -> Exchange:
    return Exchange(
        url=url,
        request_head=StatusAndHeaders(
            "GET / HTTP/1.1", [("Host", "127.0.0.1")], is_http_request=True
        ),
        request_body=b"",
        response_head=StatusAndHeaders(
            "200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1"
        ),
        response_body=body,
        fetched_at=when,
    )


def page(item: dict) -> bytes:
    """The release page as the ministry served it (with a script the copy must not run)."""
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Presse</title>"
        "<script>document.title = 'SKRIPT LIEF';</script></head><body>"
        f"<h1>{item['title']}</h1><p>{item['body']}</p></body></html>"
    ).encode()


def archived(recorder: WarcRecorder, item: dict, served: dict | None = None) -> dict:
    """``item`` with a WARC record of its page (the page of ``served`` when given)."""
    body = page(served or item)
    pointer = recorder.write(
        _exchange(item["url"], body, "text/html; charset=utf-8", item["fetched_at"])
    )
    return dict(item, warc=pointer.to_dict())


def build_newsroom(path: Path, db: str | None = None) -> str:
    """The archive at ``db`` (default: the SQLite file ``path``), its WARC files in
    ``path.with_suffix('.warc')``; its URL."""
    db = db or f"sqlite:///{path}"
    recorder = WarcRecorder(path.with_suffix(".warc"), {"software": "tests"})
    becker_then = [{"name": "Dr. Anna Becker", "role": "Staatssekretärin"}]
    becker_now = [{"name": "Dr. Anna Becker", "role": "Ministerin"}]
    language = release(LANGUAGE, SOZIALES, "2019-05-02", LANGUAGE_BODY, persons=becker_then)
    pdf = b"%PDF-1.4\n% Vereinsliste\n%%EOF\n"
    prize = release(
        PRIZE,
        SOZIALES,
        "2024-06-10",
        "Ministerin Dr. Anna Becker hat den Integrationspreis an drei Vereine verliehen.",
        persons=becker_now,
    )
    pdf_url = "https://soziales.hessen.de/files/preistraeger.pdf"
    prize["attachments"] = [
        {
            "url": pdf_url,
            "fetched_url": None,
            "fetched_at": T0,
            "content_type": "application/pdf",
            "sha256": hashlib.sha256(pdf).hexdigest(),
            "size": len(pdf),
            "warc": recorder.write(_exchange(pdf_url, pdf, "application/pdf", T0)).to_dict(),
            "pages": 1,
            "text": "Preisträger: Verein Brücken, Verein Nachbarn, Verein Sprachpaten",
        }
    ]
    police = release(
        POLICE,
        INNEN,
        "2024-03-05",
        "Innenminister Peter Brandt stellte das Konzept für sichere Innenstädte vor.",
        persons=[{"name": "Peter Brandt", "role": "Innenminister"}],
    )
    youth = release(YOUTH, SOZIALES, "2024-02-20", "Das Land fördert offene Jugendarbeit.")
    school = release(SCHOOL, KULTUS, "2022-08-01", SCHOOL_BODY, slug="schulbau")
    heat = release(HEAT, STK, "2024-07-02", HEAT_BODY, slug="hitzeschutzplan")
    heat_too = release(
        HEAT,
        SOZIALES,
        "2024-07-02",
        HEAT_BODY.replace("zwei Millionen", "2 Millionen")
        + " Das Sozialministerium koordiniert die Umsetzung.",
        slug="hitzeschutzplan-kabinett",
    )
    with Archive(db) as archive:
        first = [
            archived(recorder, r) for r in (language, prize, police, youth, school, heat, heat_too)
        ]
        archive.store(first)
        youth = first[3]
        edited = archived(
            recorder, dict(language, body=LANGUAGE_EDITED, fetched_at=T0 + timedelta(days=3))
        )
        school2 = dict(school, body=SCHOOL_BODY.replace("Fenster", "Fenster, Toiletten"))
        archive.store([edited, archived(recorder, dict(school2, fetched_at=T0 + timedelta(1)))])
        school3 = dict(
            school2,
            title=SCHOOL_NEW,
            body=school2["body"].replace("50 Millionen", "65 Millionen"),
            fetched_at=T0 + timedelta(days=6),
        )
        # the same page fetched again, read differently by a newer normaliser: not an edit
        police2 = dict(
            police, contact="Pressestelle\nTelefon 0611 353-0", fetched_at=T0 + timedelta(2)
        )
        archive.store([archived(recorder, school3), archived(recorder, police2, police)])
        reparsed = [
            (_id(archive, LANGUAGE), dict(edited, contact="Pressestelle\nTelefon 0611 3219-0")),
            (_id(archive, YOUTH), dict(youth, body=youth["body"] + " (Stand: Februar 2024)")),
        ]
        archive.store_reparses(reparsed, "reparsed by pressarchiv 0.2.0")
    recorder.close()
    return db


def served_archive(request, folder: Path, fill) -> Path:
    """The SQLite file ``serve`` reads for an archive that ``fill(db_url, path)`` fills on
    the backend under test: the archive file itself on SQLite; in the PostgreSQL pass its
    mirror (``pressarchiv mirror``, WARC files beside ``path``)."""
    from test_storage_helpers import new_archive_url

    from storage.mirror import mirror

    path = folder / "archiv.sqlite"
    url = new_archive_url(request, folder, path.name)
    fill(url, path)
    if url.startswith("sqlite:"):
        return path
    mirror(url, folder / "spiegel.sqlite", warc_dir=path.with_suffix(".warc"))
    return folder / "spiegel.sqlite"


def _id(archive: Archive, title: str) -> str:
    return next(r["id"] for r in archive.releases() if r["title"] == title)
