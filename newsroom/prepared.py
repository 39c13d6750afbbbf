"""Querysets compiled to SQL once per process, then run again with new values.

Turning a queryset into SQL is pure Python, and for the pages' queries (an article with its
section, live coverage and five JSON relations; the related-articles ranking) it cost more
than running them: about 1.4 ms of CPU per query on the development machine, against 0.5 ms
for sending it and reading the rows (docs/benchmarks.md, "Uncached pages"). A page asks the
same questions with different values (which article, what time it is), so the SQL is the same
every time and only its parameters change.

    ARTICLE = Prepared(lambda now, pk: Article.objects.published(now=now).filter(pk=pk))
    ARTICLE(timezone.now(), 42)   # a list of the rows, as list(queryset) would give

How: the builder is called once with *markers* for its arguments (values no real call passes:
a moment in 1901, negative numbers, lists of them), compiled, and the positions where each
marker landed in the parameter list are noted. A call copies the compiled compiler and hands it
the same SQL with the call's values in those positions; the ORM turns the rows into objects as
usual (select_related, annotations, deferred fields, custom iterables).

What the builder may do: anything, as long as the SQL depends only on the active language and
the database, never on the arguments' values. Lists must reach the SQL as ONE parameter
(`= ANY(%s)` in raw SQL; `pk__in=[...]` would write one placeholder per item). Values derived
from an argument (`now - timedelta(...)`) must be arguments themselves. Both rules are checked
when a query is first prepared: it is compiled twice with two sets of markers, and any
difference other than the markers' own positions raises `PreparedQueryError`.

Compiled entries are kept per language (the SQL is the same on the primary and its replicas);
a process compiles each query at most once per language.

On PostgreSQL the SQL is also prepared on the server (`PREPARE`, once per connection), with the
arguments as typed parameters and every other value written in as a constant (so partial
indexes still apply), and calls send `EXECUTE name(values)`: PostgreSQL then parses each query
once per connection and can keep its plan, which cost it about as much as running the page's
queries. `DATABASE_PREPARED_STATEMENTS=0` turns this off (a connection pooler in transaction
mode, such as PgBouncer's, does not keep prepared statements between transactions).
"""

import copy
import datetime
import hashlib
import re
import threading
import weakref
from collections.abc import Callable

from django.conf import settings
from django.db import DatabaseError, connections, router
from django.db.models import QuerySet
from django.utils.translation import get_language


class PreparedQueryError(ValueError):
    """The builder's SQL depends on its arguments' values: it cannot be prepared."""


class Moment:
    """Marks an argument that is a date and time (timezone-aware)."""


class Number:
    """Marks an argument that is an integer."""


class Numbers:
    """Marks an argument that is a list of integers (one array parameter)."""


def _markers(kinds, salt):
    markers = []
    for n, kind in enumerate(kinds):
        if kind is Moment:
            markers.append(
                datetime.datetime(1901, 1 + salt, 1 + n, 3, 4, 5, 678, tzinfo=datetime.UTC)
            )
        elif kind is Number:
            markers.append(-(7_000_000 + 1_000 * salt + n))
        elif kind is Numbers:
            # Of another length in each compile, so a placeholder per item shows.
            markers.append([-(8_000_000 + 1_000 * salt + 10 * n + i) for i in range(salt)])
        else:
            raise TypeError(f"unknown argument kind {kind!r}")
    return markers


_SQL_TYPES = {Moment: "timestamptz", Number: "bigint", Numbers: "bigint[]"}
_PLACEHOLDER = re.compile(r"%[%s]")
# The statements prepared on each (raw DB-API) connection: a new connection starts with none.
_prepared_on: "weakref.WeakKeyDictionary[object, set[str]]" = weakref.WeakKeyDictionary()


def server_side_statements() -> bool:
    return bool(getattr(settings, "DATABASE_PREPARED_STATEMENTS", True))


class _Compiled:
    def __init__(self, queryset, compiler, sql, params, slots, kinds):
        self.queryset = queryset
        self.compiler = compiler
        self.sql = sql
        self.params = params
        self.slots = slots  # [(position in params, argument index)]
        self.kinds = kinds
        self.statement = None  # (name, PREPARE text), made on first use

    def prepare_text(self, raw_connection) -> tuple[str, str]:
        """The statement's name and its PREPARE: `$n` for argument n, constants written in
        (quoted by the driver, as it would have quoted them in each query)."""
        if self.statement is None:
            by_position = dict(self.slots)
            quote = raw_connection.cursor().mogrify
            positions = iter(range(len(self.params)))

            def replace(match):
                if match.group() == "%%":
                    return "%"
                position = next(positions)
                if position in by_position:
                    argument = by_position[position]
                    return f"${argument + 1}"
                return quote("%s", [self.params[position]]).decode()

            body = _PLACEHOLDER.sub(replace, self.sql)
            types = ", ".join(_SQL_TYPES[kind] for kind in self.kinds)
            name = "nr_" + hashlib.md5(body.encode(), usedforsecurity=False).hexdigest()[:20]
            self.statement = (name, f"PREPARE {name} ({types}) AS {body}")
        return self.statement

    def params_for(self, args):
        values = list(self.params)
        for position, argument in self.slots:
            values[position] = args[argument]
        return tuple(values)


