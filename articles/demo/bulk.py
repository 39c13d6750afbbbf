"""Bulk loading into empty tables: their secondary indexes, unique and foreign-key constraints are
dropped for the load and made again after it, inside the loader's transaction.

Building an index once over the loaded rows is one sort; keeping it during the load is a B-tree
descent per row and index (a GIN index's too), and a deferred foreign key queues a check per row
that runs, one index probe at a time, when the transaction commits. Only tables empty at the start
are treated so: adding to a large table keeps its indexes (rebuilding them would cost more than
it saves). The primary keys stay (other tables' foreign keys and ON CONFLICT need them), as do
CHECK constraints (evaluated on the row in hand). Everything runs in the caller's transaction:
a failure rolls the schema back with the rows.
"""

import contextlib
import time

from django.db import connection

# An index build sorts in memory up to this much (the GIN index of the search vectors above all).
BUILD_MEMORY = "256MB"


def _quoted(name: str) -> str:
    return connection.ops.quote_name(name)


def _is_empty(cursor, table: str) -> bool:
    cursor.execute(f"SELECT NOT EXISTS (SELECT FROM {_quoted(table)})")
    return cursor.fetchone()[0]


def _constraints(cursor, table: str) -> list[tuple[str, str, str]]:
    """[(kind, name, definition)]: foreign keys, then unique constraints no foreign key uses."""
    cursor.execute(
        """
        SELECT c.contype, c.conname, pg_get_constraintdef(c.oid)
        FROM pg_constraint c
        WHERE c.conrelid = %s::regclass AND (
            c.contype = 'f' OR (c.contype = 'u' AND NOT EXISTS (
                SELECT FROM pg_constraint f WHERE f.contype = 'f' AND f.conindid = c.conindid)))
        ORDER BY c.contype = 'u', c.conname
        """,
        [table],
    )
    return cursor.fetchall()


def _indexes(cursor, table: str) -> list[tuple[str, str]]:
    """[(name, CREATE INDEX statement)] of the indexes that are no constraint's."""
    cursor.execute(
        """
        SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
        FROM pg_index i
        WHERE i.indrelid = %s::regclass AND NOT i.indisprimary
          AND NOT EXISTS (SELECT FROM pg_constraint c WHERE c.conindid = i.indexrelid)
        ORDER BY 1
        """,
        [table],
    )
    return cursor.fetchall()


@contextlib.contextmanager
def indexes_after_load(tables, *, timings: dict | None = None):
    """Drop the secondary indexes and the unique and foreign-key constraints of those `tables`
    that are empty now; make them again when the block ends without an error. Must run inside a
    transaction. `timings`, when given, gets "indexes": the seconds spent making them again."""
    if not connection.in_atomic_block:
        raise RuntimeError("indexes_after_load must run inside a transaction")
    dropped = []  # (table, constraints, indexes)
    with connection.cursor() as cursor:
        # A table with pending deferred checks cannot be altered: they run now, and the rest of
        # the transaction checks its rows as it goes (as `related.rebuild_postings` does too).
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for table in tables:
            if not _is_empty(cursor, table):
                continue
            constraints, indexes = _constraints(cursor, table), _indexes(cursor, table)
            for _, name, _ in constraints:
                cursor.execute(f"ALTER TABLE {_quoted(table)} DROP CONSTRAINT {_quoted(name)}")
            for name, _ in indexes:
                cursor.execute(f"DROP INDEX {name}")  # regclass text: already quoted if need be
            dropped.append((table, constraints, indexes))
    yield
    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = %s", [BUILD_MEMORY])
        for table, constraints, indexes in dropped:
            for _, statement in indexes:
                cursor.execute(statement)
            # Unique constraints first: a foreign key may need one of this table's.
            for _, name, definition in sorted(constraints, key=lambda c: c[0] != "u"):
                cursor.execute(
                    f"ALTER TABLE {_quoted(table)} ADD CONSTRAINT {_quoted(name)} {definition}"
                )
        cursor.execute("RESET maintenance_work_mem")
    if timings is not None:
        timings["indexes"] = time.monotonic() - started
