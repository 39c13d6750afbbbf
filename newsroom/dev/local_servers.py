"""Servers started on this machine by `make bench`, `make load` and the tests: a free port
to bind, and waiting until one answers."""

import socket
import time
import urllib.request


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def answers(url: str, server=None, timeout: float = 60) -> bool:
    """Wait until `url` answers 200: True then; False after `timeout` seconds, or at once
    when the server process (a Popen) has exited. The caller says why, with its log."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return True
        except OSError:
            pass
        if (server is not None and server.poll() is not None) or time.monotonic() > deadline:
            return False
        time.sleep(0.3)
