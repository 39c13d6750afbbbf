"""Arabic-aware full-text search over published articles.

How it works
------------
* Documents and queries go through the same pipeline, `articles.text.arabic.search_tokens`:
  normalise (`normalize_arabic`), split into words, drop stopwords, light-stem. The stems are
  joined with spaces and handed to PostgreSQL's `simple` text-search configuration, which only
  lower-cases and splits: all the Arabic knowledge lives in one Python module, used on both sides.
  (docs/search.md explains, with figures, why `simple` over our stems beats PostgreSQL's
  `arabic` Snowball configuration.)
* `Article.search_vector` stores the weighted vector: title A, summary and tag names B, body C,
  source names and aliases D. The write path (`articles.actions`) rebuilds it whenever an article
  is saved or its tags or sources change, and in bulk after imports (`articles.search.index`).
  A GIN index serves `@@`.
* Queries are parsed by `websearch_to_tsquery`, after our own pass that keeps only words, quotes,
  `-exclusions` and `or`: quotes make phrases, and no input can make the query fail.
* Ranking multiplies `ts_rank` (normalised by document length) by a recency factor going from 2
  for an article published now towards 1 for old ones (half the boost is gone after 30 days).
  Only the RANKED most recent matches are ranked, found by plans whose cost is bounded whatever
  the archive size (see `search()`).
"""

import contextlib
import datetime
import functools
import html
import json
import re
import time
from dataclasses import dataclass

from django import forms
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection, transaction
from django.db.models import F, FloatField, Func, QuerySet, Value
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from articles.text.arabic import STOPWORDS, light_stem, normalize_arabic, search_tokens

SEARCH_CONFIG = "simple"
MAX_QUERY_CHARS = 300  # longer input is cut: nobody types more, and it bounds the query's cost
MAX_QUERY_TERMS = 12
RECENCY_HALF_LIFE_DAYS = 30
RANKED = 200  # the most recent matches that are ranked; see search()
SMALL_MATCH_SET = 3_000  # up to this many matches are counted exactly and collected via GIN only
COMMON_MATCHES = 4 * SMALL_MATCH_SET  # expected matches above which step 1 is skipped
# Windows of newest articles (rows) searched when a query matches more than SMALL_MATCH_SET;
# search() starts with the one expected to hold about RANKED matches and widens from there.
RECENT_WINDOWS = (1_000, 4_000, 16_000, 64_000, 256_000, None)
REFRESH_BATCH = 2000

# --- Documents -----------------------------------------------------------------------------------

_TAG = re.compile(r"<[^>]*>")
_BLOCK_END = re.compile(r"</(?:p|div|li|h[1-6]|blockquote|figcaption|td|tr)\s*>|<br\s*/?>", re.I)


def html_to_text(value: str) -> str:
    """Plain text of sanitised article HTML (block ends become spaces so words do not join)."""
    value = _BLOCK_END.sub(" ", value or "")
    return html.unescape(_TAG.sub(" ", value))


def search_text(value: str) -> str:
    """The stems of `value` as one space-separated string: what PostgreSQL indexes."""
    return " ".join(search_tokens(value or ""))


@dataclass(frozen=True)
class DocumentTexts:
    """The four weighted parts of an article's search vector, already stemmed."""

    title: str
    summary: str
    body: str
    sources: str

    @classmethod
    def build(cls, *, title="", summary="", body="", tags=(), sources=()):
        return cls(
            title=search_text(title),
            summary=search_text(" ".join([summary or "", *tags])),
            body=search_text(html_to_text(body)),
            sources=search_text(" ".join(sources)),
        )

    def params(self):
        return [self.title, self.summary, self.body, self.sources]


def vector_sql(config: str = SEARCH_CONFIG) -> str:
    """SQL for a weighted tsvector from four text placeholders: title, summary, body, sources."""
    return " || ".join(
        f"setweight(to_tsvector('{config}'::regconfig, %s), '{weight}')" for weight in "ABCD"
    )


# --- Queries -------------------------------------------------------------------------------------

# What survives of a query: quotes, a minus that starts a word, and words.
_QUERY_PIECE = re.compile(r'"|(?<!\S)-(?=[^\W_])|[^\W_]+')


def parse_query(raw: str) -> str:
    """Turn what a reader typed into websearch syntax over stems; "" when nothing is searchable.

    Words are normalised and stemmed exactly as documents are; stopwords and punctuation go;
    quotes and a leading minus keep their websearch meaning. A query made only of exclusions is
    not searchable (it would match nearly everything).
    """
    text = normalize_arabic((raw or "")[:MAX_QUERY_CHARS])
    pieces: list[str] = []
    positive = terms = 0
    negate = False
    for piece in _QUERY_PIECE.findall(text):
        if piece == '"':
            pieces.append(piece)
        elif piece == "-":
            negate = True
        elif piece == "or":
            pieces.append(piece)
        else:
            if piece not in STOPWORDS and terms < MAX_QUERY_TERMS:
                pieces.append(("-" if negate else "") + light_stem(piece))
                terms += 1
                positive += not negate
            negate = False
    return " ".join(pieces) if positive else ""


