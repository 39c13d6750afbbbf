"""Starting and waiting for a local server: shared by `make bench` and `make load`.

(The leading underscore keeps this module out of the list of benchmarks.)
"""

import socket
import time
import urllib.request


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, server=None, timeout: float = 60) -> None:
    """Return once `url` answers 200; give up after `timeout` seconds, or at once when the
    server process (a Popen) has exited."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            if server is not None and server.poll() is not None:
                raise SystemExit("the server did not start: see its log above") from None
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)
