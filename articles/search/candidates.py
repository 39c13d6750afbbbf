"""Which articles `search()` ranks: the RANKED newest matches of a query, found by plans whose
cost is bounded whatever the archive size (docs/search.md, "Queries and ranking").

Ranking reads each candidate's whole vector, and a common word can match most of the archive,
so only the newest matches are ranked. Reading a common word's whole posting list in the GIN
index is itself a cost that grows with the archive (at 1,000,000 articles a word found in a third
of them is 330,000 postings, about 40 ms), so common words are looked up in a second GIN index,
`article_search_week_idx` (migration 0017), whose terms are `<week>:<stem>`: the newest weeks'
posting lists of the query's stems are all that is read.
"""

import contextlib
import datetime
import math
import re
import time

from django.contrib.postgres.search import SearchQuery
from django.db import connection, transaction
from django.db.models import BooleanField, F, Func, QuerySet

RANKED = 200  # the most recent matches that are ranked
SMALL_MATCH_SET = 3_000  # up to this many matches are counted exactly and collected via GIN only
# A stem in more than this many articles is common: step 1 would read its whole posting list.
COMMON_STEM = 4 * SMALL_MATCH_SET
# Windows of newest articles (rows) searched when a query matches more than SMALL_MATCH_SET;
# newest_matches() starts with the one expected to hold about RANKED matches and widens from there.
RECENT_WINDOWS = (1_000, 4_000, 16_000, 64_000, 256_000, None)
# Windows up to this many rows also name their date range (see _weekly).
DATED_WINDOW = 16_000
# The week of the week index's terms: whole weeks since the Unix epoch (migration 0017).
WEEK_SECONDS = 7 * 86400


def newest_matches(
    queryset: QuerySet, parsed: str, words: SearchQuery, config: str
) -> tuple[list[int], int, bool]:
    """(the pks of the RANKED newest articles of `queryset` matching `words`, newest first; how
    many match, exact unless the third item, `more`, says that more than that many did).

    `parsed` is `words`' websearch text (engine.parse_query, quotes taken out). The plans:

    1. unless a stem every match must contain is common (the statistics of `search_vector`
       say how common; no statement is spent on estimates), count up to SMALL_MATCH_SET
       matches through the GIN index alone and keep the RANKED newest (a bitmap scan, which
       reads no vector: never a walk through the dates, which reads the whole table when a word
       is rare);
    2. when there are more, look at the newest articles only: a window of the newest rows sized
       from the expected frequency (so it should hold about RANKED matches), widened until it
       holds at least RANKED / 2. The window's matches come from the week index: the query's
       stems in the weeks the window spans, one small index scan per week, in one statement.
    """
    matching = queryset.filter(search_vector=words).order_by()
    model = queryset.model
    shares = _stem_shares(model, parsed)
    found: list[tuple] = []
    counted = None  # how many match, up to SMALL_MATCH_SET + 1, once counted
    if not _has_common_stem(model, parsed, shares):
        with _plan(seqscan=False, indexscan=False):
            found, counted = _newest_of_first(matching, SMALL_MATCH_SET)
    total, more = counted, False
    if counted is None or counted > SMALL_MATCH_SET:
        total, more = SMALL_MATCH_SET, True
        # rows a window needs to hold about RANKED matches, at the expected frequency (the
        # filters of `queryset` are not counted in: a section's window is widened instead)
        share = _expected_share(parsed, shares)
        needed = RANKED / max(share, SMALL_MATCH_SET / _table_rows(model))
        newest = matching.order_by("-published_at", "-pk")
        weekly = _weekly(queryset, parsed, words, config)
        for rows in RECENT_WINDOWS:
            if rows is not None and rows < needed / 2:
                continue
            boundary = _recent_boundary(model, rows)
            if boundary is None:  # the whole archive: its matches are few, count them
                with _plan(seqscan=False, indexscan=False):
                    if counted is None:
                        found, counted = _newest_of_first(matching, SMALL_MATCH_SET)
                    if counted <= SMALL_MATCH_SET:
                        total, more = counted, False
                    else:  # many, but old ones: the newest of them all (reads them all)
                        found = _rows(newest[:RANKED])
                break
            if weekly is not None:
                found = _newest_of(weekly(boundary, rows))
            else:
                with _plan(seqscan=False, indexscan=False):
                    found = _rows(newest.filter(published_at__gte=boundary)[:RANKED])
            if len(found) >= RANKED // 2:
                break
    found.sort(key=lambda row: (row[1], row[0]), reverse=True)
    return [pk for pk, _published_at in found[:RANKED]], total, more


# --- The week index ------------------------------------------------------------------------------