def query_stems(raw: str) -> frozenset[str]:
    """The stems a query looks for, for highlighting (exclusions and operators left out)."""
    return frozenset(
        piece for piece in parse_query(raw).replace('"', " ").split() if piece[0] != "-"
    ) - {"or"}


def web_search_query(parsed: str, config: str = SEARCH_CONFIG) -> SearchQuery:
    return SearchQuery(parsed, config=config, search_type="websearch")


class _Epoch(Func):
    template = "EXTRACT(EPOCH FROM %(expressions)s)"
    output_field = FloatField()


def recency_factor():
    """2 for an article published now, 1.5 after RECENCY_HALF_LIFE_DAYS, towards 1 later."""
    age_seconds = Func(
        _Epoch(Now() - F("published_at")),
        Value(0.0),
        function="GREATEST",
        output_field=FloatField(),
    )
    half_life = Value(float(RECENCY_HALF_LIFE_DAYS * 86400))
    return Value(1.0) + Value(1.0) / (Value(1.0) + age_seconds / half_life)


@dataclass
class SearchResults:
    """Ranked articles for a query, and how many articles matched."""

    articles: QuerySet  # the ranked candidates, best first, ready to paginate
    total: int  # articles matching (exact unless `more`)
    more: bool  # True when more than `total` matched: only the most recent were ranked


def search(queryset: QuerySet, raw: str, *, config: str = SEARCH_CONFIG) -> SearchResults:
    """Find and rank the articles of `queryset` matching `raw`.

    Pass `Article.objects.published()` or a narrower queryset: this adds no rule of its own about
    what is public. Ranking reads each candidate's whole vector, and a common word can match most
    of the archive, so only the RANKED most recent matches are ranked. They are found by plans
    that each touch a bounded number of rows whatever the archive size:

    1. unless the planner expects the words to be common, count up to SMALL_MATCH_SET matches
       through the GIN index alone and keep the RANKED newest (a bitmap scan, which reads no
       vector: never a walk through the dates, which reads the whole table when a word is rare,
       and the planner's estimates for rare words are poor);
    2. when there are more, look at the newest articles only: a date window sized from the
       expected frequency (so it should hold about RANKED matches), widened until it holds at
       least RANKED / 2.

    A quoted phrase is looked for among the candidates of its words: checking word positions
    reads every vector, so it is done on the candidates only.
    """
    parsed = parse_query(raw)
    if not parsed:
        return SearchResults(queryset.none(), 0, False)
    query = web_search_query(parsed, config)
    has_phrase = '"' in parsed
    words = web_search_query(parsed.replace('"', " "), config) if has_phrase else query
    matching = queryset.filter(search_vector=words).order_by()
    expected = _estimated_rows(matching)
    more = True
    if expected <= COMMON_MATCHES:
        with _plan(seqscan=False, indexscan=False):
            found, total = _newest_of_first(matching, SMALL_MATCH_SET)
        more = total > SMALL_MATCH_SET
    if more:
        total = SMALL_MATCH_SET
        # rows a window needs to hold about RANKED matches, at the expected frequency
        needed = RANKED * _table_rows(queryset.model) / max(expected, SMALL_MATCH_SET)
        newest = matching.order_by("-published_at", "-pk")
        for rows in RECENT_WINDOWS:
            if rows is not None and rows < needed / 2:
                continue
            boundary = _recent_boundary(queryset.model, rows)
            window = newest if boundary is None else newest.filter(published_at__gte=boundary)
            with _plan(seqscan=False, indexscan=False):
                found = _rows(window[:RANKED])
            if len(found) >= RANKED // 2 or boundary is None:
                break
    found.sort(key=lambda row: (row[1], row[0]), reverse=True)
    candidates = [pk for pk, _published_at in found[:RANKED]]
    articles = queryset.filter(pk__in=candidates)
    if has_phrase:
        articles = articles.filter(search_vector=query)
    rank = SearchRank(F("search_vector"), query, normalization=Value(1))
    articles = articles.annotate(search_rank=rank * recency_factor()).order_by(
        "-search_rank", "-published_at", "-pk"
    )
    if has_phrase and not more:
        total = articles.count()
    return SearchResults(articles, total, more)


def _estimated_rows(queryset: QuerySet) -> float:
    """The planner's estimate of how many rows `queryset` returns (no rows are read)."""
    plan = json.loads(queryset.explain(format="json"))
    return float(plan[0]["Plan"]["Plan Rows"])


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


