"""A real HTTP server on localhost that plays a drafting system's webhook endpoint."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Receiver:
    """Records every request; answers with `statuses` in turn (the last one repeats).

    `body` replaces the default response body ("status <code>"); `headers` are
    added to every response (e.g. a `Location` for a redirect).
    """

    def __init__(self, statuses=(200,), *, body: bytes | None = None, headers: dict | None = None):
        self.statuses = list(statuses)
        self.requests: list[dict] = []
        self.arrived = threading.Event()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self):
                body_in = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                try:
                    parsed = json.loads(body_in) if body_in else None
                except ValueError:
                    parsed = None
                receiver.requests.append(
                    {"method": self.command, "headers": dict(self.headers), "body": body_in, "json": parsed}
                )
                status = receiver.statuses.pop(0) if len(receiver.statuses) > 1 else receiver.statuses[0]
                self.send_response(status)
                self.send_header("Content-Type", "text/plain")
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body if body is not None else f"status {status}".encode())
                receiver.arrived.set()

            do_POST = _answer
            do_GET = _answer

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/hooks/vetted"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
