"""``hostile`` mode: the replica as a site that attacks its crawler (issue 10).

The listing of ``hessen-soziales`` (``/soziales.hessen.de/presse?page=N``) becomes a walk
through faults, one per card, with the site's good releases in between: links that leave
the site (``file:``, ``data:``, ``ftp:``, another host, another host's mirror folder,
redirects and meta refreshes elsewhere), links that do not parse (``javascript:``,
``mailto:``, a bad port, broken IPv6, 2,500 characters), pages that are empty, endless
redirects, decompression bombs, a 50 MB page, truncated and chunk-cut bodies, a
``Retry-After`` date with a ``-0000`` zone, a 70,000-space ``<title>``, 100,000 nested
``div`` elements, mis-declared encodings, and PDFs that are bombs or 40,000 pages long.

``FAULTS`` is the truth: for every fault what a crawl must do with it (``stored``,
``failed`` or ``skipped``) and a pattern its recorded reason matches. Links that leave the
site point at a second loopback port (``elsewhere``) or at ``.invalid`` hosts, so a crawl
that follows one is seen (``ReplicaServer.hits`` records the ``Host`` of every request)
and never reaches outside the machine. ``robots_status`` makes the root ``robots.txt``
answer with another status (RFC 9309: 5xx means disallow everything).
"""

from __future__ import annotations

import threading
import zlib
from dataclasses import dataclass
from datetime import date
from email.utils import formatdate
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from . import hessen
from .pages import HTML, Page, attr, esc, html_page
from .pdf import pdf_document
from .releases import Release

SITE = "hessen-soziales"
HOST = "soziales.hessen.de"
ROOT = f"/{HOST}"
PREFIX = f"{ROOT}/presse/hostile"
DAY = date(2026, 2, 2)  # every fault card's date: newer than the site's releases
BIG = 50 * 1000 * 1000  # the oversized page, in bytes
BOMB = 2 * 1000 * 1000 * 1000  # what a decompression bomb inflates to, in bytes
PDF_PAGES = 40_000
NESTING = 100_000
TITLE_SPACES = 70_000


@dataclass(frozen=True)
class Fault:
    """One hostile card: its path slug, what is wrong, and what a crawl must make of it."""

    name: str
    what: str
    outcome: str  # "stored" (a good release after all), "failed" or "skipped"
    reason: str = ""  # a regular expression the recorded reason matches
    href: str | None = None  # the card's link when it is not PREFIX/name
    marker: str | None = None  # what the recorded URL contains (default: /hostile/<name>)

    def __str__(self) -> str:
        return self.name

    def seen_as(self, elsewhere: str) -> str:
        """A part of the URL the crawl log records for this fault."""
        return (self.marker or f"/presse/hostile/{self.name}").format(elsewhere=elsewhere)