class WeekMatch(Func):
    """True when an article's week terms match one of `queries` (tsquery texts over
    `<week>:<stem>` terms): `article_search_week_terms(search_vector, published_at) @@ ANY(…)`,
    the expression of article_search_week_idx. Each query is one index scan of short posting
    lists (one tsquery OR-ing every week would be checked whole for every posting). The queries
    go in as constants, so the planner estimates them from the statistics of the index's
    expression: made inside the statement, they are unknown at planning time, and the planner's
    default guess (5 % of the table) leads it to AND large bitmaps of other indexes."""

    function = "article_search_week_terms"
    output_field = BooleanField()

    def __init__(self, queries: list[str]):
        super().__init__(F("search_vector"), F("published_at"))
        self.queries = queries

    def as_sql(self, compiler, connection, **extra):
        sql, params = super().as_sql(compiler, connection, **extra)
        return f"{sql} @@ ANY(%s::tsquery[])", (*params, self.queries)


def week_of(moment) -> int:
    """The week number of `moment` in the week index's terms (floor of epoch / WEEK_SECONDS)."""
    return int(moment.timestamp() // WEEK_SECONDS)


def week_start(week: int) -> datetime.datetime:
    return datetime.datetime.fromtimestamp(week * WEEK_SECONDS, tz=datetime.UTC)


# A lexeme in a tsquery's text form: quoted, a quote inside doubled.
_LEXEME = re.compile(r"'((?:[^']|'')*)'")
_PHRASE_OPERATOR = re.compile(r"<(?:-|\d+)>")
# Stems that PostgreSQL's parser keeps whole as one lexeme: Arabic or Latin letters, or digits.
_PLAIN_STEM = re.compile(r"[a-z]+|[\u0621-\u064a]+|[0-9]+")


def week_query(tree: str, week: int) -> str:
    """The tsquery text `tree` (without negation) with each lexeme moved into `week`; phrase
    operators become AND (week terms have no positions: phrases are checked on the
    candidates)."""
    moved = _LEXEME.sub(lambda match: f"'{week}:{match.group(1)}'", tree)
    return _PHRASE_OPERATOR.sub("&", moved)


def _positive_tree(parsed: str, config: str) -> str:
    """The indexable part of `parsed`'s tsquery (`querytree()`: exclusions left out), as text.
    Words only, all plain stems: written here, as websearch_to_tsquery would make it; anything
    else (`or`, other scripts, letters and digits mixed) is asked of PostgreSQL."""
    stems = [piece for piece in parsed.split() if piece[0] != "-"]
    if "or" not in stems and all(_PLAIN_STEM.fullmatch(stem) for stem in stems):
        return " & ".join(f"'{stem}'" for stem in stems)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT querytree(websearch_to_tsquery(%s::regconfig, %s))", [config, parsed]
        )
        return cursor.fetchone()[0]


def _weekly(queryset: QuerySet, parsed: str, words: SearchQuery, config: str):
    """A function of (boundary time, window rows) giving `queryset`'s articles whose week terms
    match `words` in the weeks from the boundary's to the current one (unordered); None when
    the query's words cannot all be looked up in an index (an alternative with an exclusion,
    `a or -b`)."""
    from django.utils import timezone

    pieces = parsed.split()
    excludes = any(piece.startswith("-") for piece in pieces)
    if excludes and "or" in pieces:
        return None
    tree = _positive_tree(parsed, config)
    if not tree or tree == "T":
        return None
    candidates = queryset
    if excludes:
        # the week terms leave exclusions out: check them on the window's rows (ts_match_vq is
        # `@@` as a function, which no index serves, so the plan stays on the week index)
        candidates = candidates.filter(
            Func(F("search_vector"), words, function="ts_match_vq", output_field=BooleanField())
        )
    last = week_of(timezone.now())

    def window(boundary, rows: int):
        first = week_of(boundary)
        matches = candidates.filter(
            WeekMatch([week_query(tree, w) for w in range(first, last + 1)])
        )
        if rows <= DATED_WINDOW:
            # the weeks' exact date range: lets the planner AND the week index's bitmap with a
            # small one of article_section_idx rather than a section's whole bitmap (over a
            # large window the date range's own bitmap would cost more than it saves)
            matches = matches.filter(published_at__gte=week_start(first))
        return matches.order_by()

    return window


# --- Statistics and plans ------------------------------------------------------------------------

_stem_cache: dict[str, tuple[float, dict[str, float]]] = {}


def _stem_frequencies(model) -> dict[str, float]:
    """The share of articles holding each of the most common stems, from the statistics of
    `search_vector` (ANALYZE keeps up to ten times the statistics target); cached a minute."""
    table = model._meta.db_table
    cached = _stem_cache.get(table)
    if cached and time.monotonic() - cached[0] < 60:
        return cached[1]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT most_common_elems::text::text[], most_common_elem_freqs FROM pg_stats"
            " WHERE tablename = %s AND attname = 'search_vector'",
            [table],
        )
        row = cursor.fetchone()
    frequencies = dict(zip(row[0], row[1], strict=False)) if row and row[0] else {}
    _stem_cache[table] = (time.monotonic(), frequencies)
    return frequencies


def _stem_shares(model, parsed: str) -> list[float | None]:
    """The share of articles holding each stem the query looks for (exclusions left out),
    None for a stem missing from the statistics: rarer than all those listed."""
    frequencies = _stem_frequencies(model)
    stems = [piece for piece in parsed.split() if piece not in ("or", '"') and piece[0] != "-"]
    return [frequencies.get(stem) for stem in stems]


