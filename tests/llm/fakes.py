"""Small real HTTP servers that misbehave on purpose: the safety net must hold whatever
an OpenAI-compatible endpoint answers."""
from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def completion(text: str, finish: str = "stop") -> bytes:
    return json.dumps({"id": "x", "object": "chat.completion", "choices": [
        {"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": finish}]}).encode()


class FakeServer:
    """``behave(request_json) -> (status, body bytes)`` or the strings 'endless' / 'hang'."""

    def __init__(self, behave):
        self.requests: list[dict] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def do_POST(self):
                n = int(self.headers.get("Content-Length", 0))
                req = json.loads(self.rfile.read(n) or b"{}")
                outer.requests.append(req)
                what = behave(req)
                try:
                    if what == "hang":
                        time.sleep(30)
                        return
                    if what == "endless":  # a 200 that never ends: bytes, slowly, forever
                        self.send_response(200)
                        self.send_header("Content-Type", "application/json")
                        self.end_headers()
                        self.wfile.write(b'{"choices": [{"message": {"content": "')
                        for _ in range(3000):
                            self.wfile.write(b"#pragma omp parallel for ")
                            self.wfile.flush()
                            time.sleep(0.01)
                        return
                    status, body = what
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def always(text: str):
    return lambda req: (200, completion(text))