FAULTS = (
    # Leaving the site, reading local files
    Fault("file-url", "card links file:///<canary>", "skipped", r"not an http", "{canary}",
          "file://"),
    Fault("data-url", "card links a data: URL", "skipped", r"not an http",
          "data:text/html,<title>Daten</title><h1>Lokale Datei</h1>", "data:text/html"),
    Fault("ftp-url", "card links ftp://", "skipped", r"not an http",
          "ftp://127.0.0.1:{elsewhere_port}/presse/datei", "ftp://"),
    Fault("other-host", "card links another host", "skipped", r"off-site",
          "{elsewhere}/soziales.hessen.de/presse/fremde-seite", "{elsewhere}/"),
    Fault("scheme-relative", "card links //host.invalid/...", "skipped", r"off-site",
          "//elsewhere.invalid/presse/fremde-seite", "elsewhere.invalid/"),
    Fault("mirror-escape", "card ../other.hessen.de/... climbs into another host's folder",
          "skipped", r"off-site", "../other.hessen.de/presse/fremde-seite",
          "/other.hessen.de/presse/fremde-seite"),
    Fault("mirror-escape-encoded", "card /soziales.hessen.de/%2e%2e/other.hessen.de/...",
          "skipped", r"off-site|dot segment", ROOT + "/%2e%2e/other.hessen.de/presse/fremde-seite",
          "%2e%2e"),
    Fault("redirect-elsewhere", "302 to another host", "skipped", r"off-site"),
    Fault("refresh-elsewhere", "meta refresh to another host", "skipped", r"off-site"),
    Fault("refresh-here", "meta refresh to a release of the same site", "stored"),
    Fault("pdf-elsewhere", "good release whose PDF lives on another host", "stored"),
    # Links that do not parse: each costs only itself, not the listing page
    Fault("javascript", "card links javascript:", "skipped", r"not an http",
          "javascript:void(window.open('/presse'))", "javascript:"),
    Fault("mailto", "card links mailto:", "skipped", r"not an http",
          "mailto:presse@soziales.hessen.de", "mailto:"),
    Fault("bad-port", "card links port 99999", "skipped", r"port|invalid",
          "http://127.0.0.1:99999/soziales.hessen.de/presse/x", ":99999/"),
    Fault("broken-ipv6", "card links http://[::1/...", "skipped", r"IPv6|invalid",
          "http://[::1/soziales.hessen.de/presse/x", "[::1/"),
    Fault("long-link", "card link of 2,500 characters", "skipped", r"longer than",
          ROOT + "/presse/hostile/long?" + "q=" + "x" * 2500, "/hostile/long?q=xxx"),
    Fault("no-link", "card without a link", "skipped", r"without a link", "", "/presse?page="),
    Fault("robots-disallowed", "card links a page robots.txt disallows", "skipped",
          r"robots\.txt", ROOT + "/suche?hostile=1", "/suche?hostile=1"),
    # Silent loss before
    Fault("empty", "200 with an empty body", "failed", r"empty"),
    Fault("whitespace", "200 with only whitespace", "failed", r"empty"),
    Fault("redirect-loop", "A -> B -> A", "failed", r"redirect"),
    Fault("redirects-30", "30 redirects in a row", "failed", r"redirect"),
    Fault("gzip-bomb", "gzip body inflating to 2 GB", "failed", r"larger than|decompress"),
    Fault("deflate-bomb", "deflate body inflating to 2 GB", "failed", r"larger than|decompress"),
    Fault("huge", "a 50 MB page", "failed", r"larger than|maxsize|size"),
    Fault("truncated", "Content-Length promises more than is sent", "failed",
          r"(?i)lost|incomplete|truncat|connection|dataloss|ResponseFailed"),
    Fault("chunk-cut", "chunked body cut before its last chunk", "failed",
          r"(?i)lost|incomplete|truncat|connection|dataloss|ResponseFailed"),
    Fault("not-html", "200 with a PNG image", "failed", r"not a text page|not HTML|binary"),
    Fault("http-404", "a dead link", "failed", r"HTTP 404"),
    Fault("server-error", "HTTP 500 on every try", "failed", r"HTTP 500"),
    # Crashes before: must become releases
    Fault("retry-after-0000", "503 with Retry-After as an HTTP date in -0000, then the page",
          "stored"),
    # Memory and time
    Fault("title-spaces", "a <title> with a 70,000-space run", "stored"),
    Fault("pdf-pages", "good release with a 40,000-page PDF", "stored"),
    Fault("pdf-bomb", "good release with a PDF whose stream inflates to 2 GB", "stored"),
    Fault("deep-nesting", "100,000 nested div elements before the text", "stored"),
    # Wrong text (decoding)
    Fault("latin1-as-utf8", "Latin-1 bytes served as UTF-8", "stored"),
    Fault("cp1252-meta", "Windows-1252 with a right meta charset and a wrong header", "stored"),
    Fault("utf16-bom", "UTF-16 with a BOM", "stored"),
    Fault("nul-in-head", "a NUL byte in <head>", "stored"),
)  # fmt: skip