def search_articles(queryset: QuerySet, raw: str, *, config: str = SEARCH_CONFIG) -> QuerySet:
    """The ranked articles of `search()`, as a queryset."""
    return search(queryset, raw, config=config).articles


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
    the index on dates and the GIN index is made by `search()` instead.
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


# --- The search form ------------------------------------------------------------------------------


class SearchForm(forms.Form):
    """What the search page accepts. Invalid filters are reported and ignored, never fatal."""

    q = forms.CharField(required=False, strip=True)
    section = forms.ModelChoiceField(
        queryset=None, required=False, to_field_name="slug", empty_label=_("All sections")
    )
    date_from = forms.DateField(required=False, label=_("From"))
    date_to = forms.DateField(required=False, label=_("To"))

    def __init__(self, *args, **kwargs):
        from articles.models import Section

        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = Section.objects.all()
        self.fields["section"].label = _("Section")

    def clean_q(self):
        # Cut, and drop NUL and other invisible characters, before the value is shown back.
        value = self.cleaned_data["q"][:MAX_QUERY_CHARS]
        return "".join(char for char in value if char.isprintable() or char == " ").strip()

    def filter(self, queryset: QuerySet) -> QuerySet:
        """`queryset` narrowed by the valid filters (section, date range in the newsroom's
        time zone, both ends inclusive)."""
        data = getattr(self, "cleaned_data", {})
        if data.get("section"):
            queryset = queryset.filter(section=data["section"])
        zone = timezone.get_current_timezone()
        if data.get("date_from"):
            start = datetime.datetime.combine(data["date_from"], datetime.time.min, tzinfo=zone)
            queryset = queryset.filter(published_at__gte=start)
        if data.get("date_to"):
            end = datetime.datetime.combine(data["date_to"], datetime.time.min, tzinfo=zone)
            queryset = queryset.filter(published_at__lt=end + datetime.timedelta(days=1))
        return queryset

    @property
    def has_filters(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return any(data.get(name) for name in ("section", "date_from", "date_to"))


# --- Highlighting --------------------------------------------------------------------------------

# A written word: letters and digits with the marks, tatweel and joiners that may sit inside it.
_WRITTEN_WORD = re.compile(
    "(?:[^\\W_]|[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u200c\u200d\u200e\u200f\u00ad])+"
)
SNIPPET_WORDS = 40
SNIPPET_SCAN_WORDS = 300  # the best window is looked for in the first words only: bounded cost


@functools.lru_cache(maxsize=65536)
def _word_stems(word: str) -> tuple[str, ...]:
    return tuple(search_tokens(word))


def _word_matches(word: str, stems: frozenset[str]) -> bool:
    return any(stem in stems for stem in _word_stems(word))


def highlight(text: str, raw_query: str) -> SafeString:
    """`text` escaped, with the words matching the query wrapped in <mark>."""
    return _highlight_span(text, query_stems(raw_query), 0, len(text))


def _highlight_span(text: str, stems: frozenset[str], start: int, end: int) -> SafeString:
    out, position = [], start
    for match in _WRITTEN_WORD.finditer(text, start, end):
        if _word_matches(match.group(), stems):
            out.append(escape(text[position : match.start()]))
            out.append(f"<mark>{escape(match.group())}</mark>")
            position = match.end()
    out.append(escape(text[position:end]))
    return mark_safe("".join(out))


def snippet(text: str, raw_query: str, words: int = SNIPPET_WORDS) -> SafeString:
    """The `words`-word window of `text` with the most query matches, highlighted, with
    ellipses where it was cut."""
    text = " ".join(text.split())
    stems = query_stems(raw_query)
    spans = []
    for match in _WRITTEN_WORD.finditer(text):
        spans.append((match.start(), match.end(), _word_matches(match.group(), stems)))
        if len(spans) == SNIPPET_SCAN_WORDS:
            break
    if not spans:
        return mark_safe("")
    best, best_hits = 0, -1
    hits = sum(hit for _, _, hit in spans[:words])
    for first in range(max(1, len(spans) - words + 1)):
        if first:
            hits += spans[first + words - 1][2] if first + words - 1 < len(spans) else 0
            hits -= spans[first - 1][2]
        if hits > best_hits:
            best, best_hits = first, hits
    last = min(len(spans), best + words) - 1
    start = 0 if best == 0 else spans[best][0]
    end = spans[last][1]
    if last == len(spans) - 1 and not _WRITTEN_WORD.search(text, end):
        end = len(text)
    body = _highlight_span(text, stems, start, end)
    prefix = "… " if start else ""
    suffix = " …" if end < len(text) else ""
    return mark_safe(prefix + body + suffix)
