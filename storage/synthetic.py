"""A synthetic archive for benchmarks: N releases in the ministries' register, bulk-inserted.

Texts are drawn from a German press vocabulary of about 2,700 forms with Zipf frequencies
(45% function words; nouns, plurals, verbs, adjective forms and stem+head compounds),
with quotes by persons and one planted rare compound in about one release in twenty
(``RARE_WORDS``), so benchmarks have rare, common and phrase queries with known answers.
Bodies run 900-9,000 characters (log-normal, median ~3,000).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from itertools import accumulate

from sqlalchemy import func, insert, select

from storage.models import Release, ReleasePerson, ReleaseUrl, Revision
from storage.records import content_hash, fold, stable_id, title_key
from storage.search_index import document, index_for
from storage.writer import stored_fields


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


FUNCTION_WORDS = _words(
    "der die und in den von zu das mit sich des auf für ist im dem nicht ein eine als auch "
    "es an werden aus hat dass sie nach wird bei einer um am sind noch wie einem über einen "
    "so zum haben nur oder aber vor zur bis mehr durch unter sowie damit gegen seit rund "
    "bereits dabei heute insbesondere alle wir unsere ihre diese dieser dieses können soll "
    "muss wurde wurden worden sei habe neben zwischen ohne innerhalb sowohl weiterhin"
)
NOUNS = _words(
    "Land Hessen Landesregierung Ministerium Förderung Integration Schule Kind Familie "
    "Projekt Million Euro Kommune Bürgerin Bürger Unterstützung Programm Jahr Mensch "
    "Gesellschaft Zukunft Bildung Arbeit Gesundheit Pflege Polizei Sicherheit Wirtschaft "
    "Umwelt Klima Energie Verkehr Digitalisierung Mädchen Frau Jugendliche Teilhabe Ehrenamt "
    "Straße Stadt Gemeinde Haushalt Mittel Maßnahme Angebot Einrichtung Beratung Zentrum "
    "Justiz Gericht Verfahren Finanz Steuer Wohnung Ausbildung Hochschule Forschung "
    "Minister Ministerin Staatssekretär Ministerpräsident Landtag Bund Region Kreis "
    "Unternehmen Betrieb Fachkraft Beschäftigte Verwaltung Behörde Gesetz Verordnung "
    "Richtlinie Antrag Zuschuss Investition Infrastruktur Netz Breitband Mobilität Bahn "
    "Radweg Wald Wasser Landwirtschaft Naturschutz Tier Lebensmittel Verbraucher Museum "
    "Kultur Kunst Sport Verein Veranstaltung Konferenz Tagung Ausstellung Preis Auszeichnung "
    "Studie Bericht Ergebnis Zahl Anteil Entwicklung Herausforderung Chance Ziel Weg "
    "Lehrkraft Schülerin Schüler Kita Erzieherin Eltern Senior Krankenhaus Ärztin Arzt "
    "Impfung Prävention Demokratie Vielfalt Zusammenhalt Heimat Katastrophenschutz Feuerwehr"
)
VERBS = _words(
    "fördert unterstützt stärkt betonte erklärte sagte investiert eröffnete begrüßte "
    "informierte startet erhalten zeigt entwickelt gestaltet verbessert sichert ermöglicht "
    "übergab besuchte lobte kündigte beschlossen vorgestellt ausgezeichnet gefördert "
    "umgesetzt geplant erweitert bewilligt unterzeichnet eingeweiht verstärkt ausgebaut "
    "teilte mit dankte würdigte hob hervor forderte warb appellierte stellte vor"
)
ADJECTIVES = _words(
    "neu wichtig hessisch gemeinsam nachhaltig digital sozial stark erfolgreich zusätzlich "
    "regional modern zentral konkret weiter ländlich öffentlich kommunal europäisch "
    "ehrenamtlich innovativ sicher gesund klimafreundlich barrierefrei attraktiv aktuell "
    "langfristig gezielt umfangreich zahlreich verlässlich vielfältig"
)
STEMS = _words(
    "Landes Integrations Schul Kinder Familien Bildungs Sozial Gesundheits Wirtschafts "
    "Umwelt Verkehrs Polizei Justiz Finanz Digital Klima Energie Wohnungs Arbeits Pflege "
    "Jugend Kultur Sport Förder Forschungs Hochschul Kommunal Sicherheits Verbraucher "
    "Natur Wald Wasser Agrar Tourismus Innovations Fachkräfte Ausbildungs Senioren "
    "Frauen Mobilitäts Rad Bahn Straßen Breitband Demokratie Ehrenamts Katastrophenschutz"
)
HEADS = _words(
    "programm konferenz förderung gesetz projekt politik bericht initiative netzwerk zentrum "
    "konzept strategie mittel plan beirat preis woche tag verband straße minister ministerin "
    "ausschuss kommission agentur stelle amt gipfel forum dialog offensive paket fonds "
    "haushalt wettbewerb kampagne beratung angebot einrichtung versorgung entwicklung "
    "schutz ausbau bündnis pakt"
)
RARE_STEMS = _words(
    "Kirschblüten Fachwerk Streuobst Moorlandschafts Glockenturm Salzquellen Eichenhain "
    "Wasserturm Bergwerks Weinbergs Bienenweiden Fledermaus Sternwarten Kranich Mühlen"
)
RARE_HEADS = _words(
    "fest museum pfad siegel stiftung wettbewerb archiv fibel rallye akademie chronik "
    "werkstatt kalender atlas kompass labor"
)
RARE_WORDS = tuple(s + h for s in RARE_STEMS for h in RARE_HEADS)
PLACES = _words(
    "Wiesbaden Frankfurt Kassel Darmstadt Offenbach Gießen Marburg Fulda Wetzlar Hanau "
    "Limburg Bad Homburg Rüsselsheim Bensheim Gelnhausen Korbach Eschwege"
)
FIRST = _words("Kai Anna Peter Julia Michael Sabine Thomas Claudia Stefan Katrin Jürgen Marie")
LAST = _words("Klose Muster Becker Schäfer Wagner Hofmann Krüger Lange Meißner Böhm Vogel Roth")
ROLES = ("Minister", "Ministerin", "Staatssekretär", "Staatssekretärin", "Ministerpräsident")
MINISTRIES = {
    "hessen-soziales": "Hessisches Ministerium für Arbeit, Integration, Jugend und Soziales",
    "hessen-innen": "Hessisches Ministerium des Innern, für Sicherheit und Heimatschutz",
    "hessen-kultus": "Hessisches Ministerium für Kultus, Bildung und Chancen",
    "hessen-finanzen": "Hessisches Ministerium der Finanzen",
    "hessen-wirtschaft": "Hessisches Ministerium für Wirtschaft, Energie, Verkehr und Wohnen",
    "hessen-umwelt": "Hessisches Ministerium für Landwirtschaft und Umwelt",
}
COMPOUNDS = tuple(s + h for s in STEMS for h in HEADS)


def _plural(noun: str) -> str:
    if noun.endswith("e"):
        return noun + "n"
    if noun.endswith(("ung", "heit", "keit", "ion", "schaft", "tät", "in")):
        return noun + ("nen" if noun.endswith("in") else "en")
    return noun if noun.endswith(("er", "el", "en")) else noun + "e"


NOUN_FORMS = NOUNS + tuple(sorted({_plural(n) for n in NOUNS} - set(NOUNS)))
ADJECTIVE_FORMS = tuple(a + e for a in ADJECTIVES for e in ("", "e", "en", "er", "es", "em"))
CONTENT = NOUN_FORMS + VERBS + ADJECTIVE_FORMS + COMPOUNDS
FUNCTION_SHARE = 0.45
"""Share of function words among all words, about as in German newspaper text."""


def _cumulative(count: int, share: float, offset: int) -> list[float]:
    zipf = [1 / (rank + offset) for rank in range(count)]  # Zipf-Mandelbrot
    return [share * w / sum(zipf) for w in zipf]


_CONTENT = random.Random(42).sample(CONTENT, len(CONTENT))  # frequency ranks across kinds
WORDS = FUNCTION_WORDS + tuple(_CONTENT)
COMMONEST = FUNCTION_WORDS[:6] + tuple(_CONTENT[:6])
"""The six commonest function words and content words."""
CUM_WEIGHTS = tuple(
    accumulate(
        _cumulative(len(FUNCTION_WORDS), FUNCTION_SHARE, 1)
        + _cumulative(len(_CONTENT), 1 - FUNCTION_SHARE, 30)
    )
)


class _Writer:
    """Draws the text of one release."""

    def __init__(self, rng: random.Random):
        self.rng = rng

    def words(self, n: int) -> list[str]:
        return self.rng.choices(WORDS, cum_weights=CUM_WEIGHTS, k=n)

    def sentence(self, extra: str | None = None) -> str:
        words = self.words(self.rng.randint(7, 22))
        if extra:
            words.insert(self.rng.randrange(len(words)), extra)
        text = " ".join(words)
        return text[0].upper() + text[1:] + "."

    def quote(self, person: dict) -> str:
        return f"„{self.sentence()[:-1]}“, {self.rng.choice(VERBS)} {person['role']} " + (
            f"{person['name']}."
        )

    def body(self, persons: list[dict], rare: str | None) -> str:
        length = min(9000, max(900, int(self.rng.lognormvariate(8.0, 0.5))))
        paragraphs, size = [], 0
        while size < length:
            sentences = [self.sentence() for _ in range(self.rng.randint(2, 5))]
            if persons and self.rng.random() < 0.4:
                sentences.append(self.quote(self.rng.choice(persons)))
            paragraphs.append(" ".join(sentences))
            size += len(paragraphs[-1])
        if rare:
            where = self.rng.randrange(len(paragraphs))
            paragraphs[where] += " " + self.sentence(rare)
        return "\n\n".join(paragraphs)

    def release(self, n: int, site: str) -> dict:
        rng = self.rng
        persons = [
            {"name": f"{rng.choice(FIRST)} {rng.choice(LAST)}", "role": rng.choice(ROLES)}
            for _ in range(rng.choice((0, 1, 1, 2, 3)))
        ]
        rare = rng.choice(RARE_WORDS) if rng.random() < 0.05 else None
        title = " ".join([rng.choice(COMPOUNDS), "in", rng.choice(PLACES), f"({n})"])
        published = date(2012, 1, 1) + timedelta(days=rng.randrange(14 * 365))
        return {
            "kind": "Pressemitteilung",
            "number": None,
            "place": rng.choice(PLACES),
            "published": published.isoformat(),
            "kicker": None,
            "title": title,
            "subtitle": self.sentence() if rng.random() < 0.6 else None,
            "dateline": rng.choice(PLACES),
            "body": self.body(persons, rare),
            "contact": "Pressestelle, Telefon 0611 123-0",
            "persons": persons,
            "ministry": MINISTRIES[site],
            "profile": site,
            "sources": {"published": "header"},
            "flags": [],
        }


def releases(count: int, seed: int = 0, first: int = 0) -> Iterator[tuple[str, dict]]:
    """``(site, fields)`` of synthetic releases ``first`` to ``first + count - 1``.

    Deterministic for a ``seed`` and ``first``; the number is part of each title, so
    releases from different ranges never share an id.
    """
    writer = _Writer(random.Random(f"{seed}:{first}"))
    sites = list(MINISTRIES)
    for n in range(first, first + count):
        site = sites[n % len(sites)]
        yield site, writer.release(n, site)


def release_url(site: str, n: int) -> str:
    """The canonical URL of synthetic release ``n`` of ``site``."""
    return f"https://{site.removeprefix('hessen-')}.hessen.de/presse/synthetisch-{n}"


def items(
    count: int, seed: int = 0, first: int = 0, fetched_at: datetime | None = None
) -> Iterator[dict]:
    """Synthetic releases as crawled items (the crawl contract), for ``Archive.store``.

    Each has a WARC pointer; every tenth carries one PDF attachment with text.
    """
    fetched_at = fetched_at or datetime(2026, 1, 1, tzinfo=UTC)
    for n, (site, fields) in enumerate(releases(count, seed, first), first):
        url = release_url(site, n)
        item = dict(fields, site=site, url=url, fetched_url=url, fetched_at=fetched_at)
        item["warc"] = {"file": "synthetic.warc.gz", "offset": 1000 * n, "digest": None}
        if n % 10 == 0:
            pdf = url + ".pdf"
            item["attachments"] = [
                {
                    "url": pdf,
                    "fetched_url": pdf,
                    "fetched_at": fetched_at,
                    "content_type": "application/pdf",
                    "sha256": content_hash({"title": pdf}),
                    "size": 1000,
                    "warc": None,
                    "pages": 1,
                    "text": f"Anlage {n}: Haushaltsplan",
                }
            ]
        yield item


def populate(engine, count: int, seed: int = 0, chunk: int = 2000) -> int:
    """Bulk-insert ``count`` synthetic releases, index included and optimised at the end."""
    now = datetime(2026, 1, 1, tzinfo=UTC)
    with engine.connect() as conn:
        first = conn.scalar(select(func.count()).select_from(Release))
    stream = releases(count, seed, first)
    done = 0
    while done < count:
        batch = [next(stream) for _ in range(min(chunk, count - done))]
        with engine.begin() as conn:
            start = (conn.scalar(select(func.max(Release.pk))) or 0) + 1
            _insert(conn, batch, start, now)
        done += len(batch)
    with engine.begin() as conn:
        index_for(conn).optimize()
        if conn.dialect.name == "postgresql":  # the pks were given: move the sequence past them
            conn.exec_driver_sql(
                "SELECT setval(pg_get_serial_sequence('releases', 'pk'), max(pk)) FROM releases"
            )
    return done


def _insert(conn, batch, start: int, now: datetime) -> None:
    rows, urls, revisions, persons, docs = [], [], [], [], []
    once = conn.dialect.name == "sqlite"  # the current revision leaves its body out
    for pk, (site, fields) in enumerate(batch, start):
        url = release_url(site, pk)
        key = title_key(fields["title"])
        digest = content_hash(fields)
        release_id = stable_id(site, fields["published"], key, url)
        public = {k: v for k, v in fields.items() if k not in ("profile", "sources")}
        rows.append(
            dict(
                public,
                pk=pk,
                id=release_id,
                site=site,
                url=url,
                title_key=key,
                published=date.fromisoformat(fields["published"]),
                profile=site,
                sources={"published": "header"},
                content_hash=digest,
                first_seen=now,
                last_seen=now,
                revision=1,
            )
        )
        urls.append({"url": url, "release_pk": pk, "first_seen": now})
        revisions.append(
            {
                "release_pk": pk,
                "number": 1,
                "content_hash": digest,
                "fields": stored_fields(fields, fields["body"]) if once else fields,
                "fetched_at": now,
                "fetched_url": url,
            }
        )
        persons += [
            {"release_pk": pk, "name": p["name"], "role": p["role"], "name_key": fold(p["name"])}
            for p in fields["persons"]
        ]
        docs.append((pk, document(fields)))
    conn.execute(insert(Release), rows)
    conn.execute(insert(ReleaseUrl), urls)
    conn.execute(insert(Revision), revisions)
    if persons:
        conn.execute(insert(ReleasePerson), persons)
    index_for(conn).store(docs)
