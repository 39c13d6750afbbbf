"""Benchmarks run by `make bench` (`python -m bench`), and what `make load` (bench.load) shares.

Every benchmark module (BENCHMARKS) exposes `run(report, *, articles)`; `report(name, value, unit)`
prints one `name: value unit` line. The command has already pointed the default database
connection at a bench database holding a synthetic corpus of `articles` articles; modules that
need a corpus of another size use `bench_database()`.
"""

import contextlib
import functools
import importlib
import os
import statistics
import sys
import time
from urllib.parse import quote

import psycopg2
from django.conf import settings
from django.core.management import call_command
from django.db import connections

DEFAULT_ARTICLES = 100_000
CORPUS_SEED = 1


BENCHMARKS = ("pages", "related", "search", "wire")


def modules():
    """Every benchmark module, in name order."""
    for name in BENCHMARKS:
        yield importlib.import_module(f"{__name__}.{name}")


def percentile(samples, fraction: float) -> float:
    ordered = sorted(samples)
    if len(ordered) == 1:
        return ordered[0]
    return statistics.quantiles(ordered, n=100, method="inclusive")[round(fraction * 100) - 1]


def log(message: str) -> None:
    """Progress goes to stderr; stdout carries only the figures."""
    print(message, file=sys.stderr, flush=True)


def timed(function, *args, **kwargs) -> float:
    """Milliseconds one call takes."""
    started = time.perf_counter()
    function(*args, **kwargs)
    return (time.perf_counter() - started) * 1000


# --- Bench databases ---


@functools.cache
def _base() -> dict:
    """The default database's settings as they were before any bench database was switched
    in (read on first use: `python -m bench` imports this package before Django is set up)."""
    return dict(settings.DATABASES["default"])


def database_name(articles: int) -> str:
    prefix = os.environ.get("BENCH_DATABASE") or f"{_base()['NAME']}_bench"
    return f"{prefix}_{articles}"


def database_url(name: str) -> str:
    """A DATABASE_URL for `name` on the same server, for the processes the benchmarks start."""
    user = quote(_base().get("USER") or "", safe="")
    password = quote(_base().get("PASSWORD") or "", safe="")
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    # The embedded server's socket folder arrives as OPTIONS["host"] (…?host=/tmp/…).
    options = _base().get("OPTIONS") or {}
    host = quote(_base().get("HOST") or options.get("host") or "", safe="")
    port = _base().get("PORT") or options.get("port")
    port = f":{port}" if port else ""
    return f"postgres://{auth}{host}{port}/{quote(name, safe='')}"


def _server():
    """A maintenance connection to the same server (the embedded one's socket folder arrives
    in OPTIONS, like in `database_url`)."""
    options = _base().get("OPTIONS") or {}
    conn = psycopg2.connect(
        dbname="postgres",
        user=_base().get("USER") or None,
        password=_base().get("PASSWORD") or None,
        host=_base().get("HOST") or options.get("host") or None,
        port=_base().get("PORT") or options.get("port") or None,
    )
    conn.autocommit = True
    return conn


def _marker(articles: int) -> str:
    return f"newsroom bench corpus: {articles} articles, seed {CORPUS_SEED}"


def _built_in(comment: str | None) -> str:
    """The build time a bench database's comment records ("…; built in 512 s"), or ""."""
    _, _, built = (comment or "").partition("; built in ")
    return built


def switch_database(name: str) -> None:
    connection = connections["default"]
    connection.close()
    connection.settings_dict["NAME"] = name


def prepare_database(articles: int, *, log=log, report=None) -> str:
    """Create (or, with BENCH_REUSE=1, reuse) the bench database holding `articles` synthetic
    articles, and point the default connection at it. Returns its name.

    With `report`, a database built here reports `corpus_build_s`: the wall time of
    `make_corpus` (rows, postings, search vectors, VACUUM ANALYZE; not the migrations). A reused
    database reports nothing (it was not built in this run); the time measured when it was built
    is kept in its comment and logged on stderr."""
    name = database_name(articles)
    reuse = os.environ.get("BENCH_REUSE", "").lower() in ("1", "true", "yes")
    server = _server()
    try:
        with server.cursor() as cursor:
            cursor.execute(
                "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
                [name],
            )
            row = cursor.fetchone()
            if reuse and row and (row[0] or "").split(";")[0] == _marker(articles):
                built = _built_in(row[0])
                log(
                    f"# reusing {name}" + (f" (corpus built in {built} when made)" if built else "")
                )
                switch_database(name)
                call_command("migrate", verbosity=0)
                return name
            if row:
                cursor.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            cursor.execute(f'CREATE DATABASE "{name}"')
        switch_database(name)
        started = time.monotonic()
        call_command("migrate", verbosity=0)
        corpus_started = time.monotonic()
        call_command("make_corpus", articles=articles, seed=CORPUS_SEED, stdout=sys.stderr)
        corpus_seconds = time.monotonic() - corpus_started
        connections["default"].close()
        log(f"# built {name}: {articles} articles in {time.monotonic() - started:.0f}s")
        if report is not None:
            report("corpus_build_s", corpus_seconds, "s")
        comment = f"{_marker(articles)}; built in {corpus_seconds:.0f} s"
        with server.cursor() as cursor:
            cursor.execute(f"COMMENT ON DATABASE \"{name}\" IS '{comment}'")
    finally:
        server.close()
    return name


@contextlib.contextmanager
def bench_database(articles: int, *, log=log):
    """Point the default connection at a bench database of `articles` articles for the block."""
    previous = connections["default"].settings_dict["NAME"]
    name = prepare_database(articles, log=log)
    try:
        yield name
    finally:
        switch_database(previous)