class Prepared:
    """A queryset builder whose SQL is compiled once per database and language."""

    def __init__(self, build: Callable[..., QuerySet], *kinds):
        self.build = build
        self.kinds = kinds
        self._compiled: dict[tuple, _Compiled] = {}
        self._lock = threading.Lock()

    def __call__(self, *args) -> list:
        """The rows of the builder's queryset for these arguments, as the ORM gives them."""
        if len(args) != len(self.kinds):
            raise TypeError(f"expected {len(self.kinds)} arguments, got {len(args)}")
        compiled = self._entry()
        # The database is chosen per call, as the queryset would (a replica, or the primary
        # when this request wrote); the SQL is the same on each.
        alias = router.db_for_read(compiled.queryset.model)
        connection = connections[alias]
        if connection.vendor == "postgresql" and server_side_statements():
            try:
                return self._run(compiled, alias, *_executed(connection, compiled, args))
            except DatabaseError as error:
                # Someone dropped the session's statements (DISCARD ALL): prepare again, once,
                # when no transaction was spoiled by the failure.
                if (
                    getattr(error.__cause__, "pgcode", None) != "26000"
                    or connection.in_atomic_block
                ):
                    raise
                _prepared_on.pop(connection.connection, None)
                return self._run(compiled, alias, *_executed(connection, compiled, args))
        return self._run(compiled, alias, compiled.sql, compiled.params_for(args))

    def _run(self, compiled, alias, sql, params) -> list:
        run = copy.copy(compiled.compiler)
        run.using, run.connection = alias, connections[alias]
        run.as_sql = lambda *a, **k: (sql, params)
        queryset = compiled.queryset.using(alias)
        # The copy answers this one evaluation; the queryset is not handed out, so nothing can
        # filter it further and run the old SQL by mistake.
        queryset.query.get_compiler = lambda *a, **k: run
        return list(queryset)

    def sql_with_params(self, *args) -> tuple[str, tuple]:
        """The SQL and parameters a call runs (tests compare them with a fresh compile)."""
        compiled = self._entry()
        return compiled.sql, compiled.params_for(args)

    def _entry(self) -> _Compiled:
        key = (get_language(),)
        compiled = self._compiled.get(key)
        if compiled is None:
            with self._lock:
                compiled = self._compiled.get(key) or self._prepare()
                self._compiled[key] = compiled
        return compiled

    def _compile(self, salt):
        markers = _markers(self.kinds, salt)
        queryset = self.build(*markers)
        compiler = queryset.query.get_compiler(using=queryset.db)
        sql, params = compiler.as_sql()
        return markers, queryset, compiler, sql, tuple(params)

    def _prepare(self) -> _Compiled:
        markers, queryset, compiler, sql, params = self._compile(1)
        other_markers, _, _, other_sql, other_params = self._compile(2)
        name = getattr(self.build, "__qualname__", repr(self.build))
        if sql != other_sql or len(params) != len(other_params):
            raise PreparedQueryError(f"{name}: the SQL changes with the arguments' values")
        slots = []
        for position, (value, other) in enumerate(zip(params, other_params, strict=True)):
            found = [n for n, marker in enumerate(markers) if _same(value, marker)]
            if found:
                if not _same(other, other_markers[found[0]]):
                    raise PreparedQueryError(f"{name}: parameter {position} moved")
                slots.append((position, found[0]))
            elif not _same(value, other):
                raise PreparedQueryError(
                    f"{name}: parameter {position} ({value!r}) depends on the arguments "
                    "without being one of them"
                )
        missing = set(range(len(markers))) - {argument for _, argument in slots}
        if missing:
            raise PreparedQueryError(f"{name}: arguments {sorted(missing)} never reach the SQL")
        return _Compiled(queryset, compiler, sql, params, slots, self.kinds)


def _executed(connection, compiled, args) -> tuple[str, tuple]:
    name = _ensure_prepared(connection, compiled)
    return f"EXECUTE {name}({', '.join(['%s'] * len(args))})", tuple(args)


def _ensure_prepared(connection, compiled) -> str:
    """Prepares `compiled` on this thread's connection unless it already is; its name.
    Sent on the driver's own cursor, so it is not counted as one of the page's queries."""
    connection.ensure_connection()
    raw = connection.connection
    name, text = compiled.prepare_text(raw)
    names = _prepared_on.get(raw)
    if names is None:
        names = _prepared_on[raw] = set()
    if name not in names:
        # Driver errors become Django's (a statement timeout is an OperationalError: a 503).
        with connection.wrap_database_errors, raw.cursor() as cursor:
            cursor.execute(text)
        names.add(name)
    return name


def _same(value, marker) -> bool:
    return type(value) is type(marker) and value == marker
