"""The large replica: N synthetic releases over H hosts, for crawl benchmarks and workers.

Every host is a federal-style site on the Government Site Builder (``gsb`` markup and
profile rules), laid out one folder per host on one loopback port like the small replica
(``/<host>/...``). Releases are made up on request from their number (seeded words), so
100,000 releases cost no memory. ``write_sites(folder)`` writes the sites file a crawl reads
with ``--sites-dir``. Every request is logged with its host, start and end
(``visits``, and one JSON line per request in ``log``); ``politeness_problems`` reads such
a log and names every host that had two requests in flight or two starts closer than the
delay.
"""

from __future__ import annotations

import json
import random
import threading
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from . import gsb
from .pages import Page, esc, html_page, robots_txt
from .releases import Release, Site

PER_PAGE = 10
FIRST_DAY = date(2025, 12, 31)
SITES_FILE = "scale.toml"
_TEXT = (
    "Land Bund Förderung Schulen Kommunen Haushalt Gesundheit Pflege Verkehr Klima Energie "
    "Wohnungsbau Digitalisierung Polizei Justiz Forschung Hochschulen Landwirtschaft Wald "
    "Wasser Arbeit Ausbildung Familien Kinder Kultur Sport Ehrenamt Integration Sicherheit "
    "Brücken Schiene Radwege Breitband Verwaltung Bürgerinnen Bürger Unternehmen Handwerk "
    "Millionen Euro Programm Projekt Gesetz Entwurf Kabinett Landtag Ministerin Minister "
    "Staatssekretär Kreis Gemeinde Stadt Region Zukunft Modernisierung Investitionen Bericht "
    "Ergebnis Auftakt Start Abschluss Beratung Zusammenarbeit Partner Vereinbarung Netzwerk"
)
WORDS = tuple(_TEXT.split())
VERBS = ("stärkt", "fördert", "startet", "beschließt", "unterstützt", "erweitert", "plant",
         "stellt", "eröffnet", "verlängert", "bündelt", "sichert")  # fmt: skip


def host_name(index: int) -> str:
    return f"presse{index:04d}.scale.example"


def site_id(index: int) -> str:
    return f"scale-{index:04d}"


@dataclass(frozen=True)
class Visit:
    """One request as the large replica saw it (``start``/``end``: ``time.time()``)."""

    host: str
    path: str
    start: float
    end: float
    status: int

    def to_json(self) -> str:
        return json.dumps(self.__dict__, separators=(",", ":"))


