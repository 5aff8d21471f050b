"""Serve the replica over HTTP on 127.0.0.1 (``ReplicaServer``)."""

from __future__ import annotations

import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from .pages import html_page
from .site import routes

NOT_FOUND = html_page("<!DOCTYPE html><title>Seite nicht gefunden</title><h1>404</h1>", 404)


class ReplicaServer:
    """The replica on a loopback port, in a background thread or the foreground.

    ``edited`` and ``faults`` may be switched at any time; every request reads them.
    ``requests`` lists every requested path (with query) in arrival order.
    """

    def __init__(self, port: int = 0, edited: bool = False, faults: bool = False,
                 verbose: bool = False) -> None:  # fmt: skip
        self.edited = edited
        self.faults = faults
        self.verbose = verbose
        self.requests: list[str] = []
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._httpd = ThreadingHTTPServer(("127.0.0.1", port), self._handler_class())
        self._httpd.daemon_threads = True
        self.port: int = self._httpd.server_address[1]
        self.base_url = f"http://127.0.0.1:{self.port}"

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        replica = self

        class Handler(BaseHTTPRequestHandler):
            server_version = "Replica/1.0"

            def do_GET(self) -> None:  # noqa: N802 (http.server API)
                self._respond(body=True)

            def do_HEAD(self) -> None:  # noqa: N802
                self._respond(body=False)

            def _respond(self, body: bool) -> None:
                with replica._lock:
                    replica.requests.append(self.path)
                page = routes(replica.edited, replica.faults).get(self.path, NOT_FOUND)
                self.send_response(page.status)
                self.send_header("Content-Type", page.content_type)
                self.send_header("Content-Length", str(len(page.body)))
                self.end_headers()
                if body:
                    self.wfile.write(page.body)

            def log_message(self, format: str, *args) -> None:  # noqa: A002
                if replica.verbose:
                    sys.stderr.write(f"replica: {format % args}\n")

        return Handler

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
        if self._thread:
            self._httpd.shutdown()
            self._thread.join()
            self._thread = None
        self._httpd.server_close()

    def __enter__(self) -> ReplicaServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