def _has_common_stem(model, parsed: str, shares: list[float | None]) -> bool:
    """Whether step 1 would read a long posting list: a stem every match holds (any stem of an
    `or` query) is in more than COMMON_STEM articles."""
    known = [share or 0.0 for share in shares]
    if not known:
        return False
    share = sum(known) if "or" in parsed.split() else min(known)
    return share * _table_rows(model) > COMMON_STEM


def _expected_share(parsed: str, shares: list[float | None]) -> float:
    """The expected share of articles matching, the stems taken as independent (as the
    planner does; a stem missing from the statistics counts as half the rarest listed)."""
    listed = [share for share in shares if share is not None]
    missing = min(listed) / 2 if listed else 0.0
    shares = [missing if share is None else share for share in shares]
    if "or" in parsed.split():
        return 1 - math.prod(1 - share for share in shares)
    return math.prod(shares)


_table_rows_cache: dict[str, tuple[float, float]] = {}


def _table_rows(model) -> float:
    """Approximate row count of the article table, from the statistics (cached a minute)."""
    table = model._meta.db_table
    cached = _table_rows_cache.get(table)
    if cached and time.monotonic() - cached[0] < 60:
        return cached[1]
    with connection.cursor() as cursor:
        cursor.execute("SELECT greatest(reltuples, 1) FROM pg_class WHERE relname = %s", [table])
        row = cursor.fetchone()
    rows = float(row[0]) if row else 1.0
    _table_rows_cache[table] = (time.monotonic(), rows)
    return rows


def _newest_of_first(matching: QuerySet, limit: int) -> tuple[list[tuple], int]:
    """(the RANKED newest (pk, published_at) rows, how many rows) among the first `limit` + 1
    rows of `matching`, in one statement."""
    sql, params = matching.values_list("pk", "published_at")[: limit + 1].query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT pk, published_at, count(*) OVER () FROM ({sql}) AS matches"
            " ORDER BY published_at DESC, pk DESC LIMIT %s",
            (*params, RANKED),
        )
        rows = cursor.fetchall()
    return [(pk, published_at) for pk, published_at, _count in rows], (rows[0][2] if rows else 0)


def _newest_of(matches: QuerySet) -> list[tuple]:
    """The RANKED newest (pk, published_at) rows of `matches` (unordered), in one statement
    and without planner settings. `matches` is read whole behind a fence (OFFSET 0): asked
    for the newest rows directly, the planner walks the date index and calls the week
    function on every row it passes (seconds for a rare pair of words), which its COST
    rules out only when all matches are wanted."""
    sql, params = matches.values_list("pk", "published_at").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT pk, published_at FROM ({sql} OFFSET 0) AS matches"
            " ORDER BY published_at DESC, pk DESC LIMIT %s",
            (*params, RANKED),
        )
        return cursor.fetchall()


def _rows(queryset: QuerySet) -> list[tuple]:
    """(pk, published_at) rows of `queryset` as plain tuples, without the ORM's per-row work
    (up to SMALL_MATCH_SET rows come back here on every search)."""
    sql, params = queryset.values_list("pk", "published_at").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [column.name for column in cursor.description]
        pk, published_at = names.index("pk"), names.index("published_at")
        return [(row[pk], row[published_at]) for row in cursor.fetchall()]


@contextlib.contextmanager
def _plan(**enabled: bool):
    """Run the enclosed queries with some planner strategies switched (for this transaction),
    and enough work_mem for exact bitmaps of common words (a lossy bitmap re-reads vectors).

    The planner's estimate for a tsquery can be off by orders of magnitude; the choice between
    the index on dates and the GIN indexes is made by `newest_matches()` instead.
    """
    settings = {f"enable_{name}": "on" if on else "off" for name, on in enabled.items()}
    settings["work_mem"] = "32MB"
    nested = connection.in_atomic_block
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT " + ", ".join("set_config(%s, %s, true)" for _ in settings),
            [item for pair in settings.items() for item in pair],
        )
        yield
        if nested:  # the settings would outlive this block: put back the session's values
            cursor.execute(
                "SELECT set_config(name, reset_val, true) FROM pg_settings WHERE name = ANY(%s)",
                [list(settings)],
            )


_boundary_cache: dict[int, tuple[float, object]] = {}


def _recent_boundary(model, rows: int | None):
    """The publication time of the `rows`-th newest public article, None when there are fewer
    (or `rows` is None). Cached for a minute: it moves slowly and costs an index scan."""
    if rows is None:
        return None
    cached = _boundary_cache.get(rows)
    if cached and time.monotonic() - cached[0] < 60:
        return cached[1]
    boundary = (
        model.objects.published()
        .order_by("-published_at", "-pk")
        .values_list("published_at", flat=True)[rows : rows + 1]
        .first()
    )
    _boundary_cache[rows] = (time.monotonic(), boundary)
    return boundary