class ScaleData:
    """``releases`` synthetic releases spread over ``hosts`` sites (round robin)."""

    def __init__(self, releases: int, hosts: int):
        if releases < 1 or hosts < 1:
            raise ValueError("the large replica needs at least one release and one host")
        self.releases, self.hosts = releases, min(hosts, releases)
        self.index = {host_name(i): i for i in range(self.hosts)}

    def count(self, host_index: int) -> int:
        """How many releases the host at ``host_index`` publishes."""
        return self.releases // self.hosts + (host_index < self.releases % self.hosts)

    def site(self, host_index: int) -> Site:
        return Site(id=site_id(host_index), family="gsb", host=host_name(host_index),
                    ministry=f"Ministerium {host_index:04d}", abbreviation=None, contact={},
                    releases=())  # fmt: skip

    def release(self, host_index: int, number: int) -> Release:
        """Release ``number`` of a host (0 is the newest), made up from a seed."""
        rng = random.Random(f"{host_index}:{number}")
        title_words = rng.sample(WORDS, 4)
        title = (f"{title_words[0]} {rng.choice(VERBS)} {title_words[1]} und {title_words[2]}: "
                 f"{title_words[3]} Nr. {number}")  # fmt: skip
        body = tuple(
            " ".join(rng.choice(WORDS) for _ in range(rng.randint(25, 60))).capitalize() + "."
            for _ in range(rng.randint(3, 6))
        )
        return Release(site=site_id(host_index), slug=f"mitteilung-{number:06d}",
                       published=FIRST_DAY - timedelta(days=number // 3), title=title, body=body,
                       subtitle=f"{title_words[1]} im Blick")  # fmt: skip

    def truth(self) -> dict[str, str]:
        """Every release's real-site URL mapped to its site id (what an archive must hold)."""
        return {
            f"https://{host_name(h)}{gsb.release_path(self.release(h, n))}": site_id(h)
            for h in range(self.hosts)
            for n in range(self.count(h))
        }

    def sites_toml(self) -> str:
        lines = ['# The large replica\'s sites (written by "pressarchiv replica --releases")',
                 'family = "gsb"', ""]  # fmt: skip
        for h in range(self.hosts):
            lines += ["[[sites]]", f'id = "{site_id(h)}"', f'name = "Skala {h:04d}"',
                      f'ministry = "Ministerium {h:04d}"', f'base_url = "https://{host_name(h)}"',
                      f'start_urls = ["{gsb.SEARCH}"]', ""]  # fmt: skip
        return "\n".join(lines)

    def write_sites(self, folder: str | Path) -> Path:
        """Write ``scale.toml`` (the site profiles) into ``folder``; returns the folder."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / SITES_FILE).write_text(self.sites_toml(), encoding="utf-8")
        return folder

    def page(self, path: str) -> tuple[str, Page]:
        """The host a path belongs to ('' for none) and its page."""
        parts = urlsplit(path)
        host, _, rest = parts.path.lstrip("/").partition("/")
        rest = "/" + rest
        if host == "robots.txt":
            return "", robots_txt(())
        index = self.index.get(host)
        if index is None:
            return host, gsb_not_found()
        if rest == "/robots.txt":
            return host, robots_txt(gsb.DISALLOW)
        if rest == gsb.SEARCH:
            return host, self._listing(index, _page_number(parts.query))
        prefix = "/DE/Service/Presse/Pressemitteilungen/"
        slug = rest.rsplit("/", 1)[-1].removesuffix(".html")
        if rest.startswith(prefix) and slug.startswith("mitteilung-"):
            number = int(slug.removeprefix("mitteilung-") or -1)
            if 0 <= number < self.count(index):
                release = self.release(index, number)
                if rest == gsb.release_path(release):
                    return host, html_page(gsb.release_page(self.site(index), release))
        return host, gsb_not_found()

    def _listing(self, index: int, n: int | None) -> Page:
        total = self.count(index)
        pages = max(1, -(-total // PER_PAGE))
        if n is None or not 1 <= n <= pages:
            return gsb_not_found()
        site = self.site(index)
        cards = []
        for number in range((n - 1) * PER_PAGE, min(n * PER_PAGE, total)):
            r = self.release(index, number)
            cards.append(
                f'<li class="result-item"><p class="c-date"><time datetime="{r.published}">'
                f'{r.published.strftime("%d.%m.%Y")}</time></p><h3><a href="/{site.host}'
                f'{gsb.release_path(r)}">{esc(r.title)}</a></h3><p>{esc(r.subtitle)}</p></li>'
            )
        forward = ""
        if n < pages:
            href = f"/{site.host}{gsb.SEARCH}{gsb.PAGER.format(n=n + 1)}"
            forward = f'<a class="forward" href="{href}" rel="next">weiter</a>'
        content = (f'<h1>Pressemitteilungen</h1>\n<div class="c-search-result"><p class="count">'
                   f'{total} Ergebnisse</p>\n<ul class="result-list">\n' + "\n".join(cards)
                   + f'</ul>\n<div class="c-pagination">Seite {n} von {pages} {forward}</div>'
                   "</div>\n")  # fmt: skip
        canonical = f"https://{site.host}{gsb.SEARCH}"
        return html_page(gsb._frame(site, "Pressemitteilungen", canonical, content))


def _page_number(query: str) -> int | None:
    if not query:
        return 1
    prefix = gsb.PAGER.format(n="").lstrip("?")
    number = query.removeprefix(prefix)
    return int(number) if query.startswith(prefix) and number.isdigit() else None


def gsb_not_found() -> Page:
    return html_page("<!DOCTYPE html><title>Seite nicht gefunden</title><h1>404</h1>", 404)


class _Server(ThreadingHTTPServer):
    """Listens with a backlog of 1,024 (the class default is 5, and it must be set before
    the constructor calls ``listen``): a crawl of 20 sites opens 160 connections at once, and
    those beyond the backlog were dropped and retried by TCP a minute or more later."""

    request_queue_size = 1024
    daemon_threads = True


class ScaleReplica:
    """Serve ``ScaleData`` on 127.0.0.1 with ``latency`` seconds per response and a visit log.

    ``visits`` holds every request (host, path, start, end, status); with ``log`` each is
    also appended to that file as a JSON line as soon as it is answered.
    """

    def __init__(self, releases: int, hosts: int = 20, latency: float = 0.0, port: int = 0,
                 log: str | Path | None = None) -> None:  # fmt: skip
        self.data = ScaleData(releases, hosts)
        self.latency = latency
        self.visits: list[Visit] = []
        self._lock = threading.Lock()
        self._log = Path(log).open("a", encoding="utf-8") if log else None  # noqa: SIM115
        self._thread: threading.Thread | None = None
        self._httpd = _Server(("127.0.0.1", port), self._handler_class())
        self.port: int = self._httpd.server_address[1]
        self.base_url = f"http://127.0.0.1:{self.port}"

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        replica = self

        class Handler(BaseHTTPRequestHandler):
            server_version = "Replica/1.0"
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802 (http.server API)
                start = time.time()
                host, page = replica.data.page(self.path)
                if replica.latency:
                    time.sleep(replica.latency)
                self.send_response(page.status)
                self.send_header("Content-Type", page.content_type)
                self.send_header("Content-Length", str(len(page.body)))
                self.end_headers()
                self.wfile.write(page.body)
                self.wfile.flush()
                replica._record(Visit(host, self.path, start, time.time(), page.status))

            def log_message(self, format: str, *args) -> None:  # noqa: A002
                pass

        return Handler

    def _record(self, visit: Visit) -> None:
        with self._lock:
            self.visits.append(visit)
            if self._log:
                self._log.write(visit.to_json() + "\n")
                self._log.flush()

    def start(self) -> ScaleReplica:
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        try:
            self._httpd.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            self.stop()

    def stop(self) -> None:
        if self._thread:
            self._httpd.shutdown()
            self._thread.join()
            self._thread = None
        self._httpd.server_close()
        if self._log:
            self._log.close()
            self._log = None

    def __enter__(self) -> ScaleReplica:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def read_log(path: str | Path) -> list[Visit]:
    """The visits a replica wrote to its log file."""
    with Path(path).open(encoding="utf-8") as lines:
        return [Visit(**json.loads(line)) for line in lines if line.strip()]


def politeness_problems(visits: list[Visit], delay: float, slack: float = 0.02) -> list[str]:
    """Every time a host had two requests in flight, or two starts closer than ``delay``
    (less ``slack`` seconds for clocks and scheduling); requests outside a host are ignored."""
    by_host: dict[str, list[Visit]] = defaultdict(list)
    for visit in visits:
        if visit.host:
            by_host[visit.host].append(visit)
    problems = []
    for host, seen in sorted(by_host.items()):
        seen.sort(key=lambda v: v.start)
        for before, after in zip(seen, seen[1:], strict=False):
            if after.start < before.end:
                problems.append(f"{host}: {after.path} started while {before.path} was in flight")
            elif after.start - before.start < delay - slack:
                gap = after.start - before.start
                problems.append(f"{host}: {after.path} {gap:.3f}s after {before.path}")
    return problems