GOOD_TITLES = {  # the hostile faults that are good releases, and their titles
    "refresh-here": "Sprachförderung in Kitas wird ausgebaut",
    "pdf-elsewhere": "Neue Richtlinie für Familienzentren",
    "retry-after-0000": "Mehr Plätze in der Tagespflege",
    "title-spaces": "Beratung für pflegende Angehörige",
    "pdf-pages": "Haushaltsentwurf für Soziales vorgelegt",
    "pdf-bomb": "Bericht zur Lage der Jugendhilfe",
    "deep-nesting": "Förderprogramm für Jugendräume in Gießen",
    "latin1-as-utf8": "Größere Zuschüsse für Seniorentreffs in Fulda",
    "cp1252-meta": "Grüße aus Gießen: „Ehrenamt verbindet“",
    "utf16-bom": "Übergänge von der Schule in den Beruf stärken",
    "nul-in-head": "Schuldnerberatung wird erweitert",
}


def fault(name: str) -> Fault:
    return next(f for f in FAULTS if f.name == name)


def _release(name: str) -> Release:
    """A good release of our own behind a hostile fault (dated ``DAY``)."""
    title = GOOD_TITLES[name]
    body = (
        f"Das Ministerium hat heute in Wiesbaden mitgeteilt, dass das Vorhaben „{title}“ "
        "zum Frühjahr beginnt. Gemeinsam mit den Kommunen, den Trägern und den Verbänden "
        "sollen die Angebote näher an die Menschen rücken.",
        "Die Mittel stehen im Landeshaushalt bereit. Anträge können ab dem ersten März "
        "über die Regierungspräsidien gestellt werden; die Bescheide folgen binnen sechs Wochen.",
    )
    return Release(site=SITE, slug=name, published=DAY, title=title, body=body,
                   path=f"/presse/hostile/{name}", place="Wiesbaden", contact=False)  # fmt: skip


def good_releases() -> list[Release]:
    """The hostile mode's own good releases (the site's usual ones come on top)."""
    return [_release(name) for name in GOOD_TITLES]


def _site():
    return next(site for site in hessen.sites() if site.id == SITE)


def _page_html(name: str, extra: str = "") -> str:
    """A good release page; ``extra`` goes into the article after the text."""
    page = hessen.release_page(_site(), _release(name))
    return page.replace("</article>", extra + "</article>", 1) if extra else page


def _downloads(href: str, title: str) -> str:
    return (
        '<div class="cp-downloads"><h2 class="cp-downloads__title">Anhänge zur '
        f'Pressemitteilung</h2>\n<ul><li><a href="{attr(href)}">{esc(title)} '
        "<span>Download (PDF, 1 KB)</span></a></li></ul></div>\n"
    )


