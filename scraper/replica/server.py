"""Serve the replica over HTTP on 127.0.0.1 (``ReplicaServer``)."""

from __future__ import annotations

import hashlib
import sys
import threading
import time
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import NamedTuple

from .pages import Page, html_page
from .site import routes

NOT_FOUND = html_page("<!DOCTYPE html><title>Seite nicht gefunden</title><h1>404</h1>", 404)
NOT_MODIFIED = Page(b"", status=304)
TOO_MANY = html_page("<!DOCTYPE html><title>Zu viele Anfragen</title><h1>429</h1>", 429)


class Hit(NamedTuple):
    """One request as the replica saw it (``at`` is ``time.monotonic()``)."""

    at: float
    path: str
    status: int
    user_agent: str
    host: str = ""  # the request's Host header (``hostile`` mode: which port it came to)


def _fresh(request, etag: str, modified: str) -> bool:
    """Whether a conditional request's validators still match (``If-None-Match`` first)."""
    if request.get("If-None-Match"):
        return etag in {tag.strip() for tag in request["If-None-Match"].split(",")}
    try:
        since = parsedate_to_datetime(request.get("If-Modified-Since", ""))
    except (TypeError, ValueError):
        return False
    return since >= parsedate_to_datetime(modified)


class ReplicaServer:
    """The replica on a loopback port, in a background thread or the foreground.

    ``edited``, ``faults`` and ``withdrawn`` may be switched at any time; every request
    reads them. ``requests`` lists every requested path (with query) in arrival order,
    ``hits`` the same with time, status and user agent. Pages answer with an ``ETag`` and
    ``Last-Modified`` (when this text was first served) and ``304`` to a conditional
    request that still matches; with ``validators`` set to False they send neither and
    always answer in full, as many real servers do. Each path in ``throttle`` answers its
    first request with ``429 Too Many Requests`` and ``Retry-After: <retry_after>``.
    """

    def __init__(self, port: int = 0, edited: bool = False, faults: bool = False,
                 verbose: bool = False, withdrawn: bool = False, throttle=(),
                 retry_after: int = 1, hostile: bool = False,
                 canary: str = "/etc/passwd") -> None:  # fmt: skip
        self.edited = edited
        self.faults = faults
        self.validators = True
        self.verbose = verbose
        self.withdrawn = withdrawn
        self.throttle = set(throttle)
        self.retry_after = retry_after
        self.requests: list[str] = []
        self.hits: list[Hit] = []
        self._first_served: dict[tuple[str, str], str] = {}
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._httpd = ThreadingHTTPServer(("127.0.0.1", port), self._handler_class())
        self._httpd.daemon_threads = True
        self.port: int = self._httpd.server_address[1]
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.hostile = None  # ``hostile`` mode: the HostileSite and its second port
        self.elsewhere = None
        if hostile:
            from .hostile import Elsewhere, HostileSite

            self.elsewhere = Elsewhere(self._record)
            self.hostile = HostileSite(self.base_url, self.elsewhere.url, canary)

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        replica = self

        class Handler(BaseHTTPRequestHandler):
            server_version = "Replica/1.0"

            def do_GET(self) -> None:  # noqa: N802 (http.server API)
                self._respond(body=True)

            def do_HEAD(self) -> None:  # noqa: N802
                self._respond(body=False)

            def _respond(self, body: bool) -> None:
                hostile = replica.hostile
                if hostile and hostile.handles(self.path):
                    status = hostile.respond(self, self.path)
                    if status >= 0:
                        replica._record(self, status)
                        return
                page, headers = replica._page(self.path, self.headers)
                replica._record(self, page.status)
                self.send_response(page.status)
                for name, value in headers.items():
                    self.send_header(name, value)
                if page.status != 304:
                    self.send_header("Content-Type", page.content_type)
                    self.send_header("Content-Length", str(len(page.body)))
                self.end_headers()
                if body:
                    self.wfile.write(page.body)

            def log_message(self, format: str, *args) -> None:  # noqa: A002
                if replica.verbose:
                    sys.stderr.write(f"replica: {format % args}\n")

        return Handler

    def _record(self, handler: BaseHTTPRequestHandler, status: int = 0) -> None:
        agent = handler.headers.get("User-Agent", "")
        host = handler.headers.get("Host", "")
        with self._lock:
            self.requests.append(handler.path)
            self.hits.append(Hit(time.monotonic(), handler.path, status, agent, host))

    def _page(self, path: str, request) -> tuple[Page, dict[str, str]]:
        """The page for ``path`` and its extra headers, given the request's headers."""
        with self._lock:
            if path in self.throttle:
                self.throttle.discard(path)
                return TOO_MANY, {"Retry-After": str(self.retry_after)}
        page = routes(self.edited, self.faults, self.withdrawn).get(path, NOT_FOUND)
        if page.status != 200 or not self.validators:
            return page, {}
        etag = f'"{hashlib.sha256(page.body).hexdigest()[:24]}"'
        with self._lock:
            modified = self._first_served.setdefault((path, etag), formatdate(usegmt=True))
        validators = {"ETag": etag, "Last-Modified": modified}
        return (NOT_MODIFIED if _fresh(request, etag, modified) else page), validators

    def start(self) -> ReplicaServer:
        """Serve in a daemon thread; returns self."""
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        """Serve in the foreground until interrupted (for the CLI)."""
        try:
            self._httpd.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            self._httpd.server_close()

    def stop(self) -> None:
        """Stop serving and release the port."""
        if self.elsewhere:
            self.elsewhere.stop()
            self.elsewhere = None
        if self._thread:
            self._httpd.shutdown()
            self._thread.join()
            self._thread = None
        self._httpd.server_close()

    def __enter__(self) -> ReplicaServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
