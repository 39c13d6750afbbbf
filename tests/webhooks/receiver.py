"""A real HTTP receiver for webhook tests: http.server in a thread on a free port, answering
from a script and keeping every request it got."""

import http.server
import json
import threading
import time
from dataclasses import dataclass

from newsroom.dev.local_servers import free_port


@dataclass
class Received:
    headers: dict
    body: bytes

    @property
    def document(self):
        return json.loads(self.body)


class Receiver:
    """`answers`: what to do with the 1st, 2nd, … request: a status code, ("sleep", seconds)
    or "block" (wait until `release()`); 200 after the script ends."""

    def __init__(self, answers=(), port=None):
        self.answers = list(answers)
        self.received: list[Received] = []
        self.got_request = threading.Event()
        self.released = threading.Event()
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}/hook"
        self._server = None

    def start(self):
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append(Received(dict(self.headers.items()), body))
                receiver.got_request.set()
                answer = receiver.answers.pop(0) if receiver.answers else 200
                if answer == "block":
                    receiver.released.wait(30)
                    answer = 200
                elif isinstance(answer, tuple):
                    time.sleep(answer[1])
                    answer = 200
                try:
                    self.send_response(answer)
                    self.send_header("Content-Length", "2")
                    self.end_headers()
                    self.wfile.write(b"ok")
                except OSError:
                    pass  # the sender gave up waiting

            def log_message(self, *args):
                pass

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def release(self):
        self.released.set()

    def stop(self):
        self.release()
        if self._server:
            self._server.shutdown()
            self._server.server_close()

    @property
    def event_ids(self):
        return [r.headers["X-Newsroom-Event-Id"] for r in self.received]
