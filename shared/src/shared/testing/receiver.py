"""A real HTTP receiver on 127.0.0.1 for webhook and callback tests.

It records every POST (headers and raw body, which a signature check needs) and
answers the statuses queued for it, then ``default_status``: a receiver that fails
twice and then accepts is ``WebhookReceiver([500, 500])``.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class WebhookReceiver:
    """A threaded HTTP server; ``url`` to subscribe, ``requests`` to inspect."""

    def __init__(self, statuses: list[int] | None = None, *, default_status: int = 204) -> None:
        self.requests: list[tuple[dict[str, str], bytes]] = []
        self.statuses = list(statuses or [])
        self._lock = threading.Lock()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("content-length", "0"))
                body = self.rfile.read(length)
                if len(body) < length:  # the sender died mid-request: nothing was delivered
                    self.close_connection = True
                    return
                with outer._lock:
                    outer.requests.append((dict(self.headers.items()), body))
                    status = outer.statuses.pop(0) if outer.statuses else default_status
                self.send_response(status)
                if 300 <= status < 400:
                    self.send_header("location", "http://127.0.0.1:9/elsewhere")
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def events(self) -> list[dict[str, Any]]:
        """The JSON bodies received so far."""
        with self._lock:
            return [json.loads(body) for _, body in self.requests]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