def _deflate_bomb(byte: bytes, wbits: int) -> bytes:
    """``BOMB`` copies of ``byte`` compressed (about 2 MB): one fully flushed 1 MiB piece
    repeated, which is a valid stream; the trailer's checksum is not (nobody gets there)."""
    chunk = byte * (1 << 20)
    packer = zlib.compressobj(9, zlib.DEFLATED, wbits)
    first = packer.compress(chunk) + packer.flush(zlib.Z_FULL_FLUSH)
    piece = packer.compress(chunk) + packer.flush(zlib.Z_FULL_FLUSH)
    return first + piece * (BOMB // len(chunk) - 2) + packer.flush()


@cache
def _bomb(encoding: str) -> bytes:
    """``BOMB`` zero bytes, gzip- or zlib-compressed."""
    return _deflate_bomb(b"\0", 31 if encoding == "gzip" else 15)


def _pdf(objects: list[bytes]) -> bytes:
    """A PDF file of the given objects (object 1 is the catalog)."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)  # fmt: skip
    return bytes(out)


def _stream_object(data: bytes, flate: bool = False) -> bytes:
    extra = b" /Filter /FlateDecode" if flate else b""
    return b"<< /Length %d%s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"


_FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


@cache
def _pdf_pages() -> bytes:
    """``PDF_PAGES`` pages sharing one short content stream (about 5 MB)."""
    first = 5  # 1 catalog, 2 page tree, 3 font, 4 content, then the pages
    kids = b" ".join(b"%d 0 R" % (first + n) for n in range(PDF_PAGES))
    page = (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            b"/Resources << /Font << /F1 3 0 R >> >> /Contents 4 0 R >>")  # fmt: skip
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % PDF_PAGES,
            _FONT,
            _stream_object(b"BT /F1 11 Tf 56 780 Td (Haushaltsansatz Titelgruppe 0815) Tj ET"),
            *[page] * PDF_PAGES,
        ]
    )


@cache
def _pdf_bomb() -> bytes:
    """A one-page PDF whose content stream inflates to ``BOMB`` bytes of spaces."""
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
            _stream_object(_deflate_bomb(b" ", 15), flate=True),
            _FONT,
        ]
    )


def _encoded(name: str) -> Page:
    """The decoding faults: the same kind of page, bytes and labels that disagree."""
    text = _page_html(name)
    if name == "latin1-as-utf8":
        text = text.replace('<meta charset="utf-8">', "")
        return Page(text.encode("latin-1", errors="xmlcharrefreplace"), HTML)
    if name == "cp1252-meta":
        text = text.replace('<meta charset="utf-8">', '<meta charset="windows-1252">')
        return Page(text.encode("cp1252"), HTML)
    if name == "utf16-bom":
        text = text.replace('<meta charset="utf-8">', "")
        return Page(text.encode("utf-16"), "text/html")
    text = text.replace("<title>", "<title>\x00", 1)  # nul-in-head
    return Page(text.encode("utf-8"), HTML)


def _deep(name: str) -> Page:
    text = _page_html(name)
    cut = text.index('<main id="main-content"')
    wrapped = "<div>" * NESTING + text[cut:].replace("</main>", "</main>" + "</div>" * NESTING)
    return html_page(text[:cut] + wrapped)


class HostileSite:
    """The hostile pages of one server: listing, fault pages, dynamic answers."""

    def __init__(self, base_url: str, elsewhere_url: str, canary: str):
        self.base_url = base_url
        self.elsewhere_url = elsewhere_url
        self.canary = canary
        self.robots_status = 200
        self._seen: set[str] = set()
        self._lock = threading.Lock()
        self.pages = self._static_pages()

    # --- the listing ---------------------------------------------------------------------

    def href(self, item: Fault) -> str:
        if item.href is None:
            return f"{PREFIX}/{item.name}"
        port = self.elsewhere_url.rsplit(":", 1)[1]
        return item.href.format(canary=f"file://{self.canary}", elsewhere=self.elsewhere_url,
                                elsewhere_port=port)  # fmt: skip

    def cards(self) -> list[str]:
        """Fault cards, each followed by one of the site's good releases while they last."""
        site = _site()
        good = hessen._cards(site, edited=False, faults=False)
        cards = []
        for n, item in enumerate(FAULTS):
            title = GOOD_TITLES.get(item.name, f"Hinweis {n + 1}: {item.what}")
            card = hessen._card(site, self.href(item), title, item.what, DAY, "")
            if item.name == "no-link":
                card = card.replace('<a href="">', "<a>")
            cards.append(card)
            if n < len(good):
                cards.append(good[n])
        return cards + good[len(FAULTS) :]

    def listing(self) -> dict[str, Page]:
        site = _site()
        cards = self.cards()
        per, pages = hessen.PER_PAGE, -(-len(cards) // hessen.PER_PAGE)
        table = {}
        for page in range(pages):
            chunk = "".join(cards[page * per : (page + 1) * per])
            table[f"{ROOT}/presse?page={page}"] = html_page(
                hessen._head("Pressemitteilungen", site, f"https://{HOST}/presse?page={page}")
                + '<main id="main-content" role="main">\n<h1>Pressemitteilungen</h1>\n'
                + f'<div class="view-content">\n{chunk}</div>\n'
                + hessen._pager(page, pages)
                + "</main>\n"
                + hessen._foot(site)
            )
        table[f"{ROOT}/presse"] = table[f"{ROOT}/presse?page=0"]
        return table

    # --- pages ---------------------------------------------------------------------------

    def _static_pages(self) -> dict[str, Page]:
        elsewhere = f"{self.elsewhere_url}/soziales.hessen.de/presse/fremde-seite"
        refresh = '<meta http-equiv="refresh" content="0; url={}">'
        pages = {
            "empty": Page(b""),
            "whitespace": Page(b" \r\n\t \n" * 200),
            "not-html": Page(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20, "image/png"),
            "refresh-elsewhere": html_page(
                f"<!DOCTYPE html><html><head>{refresh.format(attr(elsewhere))}</head>"
                "<body><p>Sie werden weitergeleitet.</p></body></html>"
            ),
            "refresh-here": html_page(
                f"<!DOCTYPE html><html><head>{refresh.format(PREFIX + '/refresh-target')}"
                "</head><body><p>Sie werden weitergeleitet.</p></body></html>"
            ),
            "refresh-target": html_page(_page_html("refresh-here")),
            "pdf-elsewhere": html_page(
                _page_html(
                    "pdf-elsewhere",
                    _downloads(
                        f"{self.elsewhere_url}/soziales.hessen.de/files/richtlinie.pdf",
                        "Richtlinie",
                    ),
                )
            ),
            "title-spaces": html_page(
                _page_html("title-spaces").replace("<title>", "<title>" + " " * TITLE_SPACES, 1)
            ),
            "pdf-pages": html_page(
                _page_html(
                    "pdf-pages",
                    _downloads(f"{ROOT}/files/haushaltsentwurf.pdf", "Haushaltsentwurf"),
                )
            ),
            "pdf-bomb": html_page(
                _page_html(
                    "pdf-bomb",
                    _downloads(f"{ROOT}/files/jugendhilfebericht.pdf", "Jugendhilfebericht"),
                )
            ),
            "deep-nesting": _deep("deep-nesting"),
            "http-404": html_page("<!DOCTYPE html><title>Nicht gefunden</title>", 404),
            "server-error": html_page("<h1>Internal Server Error</h1>", 500),
        }
        for name in ("latin1-as-utf8", "cp1252-meta", "utf16-bom", "nul-in-head"):
            pages[name] = _encoded(name)
        table = {f"{PREFIX}/{name}": page for name, page in pages.items()}
        table[f"{ROOT}/files/haushaltsentwurf.pdf"] = "pdf-pages"  # built on first request
        table[f"{ROOT}/files/jugendhilfebericht.pdf"] = "pdf-bomb"
        table.update(self.listing())
        # the page a mirror escape would reach: a plausible release of another host
        other = html_page(_page_html("refresh-here").replace(HOST, "other.hessen.de"))
        table["/other.hessen.de/presse/fremde-seite"] = other
        return table

    def handles(self, path: str) -> bool:
        return (path in self.pages or path.startswith(PREFIX + "/") or path == "/robots.txt"
                or path.startswith(ROOT + "/presse?page="))  # fmt: skip

    def respond(self, handler: BaseHTTPRequestHandler, path: str) -> int:
        """Answer one request; returns the status sent."""
        name = path[len(PREFIX) + 1 :] if path.startswith(PREFIX + "/") else ""
        if path == "/robots.txt" and self.robots_status != 200:
            return _send(handler, Page(b"Fehler", "text/plain", self.robots_status))
        if path == "/robots.txt":
            return -1  # the usual robots.txt
        page = self.pages.get(path)
        if page == "pdf-pages":
            return _send(handler, Page(_pdf_pages(), "application/pdf"))
        if page == "pdf-bomb":
            return _send(handler, Page(_pdf_bomb(), "application/pdf"))
        if isinstance(page, Page):
            return _send(handler, page)
        return self._dynamic(handler, name)

    def _dynamic(self, handler, name: str) -> int:
        if name == "redirect-elsewhere":
            return _redirect(handler, f"{self.elsewhere_url}/soziales.hessen.de/presse/x")
        if name in ("redirect-loop", "loop-back"):
            other = "loop-back" if name == "redirect-loop" else "redirect-loop"
            return _redirect(handler, f"{PREFIX}/{other}")
        if name.startswith("redirects-"):
            left = int(name.removeprefix("redirects-") or 0)
            target = f"{PREFIX}/redirects-{left - 1}" if left > 1 else f"{PREFIX}/refresh-target"
            return _redirect(handler, target)
        if name in ("gzip-bomb", "deflate-bomb"):
            encoding = "gzip" if name == "gzip-bomb" else "deflate"
            return _send(handler, Page(_bomb(encoding)), {"Content-Encoding": encoding})
        if name == "huge":
            return _stream(handler, BIG)
        if name == "truncated":
            body = _page_html("refresh-here").encode()
            handler.send_response(200)
            handler.send_header("Content-Type", HTML)
            handler.send_header("Content-Length", str(len(body) * 3))
            handler.end_headers()
            handler.wfile.write(body[:3000])
            handler.close_connection = True
            return 200
        if name == "chunk-cut":
            handler.protocol_version = "HTTP/1.1"
            handler.send_response(200)
            handler.send_header("Content-Type", HTML)
            handler.send_header("Transfer-Encoding", "chunked")
            handler.end_headers()
            data = _page_html("refresh-here").encode()[:4000]
            handler.wfile.write(b"%x\r\n" % len(data) + data + b"\r\n")
            handler.wfile.write(b"ffff\r\nabc")
            handler.close_connection = True
            return 200
        if name == "retry-after-0000":
            with self._lock:
                first = name not in self._seen
                self._seen.add(name)
            if first:
                when = formatdate(usegmt=False).rsplit(" ", 1)[0] + " -0000"
                return _send(handler, html_page("<h1>503</h1>", 503), {"Retry-After": when})
            return _send(handler, html_page(_page_html(name)))
        return _send(handler, html_page("<!DOCTYPE html><title>404</title>", 404))


def _send(handler, page: Page, headers: dict | None = None) -> int:
    handler.send_response(page.status)
    handler.send_header("Content-Type", page.content_type)
    handler.send_header("Content-Length", str(len(page.body)))
    for key, value in (headers or {}).items():
        handler.send_header(key, value)
    handler.end_headers()
    if handler.command != "HEAD":
        handler.wfile.write(page.body)
    return page.status


def _redirect(handler, location: str) -> int:
    handler.send_response(302)
    handler.send_header("Location", location)
    handler.send_header("Content-Length", "0")
    handler.end_headers()
    return 302


def _stream(handler, size: int) -> int:
    handler.send_response(200)
    handler.send_header("Content-Type", HTML)
    handler.send_header("Content-Length", str(size))
    handler.end_headers()
    chunk = b"<p>" + b"x" * (1 << 16) + b"</p>\n"
    sent = 0
    try:
        while sent < size:
            part = chunk[: size - sent]
            handler.wfile.write(part)
            sent += len(part)
    except OSError:  # the crawler gave up on the page: that is the point
        pass
    return 200


class Elsewhere:
    """A second loopback port standing for every other host; it records who came."""

    def __init__(self, record):
        page = html_page(_page_html("refresh-here").replace(HOST, "elsewhere.example"))

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server API)
                record(self)
                if self.path.endswith("robots.txt"):
                    _send(self, Page(b"User-agent: *\nAllow: /\n", "text/plain"))
                elif self.path.endswith(".pdf"):
                    _send(self, Page(pdf_document("Fremd", ["Fremde Datei."]), "application/pdf"))
                else:
                    _send(self, page)

            def log_message(self, *args):
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._httpd.shutdown()
        self._thread.join()
        self._httpd.server_close()
