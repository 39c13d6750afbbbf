"""Development tools, never imported in production: the embedded PostgreSQL that the
development entry points start when DATABASE_URL is unset, and helpers for local servers."""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def use_embedded_postgres_if_unset() -> None:
    """With no DATABASE_URL, start (or join) the embedded PostgreSQL under `.data/postgres`
    (EMBEDDED_PGDATA overrides) and set DATABASE_URL, for this process and its children.
    Called by manage.py, the test settings and `python -m bench`, before settings load."""
    if os.environ.get("DATABASE_URL"):
        return
    from newsroom.dev.embedded_postgres import database_url

    os.environ["DATABASE_URL"] = database_url(BASE_DIR / ".data" / "postgres")
