"""Arabic-aware full-text search over published articles.

How it works
------------
* Documents and queries go through the same pipeline, `articles.arabic.search_tokens`:
  normalise (`normalize_arabic`), split into words, drop stopwords, light-stem. The stems are
  joined with spaces and handed to PostgreSQL's `simple` text-search configuration, which only
  lower-cases and splits: all the Arabic knowledge lives in one Python module, used on both sides.
  (`README.search.md` explains, with figures, why `simple` over our stems beats PostgreSQL's
  `arabic` Snowball configuration.)
* `Article.search_vector` stores the weighted vector: title A, summary and tag names B, body C,
  source names and aliases D. It is rebuilt whenever an article is saved or its tags or sources
  change (the signal receivers at the end), and in bulk by `refresh_search_vectors`, which
  importers and the corpus generator call after bulk inserts. A GIN index serves `@@`.
* Queries are parsed by `websearch_to_tsquery`, after our own pass that keeps only words, quotes,
  `-exclusions` and `or`: quotes make phrases, and no input can make the query fail.
* Ranking multiplies `ts_rank` (normalised by document length) by a recency factor going from 2
  for an article published now towards 1 for old ones (half the boost is gone after 30 days).
"""

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import F, FloatField, Func, QuerySet, Value
from django.db.models.functions import Now
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from articles.arabic import STOPWORDS, light_stem, normalize_arabic, search_tokens

SEARCH_CONFIG = "simple"
MAX_QUERY_CHARS = 300  # longer input is cut: nobody types more, and it bounds the query's cost
MAX_QUERY_TERMS = 12
RECENCY_HALF_LIFE_DAYS = 30
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
        _Epoch(Now() - F("published_at")), Value(0.0), function="GREATEST", output_field=FloatField()
    )
    half_life = Value(float(RECENCY_HALF_LIFE_DAYS * 86400))
    return Value(1.0) + Value(1.0) / (Value(1.0) + age_seconds / half_life)


def search_articles(queryset: QuerySet, raw: str, *, config: str = SEARCH_CONFIG) -> QuerySet:
    """`queryset` narrowed to the articles matching `raw`, best first; none for an empty query.

    Pass `Article.objects.published()` or a narrower queryset: this adds no rule of its own about
    what is public.
    """
    parsed = parse_query(raw)
    if not parsed:
        return queryset.none()
    query = web_search_query(parsed, config)
    rank = SearchRank(F("search_vector"), query, normalization=Value(1))
    return (
        queryset.filter(search_vector=query)
        .annotate(search_rank=rank * recency_factor())
        .order_by("-search_rank", "-published_at", "-pk")
    )


# --- Highlighting --------------------------------------------------------------------------------

# A written word: letters and digits with the marks, tatweel and joiners that may sit inside it.
_WRITTEN_WORD = re.compile(
    "(?:[^\\W_]|[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u200c\u200d\u200e\u200f\u00ad])+"
)
SNIPPET_WORDS = 40


def _word_matches(word: str, stems: frozenset[str]) -> bool:
    return any(stem in stems for stem in search_tokens(word))


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
    spans = [(m.start(), m.end(), _word_matches(m.group(), stems)) for m in
             _WRITTEN_WORD.finditer(text)]  # fmt: skip
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
    end = len(text) if last == len(spans) - 1 else spans[last][1]
    body = _highlight_span(text, stems, start, end)
    prefix = "… " if start else ""
    suffix = " …" if end < len(text) else ""
    return mark_safe(prefix + body + suffix)


# --- Keeping search_vector current ---------------------------------------------------------------


def _article_model():
    from articles.models import Article

    return Article


def refresh_search_vectors(articles: QuerySet | Iterable[int], *, config: str = SEARCH_CONFIG):
    """Recompute `search_vector` for the given articles (a queryset or ids), in batches.

    The bulk path for imports and corpus generators: a few queries per REFRESH_BATCH articles,
    no signals, no per-row saves. Returns the number of articles refreshed.
    """
    Article = _article_model()
    if isinstance(articles, QuerySet):
        ids = list(articles.order_by().values_list("pk", flat=True))
    else:
        ids = list(articles)
    done = 0
    for offset in range(0, len(ids), REFRESH_BATCH):
        batch = ids[offset : offset + REFRESH_BATCH]
        rows = _document_rows(Article, batch)
        _write_vectors(Article, rows, config)
        done += len(rows)
    return done


def _document_rows(Article, ids):
    """[(id, DocumentTexts)] for the ids, tags and sources fetched in one query each."""
    tags: dict[int, list[str]] = {}
    sources: dict[int, list[str]] = {}
    tag_through = Article.tags.through
    for article_id, name in tag_through.objects.filter(object_id__in=ids).values_list(
        "object_id", "tag__name"
    ):
        tags.setdefault(article_id, []).append(name)
    source_through = Article.sources.through
    for article_id, name, aliases in source_through.objects.filter(
        article_id__in=ids
    ).values_list("article_id", "source__name", "source__aliases"):
        sources.setdefault(article_id, []).extend([name, *(aliases or [])])
    fields = _text_fields(Article)
    rows = []
    for values in Article.objects.filter(pk__in=ids).values_list("pk", *fields):
        pk, *texts = values
        title, summary, body = (" ".join(t for t in group if t) for group in _grouped(texts))
        rows.append(
            (
                pk,
                DocumentTexts.build(
                    title=title,
                    summary=summary,
                    body=body,
                    tags=tags.get(pk, ()),
                    sources=sources.get(pk, ()),
                ),
            )
        )
    return rows


def _text_fields(Article):
    """title, summary, body in every language the model stores (modeltranslation fields when
    present), so an English query finds the English version too."""
    names = {f.name for f in Article._meta.concrete_fields}
    result = []
    for base in ("title", "summary", "body"):
        translated = sorted(n for n in names if n.startswith(base + "_") and len(n) <= len(base) + 6)
        result.append(translated or [base])
    _text_fields.groups = [len(group) for group in result]
    return [name for group in result for name in group]


def _grouped(texts):
    position = 0
    for size in _text_fields.groups:
        yield texts[position : position + size]
        position += size


def _write_vectors(Article, rows, config):
    if not rows:
        return
    table = connection.ops.quote_name(Article._meta.db_table)
    values = ", ".join(["(%s::bigint, %s, %s, %s, %s)"] * len(rows))
    params = [value for pk, texts in rows for value in (pk, *texts.params())]
    vector = vector_sql(config).replace("%s", "v.{}").format("t", "s", "b", "o")
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} AS a SET search_vector = {vector}"
            f" FROM (VALUES {values}) AS v(id, t, s, b, o) WHERE a.id = v.id",
            params,
        )
